-- SMS (issue 12): review results and order events also go as SMS through the configured
-- gateway, queued in the same outbox with the same retries and delivery states.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'sms'));
