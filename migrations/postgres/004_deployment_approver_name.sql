-- The approver's name beside deployments.user_id; the same as SQLite's 008_deployment_approver_name.sql.
ALTER TABLE deployments ADD COLUMN approver_name TEXT COLLATE "C";
