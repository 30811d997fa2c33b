-- The same as SQLite's 009_announcements.sql: names in the audit log, and announced session events.
ALTER TABLE audit_logs ADD COLUMN user_name TEXT COLLATE "C";
CREATE INDEX idx_audit_session_id ON audit_logs(session_id, id);

CREATE TABLE announcements (
  audit_id BIGINT PRIMARY KEY,
  owner TEXT COLLATE "C" NOT NULL,
  expires_at TEXT COLLATE "C" NOT NULL,
  done INTEGER NOT NULL DEFAULT 0
);
INSERT INTO announcements (audit_id, owner, expires_at, done)
  SELECT id, 'before-announcements', timestamp, 1 FROM audit_logs WHERE event_type IN ('session_expired', 'lock_force_released');
