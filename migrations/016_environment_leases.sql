-- Environments that expire (issue 20). An environment lease is apart from the project lock's run lease
-- (003_leases.sql): it says when a project's environment is destroyed. `ends_at` counts from the last apply
-- (NULL until the first); `reminders_sent` is how many reminder thresholds were posted for this `ends_at`;
-- `status` moves active → expiring (one destroy session, `destroy_session_id`) → expired | stopped, each
-- move by compare-and-set on `version`; `announced` is the status last said in the channel, claimed the same way.
CREATE TABLE environment_leases (
  project_id TEXT PRIMARY KEY REFERENCES projects(id),
  ttl_seconds INTEGER NOT NULL,
  ends_at TEXT,
  armed_at TEXT NOT NULL,
  status TEXT NOT NULL,
  stop_reason TEXT,
  reminders_sent INTEGER NOT NULL DEFAULT 0,
  channel_id TEXT,
  destroy_session_id TEXT,
  cost_micros INTEGER,
  announced TEXT,
  set_by TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);
