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

-- Where an apply's lines are relayed (a Discord thread), how far, and by which bot process: another bot
-- process takes a relay over when its owner stops renewing it (a restart), and resumes at the batch in
-- flight, which it sends again under the same nonce, so the thread holds every line once.
CREATE TABLE relays (
  deployment_id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  thread_id TEXT NOT NULL,
  owner TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  posted_seq INTEGER NOT NULL DEFAULT 0,
  sending_from INTEGER,
  sending_to INTEGER,
  header_sent INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0
);

-- Periodic work that must run once per interval across every process (recovery, expiry sweeps).
CREATE TABLE sweeps (
  name TEXT PRIMARY KEY,
  ran_at TEXT NOT NULL
);
