-- The sandbox cloud's own view of each sandbox project (issue 20): the specs as its "cloud API" holds them, by
-- name. The recorder sets it to what each apply deployed; `cloud-engine sandbox tamper` changes it out of band,
-- and drift detection reads it at refresh.
CREATE TABLE sandbox_worlds (
  project_id TEXT PRIMARY KEY REFERENCES projects(id),
  resources TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
