-- Drift kept per project (issue 20, step 2): the open drift (NULL when the last check found none), what each
-- drifted resource changed and since when, when it was last checked, when the next scheduled check is due,
-- and the Discord thread the drift lives in. `revision` grows whenever what the thread shows changes;
-- `thread_revision` is the one it shows. A thread is created by whoever claims it (`thread_claim`, compare-and-set)
-- so two processes, two sweeps or a restart never open a second one.
CREATE TABLE drift_states (
  project_id TEXT PRIMARY KEY REFERENCES projects(id),
  drifted TEXT,
  since TEXT,
  checked_at TEXT,
  revision INTEGER NOT NULL DEFAULT 0,
  next_check_at TEXT,
  thread_channel_id TEXT,
  thread_id TEXT,
  thread_message_id TEXT,
  thread_revision INTEGER NOT NULL DEFAULT 0,
  thread_claim TEXT,
  thread_claim_expires TEXT
);
