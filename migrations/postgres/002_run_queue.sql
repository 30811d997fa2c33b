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

-- Where an apply's lines are relayed (a Discord thread), how far, and by which bot process: another bot
-- process takes a relay over when its owner stops renewing it (a restart), and resumes at the batch in
-- flight, which it sends again under the same nonce, so the thread holds every line once.
CREATE TABLE relays (
  deployment_id TEXT COLLATE "C" PRIMARY KEY,
  session_id TEXT COLLATE "C" NOT NULL,
  thread_id TEXT COLLATE "C" NOT NULL,
  owner TEXT COLLATE "C" NOT NULL,
  expires_at TEXT COLLATE "C" NOT NULL,
  posted_seq INTEGER NOT NULL DEFAULT 0,
  sending_from INTEGER,
  sending_to INTEGER,
  header_sent INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0
);

-- Periodic work that must run once per interval across every process (recovery, expiry sweeps).
CREATE TABLE sweeps (
  name TEXT COLLATE "C" PRIMARY KEY,
  ran_at TEXT COLLATE "C" NOT NULL
);
