-- Policy as code and risk-tiered approvals (issue 19). A plan keeps what policy said about it (its verdict,
-- as JSON) and the input document the rules read, sealed like plan text: it holds attribute values.
ALTER TABLE plans ADD COLUMN policy TEXT;
ALTER TABLE plans ADD COLUMN policy_input BLOB;

-- One row per approver per plan: the same approver twice is one vote, and a new plan starts with none.
CREATE TABLE plan_votes (
  plan_id TEXT NOT NULL REFERENCES plans(id),
  user_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (plan_id, user_id)
);

-- A soft-mandatory override holds for a session while its findings hash the same.
CREATE TABLE policy_overrides (
  session_id TEXT NOT NULL,
  soft_hash TEXT NOT NULL,
  user_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (session_id, soft_hash)
);
