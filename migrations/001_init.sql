-- Money columns are integer micro-dollars (USD * 1e6): exact, never floating point.
CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  guild_id TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  default_provider TEXT NOT NULL CHECK (default_provider IN ('gcp','aws','azure','sandbox')),
  budget_limit_micros INTEGER NOT NULL CHECK (budget_limit_micros >= 0),
  settings TEXT NOT NULL DEFAULT '{}',
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX idx_projects_guild ON projects(guild_id);

CREATE TABLE project_members (
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('viewer','deployer','approver','admin')),
  granted_by TEXT NOT NULL,
  granted_at TEXT NOT NULL,
  PRIMARY KEY (project_id, user_id)
);

CREATE TABLE quotas (
  project_id TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  max_resources INTEGER,
  max_monthly_cost_micros INTEGER,
  allowed_regions TEXT,
  allowed_machine_types TEXT,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id),
  guild_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  provider TEXT NOT NULL,
  state TEXT NOT NULL,
  base_commit TEXT,
  channel_id TEXT,
  message_id TEXT,
  thread_id TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX idx_sessions_project_state ON sessions(project_id, state);
CREATE INDEX idx_sessions_state ON sessions(state);

-- The session's whole desired configuration (it starts as a copy of what the project last applied).
CREATE TABLE session_resources (
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  spec TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (session_id, name)
);

CREATE TABLE plans (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  status TEXT NOT NULL CHECK (status IN ('running','succeeded','failed','applied','superseded')),
  config_hash TEXT NOT NULL,
  state_serial INTEGER,
  state_checksum TEXT,
  plan_file TEXT,
  plan_file_hash TEXT,
  to_add INTEGER NOT NULL DEFAULT 0,
  to_change INTEGER NOT NULL DEFAULT 0,
  to_destroy INTEGER NOT NULL DEFAULT 0,
  changes TEXT NOT NULL DEFAULT '[]',
  cost TEXT,
  warnings TEXT NOT NULL DEFAULT '[]',
  output TEXT NOT NULL DEFAULT '',
  error TEXT,
  budget_override_by TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX idx_plans_session ON plans(session_id, created_at);

CREATE TABLE terraform_states (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id TEXT NOT NULL REFERENCES projects(id),
  session_id TEXT,
  serial INTEGER NOT NULL,
  lineage TEXT NOT NULL,
  checksum TEXT NOT NULL,
  state_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (project_id, serial)
);

CREATE TABLE locks (
  project_id TEXT PRIMARY KEY REFERENCES projects(id),
  session_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  acquired_at TEXT NOT NULL
);

-- What the project last applied successfully: the start of every new session.
CREATE TABLE deployed_resources (
  project_id TEXT NOT NULL REFERENCES projects(id),
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  provider TEXT NOT NULL,
  spec TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (project_id, name)
);

CREATE TABLE deployments (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id),
  session_id TEXT NOT NULL REFERENCES sessions(id),
  plan_id TEXT NOT NULL REFERENCES plans(id),
  user_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running','succeeded','failed','interrupted')),
  resources_count INTEGER NOT NULL,
  to_add INTEGER NOT NULL,
  to_change INTEGER NOT NULL,
  to_destroy INTEGER NOT NULL,
  resource_types TEXT NOT NULL DEFAULT '[]',
  monthly_cost_micros INTEGER,
  state_serial INTEGER,
  commit_hash TEXT,
  error TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  duration_ms INTEGER
);
CREATE UNIQUE INDEX idx_deployments_plan ON deployments(plan_id);
CREATE INDEX idx_deployments_project ON deployments(project_id, started_at);
CREATE INDEX idx_deployments_started ON deployments(started_at);

CREATE TABLE budget_alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  threshold_micros INTEGER NOT NULL CHECK (threshold_micros > 0),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  above INTEGER NOT NULL DEFAULT 0,
  last_triggered_at TEXT,
  last_value_micros INTEGER,
  UNIQUE (project_id, threshold_micros)
);

CREATE TABLE audit_logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  timestamp TEXT NOT NULL,
  event_type TEXT NOT NULL,
  user_id TEXT,
  guild_id TEXT,
  project_id TEXT,
  session_id TEXT,
  action TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('success','failure','denied','info')),
  details TEXT NOT NULL DEFAULT '{}',
  error TEXT,
  ip TEXT
);
CREATE INDEX idx_audit_timestamp ON audit_logs(timestamp);
CREATE INDEX idx_audit_user ON audit_logs(user_id, timestamp);
CREATE INDEX idx_audit_project ON audit_logs(project_id, timestamp);
CREATE INDEX idx_audit_event ON audit_logs(event_type, timestamp);
CREATE INDEX idx_audit_guild ON audit_logs(guild_id, timestamp);

-- The audit log is append-only; the database itself refuses anything else.
CREATE TRIGGER audit_logs_no_update BEFORE UPDATE ON audit_logs
BEGIN SELECT RAISE(ABORT, 'audit_logs is append-only'); END;
CREATE TRIGGER audit_logs_no_delete BEFORE DELETE ON audit_logs
BEGIN SELECT RAISE(ABORT, 'audit_logs is append-only'); END;
