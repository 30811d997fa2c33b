-- A project lock is a lease (see README "How it works"). The row outlives its holders so the fencing
-- token only ever grows: a free lock has session_id NULL. owner_* names the process running
-- Terraform under the lease (NULL while the session only holds the lock between plan and approval).
CREATE TABLE locks_leased (
  project_id TEXT PRIMARY KEY REFERENCES projects(id),
  session_id TEXT,
  user_id TEXT,
  acquired_at TEXT,
  fence INTEGER NOT NULL,
  owner_host TEXT,
  owner_pid INTEGER,
  owner_started TEXT,
  run_pid INTEGER,
  heartbeat_at TEXT,
  expires_at TEXT,
  cancel_requested_by TEXT,
  CHECK ((session_id IS NULL) = (expires_at IS NULL)),
  CHECK ((owner_pid IS NULL) OR (session_id IS NOT NULL))
);
-- Locks taken before leases existed have no owner and are already expired: recovery settles them.
INSERT INTO locks_leased (project_id, session_id, user_id, acquired_at, fence, expires_at)
  SELECT project_id, session_id, user_id, acquired_at, 1, acquired_at FROM locks;
DROP TABLE locks;
ALTER TABLE locks_leased RENAME TO locks;

-- The fencing token the apply ran under: its recording writes are checked against it.
ALTER TABLE deployments ADD COLUMN fence INTEGER;

-- A state a run wrote after it lost its lease: never the project's state, kept for the operator.
CREATE TABLE unrecorded_states (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id TEXT NOT NULL REFERENCES projects(id),
  session_id TEXT,
  fence INTEGER,
  serial INTEGER,
  lineage TEXT,
  reason TEXT NOT NULL,
  state_json TEXT NOT NULL,
  created_at TEXT NOT NULL
);
