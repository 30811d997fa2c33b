-- The apply's status board (issue 18): one message per apply, edited in place, instead of its lines. The
-- session remembers it, so whichever bot process ends the apply (a relay taken over, recovery after a
-- crash) edits the same board; the batch-in-flight bookkeeping of line messages is gone with them.
ALTER TABLE sessions ADD COLUMN board_message_id TEXT;
ALTER TABLE relays DROP COLUMN sending_from;
ALTER TABLE relays DROP COLUMN sending_to;
ALTER TABLE relays DROP COLUMN header_sent;
