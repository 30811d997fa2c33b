-- Environments that expire (issue 20); the same as SQLite's 016_environment_leases.sql.
CREATE TABLE environment_leases (
  project_id TEXT COLLATE "C" PRIMARY KEY REFERENCES projects(id),
  ttl_seconds INTEGER NOT NULL,
  ends_at TEXT COLLATE "C",
  armed_at TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  stop_reason TEXT COLLATE "C",
  reminders_sent INTEGER NOT NULL DEFAULT 0,
  channel_id TEXT COLLATE "C",
  destroy_session_id TEXT COLLATE "C",
  cost_micros BIGINT,
  announced TEXT COLLATE "C",
  set_by TEXT COLLATE "C" NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT COLLATE "C" NOT NULL
);
