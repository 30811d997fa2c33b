-- Audit pages are read newest first by id (keyset paging with beforeId), filtered by one column.
-- The (column, timestamp) indexes of 001 find the rows but not in id order, so every page sorted
-- all of a guild's or project's history; (column, id) hands them over already in order.
CREATE INDEX idx_audit_guild_id ON audit_logs(guild_id, id);
CREATE INDEX idx_audit_project_id ON audit_logs(project_id, id);
CREATE INDEX idx_audit_user_id ON audit_logs(user_id, id);
CREATE INDEX idx_audit_event_id ON audit_logs(event_type, id);
