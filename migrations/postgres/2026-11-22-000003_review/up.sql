-- Review: the fields a rejection names, a seller's "delete" of a decided application (kept for
-- the audit trail, hidden from the seller's list), the notification outbox and the message center.
ALTER TABLE applications ADD COLUMN review_fields TEXT;
ALTER TABLE applications ADD COLUMN hidden_by_seller BOOLEAN NOT NULL DEFAULT FALSE;

-- One row per email. A worker claims due rows (status 'sending' with a lease in locked_until),
-- talks SMTP outside any transaction, then marks the row sent, or queued again with a later
-- next_attempt_at, or failed after max_attempts.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT REFERENCES companies(id),
    application_id BIGINT REFERENCES applications(id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    claimed_by TEXT,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_created ON outbox(created_at);
CREATE INDEX outbox_application ON outbox(application_id);

-- The seller's message center: one message per decision, for every user of the company.
CREATE TABLE messages (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    application_id BIGINT REFERENCES applications(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    read_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX messages_company_created ON messages(company_id, created_at);
CREATE INDEX messages_company_unread ON messages(company_id, read_at);

-- The public catalog lists products by status, newest change first.
CREATE INDEX products_status_updated ON products(status, updated_at);
