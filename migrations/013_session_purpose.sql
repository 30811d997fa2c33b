-- Why a session exists and how it is planned (issue 20): drift adopt/revert, recovery and expiry sessions are
-- ordinary sessions with a purpose, and some plan differently (refresh-only, or replacing given addresses).
ALTER TABLE sessions ADD COLUMN purpose TEXT NOT NULL DEFAULT 'deploy';
ALTER TABLE sessions ADD COLUMN plan_mode TEXT NOT NULL DEFAULT '{"kind":"normal"}';
UPDATE sessions SET purpose = 'rollback' WHERE rollback_of IS NOT NULL;
