DROP TABLE pending_signups;
DROP TABLE form_stashes;
ALTER TABLE sessions DROP COLUMN ends_at;
DROP TABLE login_failures;
CREATE TABLE login_failures (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_email_failed_at ON login_failures(email, failed_at);
