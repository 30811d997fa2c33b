-- Policy as code and risk-tiered approvals (issue 19); the same as SQLite's 011_policy.sql.
ALTER TABLE plans ADD COLUMN policy TEXT COLLATE "C";
ALTER TABLE plans ADD COLUMN policy_input BYTEA;

CREATE TABLE plan_votes (
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans(id),
  user_id TEXT COLLATE "C" NOT NULL,
  user_name TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (plan_id, user_id)
);

CREATE TABLE policy_overrides (
  session_id TEXT COLLATE "C" NOT NULL,
  soft_hash TEXT COLLATE "C" NOT NULL,
  user_id TEXT COLLATE "C" NOT NULL,
  user_name TEXT COLLATE "C" NOT NULL,
  reason TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (session_id, soft_hash)
);
