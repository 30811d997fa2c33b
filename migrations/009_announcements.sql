-- Who acted, by name, as the audit row is written (a Discord user name, the CLI operator's login): the
-- audit can be read by names without asking Discord about ids. Rows from before keep NULL.
ALTER TABLE audit_logs ADD COLUMN user_name TEXT;
-- A lobby reads the events of its own session (expiry, force-unlock) to say what happened to it.
CREATE INDEX idx_audit_session_id ON audit_logs(session_id, id);

-- Events any process records (an idle session expired, a lock force-released from the CLI or another bot
-- process) that a bot posts in the session's lobby channel. A bot process claims one for a while, posts it
-- under a nonce made of its audit id (Discord drops a repeat) and marks it done; a claim it leaves behind
-- (a crash) is taken up by any bot process once it expires, so each event is posted once.
CREATE TABLE announcements (
  audit_id INTEGER PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  done INTEGER NOT NULL DEFAULT 0
);
-- What happened before this version was never announced and is not now.
INSERT INTO announcements (audit_id, owner, expires_at, done)
  SELECT id, 'before-announcements', timestamp, 1 FROM audit_logs WHERE event_type IN ('session_expired', 'lock_force_released');
