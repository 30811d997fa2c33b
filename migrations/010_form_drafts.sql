-- What someone typed into a form the bot refused (issue 18), so "Edit and retry" reopens it as typed, after a
-- restart too. Kept an hour; the values are sealed like plan text (a refused value may be a credential).
CREATE TABLE form_drafts (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  form TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX form_drafts_author ON form_drafts (session_id, user_id, created_at);
CREATE INDEX form_drafts_expiry ON form_drafts (expires_at);
