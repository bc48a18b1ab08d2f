-- Sign-in failures are kept per account (a hash of the normalised email, so a failed attempt
-- stores a bounded row whatever was typed) and per client, which is throttled across accounts.
DROP TABLE login_failures;
CREATE TABLE login_failures (
    id BIGSERIAL PRIMARY KEY,
    account TEXT NOT NULL,
    client TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_account ON login_failures(account, failed_at);
CREATE INDEX login_failures_client ON login_failures(client, failed_at);

-- A session ends at ends_at however active it is (an absolute lifetime beside the idle one).
ALTER TABLE sessions ADD COLUMN ends_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE sessions SET ends_at = expires_at;

-- What the owner typed into the editor after their session ended, one per user, until they
-- sign in again and see it.
CREATE TABLE form_stashes (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    pairs TEXT NOT NULL,
    stashed_at TIMESTAMP NOT NULL
);

-- A sign-up waits here until its email is confirmed: the answer to a sign-up is the same
-- whether or not the address has an account, and only the mailbox's owner learns which.
CREATE TABLE pending_signups (
    email TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    -- Empty when the address already had an account (the row then only paces the mails).
    password_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX pending_signups_expires_at ON pending_signups(expires_at);
