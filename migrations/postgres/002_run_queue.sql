-- Runs on a queue (issue 17); the same as SQLite's 006_run_queue.sql.
CREATE TABLE run_logs (
  deployment_id TEXT COLLATE "C" NOT NULL,
  seq INTEGER NOT NULL,
  line TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (deployment_id, seq)
);

CREATE TABLE workers (
  id TEXT COLLATE "C" PRIMARY KEY,
  host TEXT COLLATE "C" NOT NULL,
  pid INTEGER NOT NULL,
  started_at TEXT COLLATE "C" NOT NULL,
  heartbeat_at TEXT COLLATE "C" NOT NULL,
  concurrency INTEGER NOT NULL,
  running INTEGER NOT NULL DEFAULT 0,
  stopping INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE deployments ADD COLUMN terraform_started_at TEXT COLLATE "C";
