-- Session purposes and plan modes (issue 20); the same as SQLite's 013_session_purpose.sql.
ALTER TABLE sessions ADD COLUMN purpose TEXT COLLATE "C" NOT NULL DEFAULT 'deploy';
ALTER TABLE sessions ADD COLUMN plan_mode TEXT COLLATE "C" NOT NULL DEFAULT '{"kind":"normal"}';
UPDATE sessions SET purpose = 'rollback' WHERE rollback_of IS NOT NULL;
