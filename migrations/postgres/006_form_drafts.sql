-- Form drafts (issue 18); the same as SQLite's 010_form_drafts.sql.
CREATE TABLE form_drafts (
  id TEXT COLLATE "C" PRIMARY KEY,
  session_id TEXT COLLATE "C" NOT NULL,
  user_id TEXT COLLATE "C" NOT NULL,
  form TEXT COLLATE "C" NOT NULL,
  body BYTEA NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  expires_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX form_drafts_author ON form_drafts (session_id, user_id, created_at);
CREATE INDEX form_drafts_expiry ON form_drafts (expires_at);
