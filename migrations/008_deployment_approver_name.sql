-- A deployment's user_id is whoever approved it; keep their name too, so the git commit's
-- "Approved-by:" trailer names them even when recovery (another process, after a restart) records the apply.
-- The author of a deployment is its session's user (sessions.user_id, user_name).
ALTER TABLE deployments ADD COLUMN approver_name TEXT;
