-- The outbox worker claims due rows in this order (status, then time, then id) and stops at
-- its batch: the claim no longer reads every due row.
DROP INDEX outbox_due;
CREATE INDEX outbox_queue ON outbox(status, next_attempt_at, id);
