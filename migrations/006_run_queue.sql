-- Runs on a queue (issue 17): what a worker's Terraform prints, line by line, for the process that relays
-- it (a thread, a terminal) wherever that process runs; and the workers themselves, for `cloud-engine status`.
CREATE TABLE run_logs (
  deployment_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  line TEXT NOT NULL,
  PRIMARY KEY (deployment_id, seq)
);

CREATE TABLE workers (
  id TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL,
  concurrency INTEGER NOT NULL,
  running INTEGER NOT NULL DEFAULT 0,
  stopping INTEGER NOT NULL DEFAULT 0
);

-- When Terraform started on the approved plan: queue latency is this minus started_at (the approval).
ALTER TABLE deployments ADD COLUMN terraform_started_at TEXT;
