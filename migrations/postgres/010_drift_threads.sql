-- Drift kept per project (issue 20, step 2); the same as SQLite's 014_drift_threads.sql.
CREATE TABLE drift_states (
  project_id TEXT COLLATE "C" PRIMARY KEY REFERENCES projects(id),
  drifted TEXT COLLATE "C",
  since TEXT COLLATE "C",
  checked_at TEXT COLLATE "C",
  revision INTEGER NOT NULL DEFAULT 0,
  next_check_at TEXT COLLATE "C",
  thread_channel_id TEXT COLLATE "C",
  thread_id TEXT COLLATE "C",
  thread_message_id TEXT COLLATE "C",
  thread_revision INTEGER NOT NULL DEFAULT 0,
  thread_claim TEXT COLLATE "C",
  thread_claim_expires TEXT COLLATE "C"
);
