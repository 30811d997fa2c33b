-- Sandbox worlds (issue 20); the same as SQLite's 012_drift.sql.
CREATE TABLE sandbox_worlds (
  project_id TEXT COLLATE "C" PRIMARY KEY REFERENCES projects(id),
  resources TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL
);
