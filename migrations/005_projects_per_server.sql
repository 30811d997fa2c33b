-- Projects belong to their server (issue 16). A project's identity is (server, name); the store keeps it
-- as one key, '<server>/<name>', in projects.id and in every row that refers to a project. Two servers
-- can each have a project 'web'; before this, ids were one namespace shared by every server.
PRAGMA defer_foreign_keys = ON;

-- Server ids the CLI took unchecked before ('Staging', 'team_a') become what a key allows: lowercase words
-- joined by hyphens. Sessions carry their project's server.
UPDATE projects SET guild_id = lower(replace(replace(trim(guild_id), '_', '-'), ' ', '-'));
UPDATE sessions SET guild_id = (SELECT guild_id FROM projects WHERE projects.id = sessions.project_id);

ALTER TABLE projects ADD COLUMN name TEXT NOT NULL DEFAULT '';
CREATE TEMP TABLE project_keys (old TEXT PRIMARY KEY, key TEXT NOT NULL);
INSERT INTO project_keys SELECT id, guild_id || '/' || id FROM projects;
UPDATE projects SET name = id, id = guild_id || '/' || id;
CREATE UNIQUE INDEX idx_projects_guild_name ON projects(guild_id, name);
-- The name a project's cloud resources carry (resource groups, tags, a default firewall). Names were unique
-- until now, so each keeps its own; a project created later under a name another server's project carries
-- gets a suffix (core/projectAdmin.ts), so two servers sharing one cloud account never collide there.
ALTER TABLE projects ADD COLUMN cloud_name TEXT NOT NULL DEFAULT '';
UPDATE projects SET cloud_name = name;
CREATE UNIQUE INDEX idx_projects_cloud_name ON projects(cloud_name);

UPDATE project_members SET project_id = (SELECT key FROM project_keys WHERE old = project_id);
UPDATE quotas SET project_id = (SELECT key FROM project_keys WHERE old = project_id);
UPDATE sessions SET project_id = (SELECT key FROM project_keys WHERE old = project_id);
UPDATE terraform_states SET project_id = (SELECT key FROM project_keys WHERE old = project_id);
UPDATE unrecorded_states SET project_id = (SELECT key FROM project_keys WHERE old = project_id);
UPDATE locks SET project_id = (SELECT key FROM project_keys WHERE old = project_id);
UPDATE deployed_resources SET project_id = (SELECT key FROM project_keys WHERE old = project_id);
UPDATE deployments SET project_id = (SELECT key FROM project_keys WHERE old = project_id);
UPDATE budget_alerts SET project_id = (SELECT key FROM project_keys WHERE old = project_id);

-- The audit log stays append-only for everything but this migration: its project column is rewritten to
-- the new keys once, so a project's history stays whole; nothing else in a row changes.
DROP TRIGGER audit_logs_no_update;
UPDATE audit_logs SET project_id = (SELECT key FROM project_keys WHERE old = project_id)
  WHERE project_id IN (SELECT old FROM project_keys);
CREATE TRIGGER audit_logs_no_update BEFORE UPDATE ON audit_logs
BEGIN SELECT RAISE(ABORT, 'audit_logs is append-only'); END;

DROP TABLE project_keys;
