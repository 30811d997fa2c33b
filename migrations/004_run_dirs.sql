-- Runs work in their own directories built from the store, so the store keeps what apply needs:
-- the saved plan file's bytes (its sha256 is plan_file_hash) and the provider lock file init wrote.
ALTER TABLE plans ADD COLUMN plan_bytes BLOB;
ALTER TABLE plans ADD COLUMN lock_file TEXT;
ALTER TABLE plans DROP COLUMN plan_file;

-- Where the live run of a lease works: recovery reads the state a dead run's Terraform wrote there.
ALTER TABLE locks ADD COLUMN run_dir TEXT;

-- A rollback is a session holding an old commit's configuration; it is committed only once applied.
ALTER TABLE sessions ADD COLUMN rollback_of TEXT;

-- Terraform's exit code, written the moment it exits and before anything else is recorded: recovery
-- tells a finished apply whose recording was cut off (disk full, crash) from one that was cut off itself.
ALTER TABLE deployments ADD COLUMN terraform_exit INTEGER;
