-- Foundation: settings, companies, accounts, sessions, sign-in throttling,
-- applications with their timeline, after-sales service groups.
CREATE TABLE app_settings (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE companies (
    id BIGSERIAL PRIMARY KEY,
    legal_name TEXT,
    registration_status TEXT NOT NULL DEFAULT 'unregistered'
        CHECK (registration_status IN ('unregistered', 'pending', 'approved', 'rejected')),
    contact_name TEXT,
    contact_phone TEXT,
    contact_email TEXT,
    presales_phone TEXT,
    presales_email TEXT,
    presales_address TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('seller', 'operator', 'admin')),
    company_id BIGINT REFERENCES companies(id),
    created_at TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL
);
CREATE INDEX users_company_id ON users(company_id);

CREATE TABLE sessions (
    key_hash TEXT PRIMARY KEY NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user_id ON sessions(user_id);
CREATE INDEX sessions_expires_at ON sessions(expires_at);

CREATE TABLE login_failures (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_email_failed_at ON login_failures(email, failed_at);

CREATE TABLE applications (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL CHECK (kind IN ('registration', 'product_release', 'product_modification',
        'product_removal', 'business_contact_change', 'presales_info_change', 'company_name_change')),
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'in_review', 'approved', 'rejected', 'withdrawn')),
    payload TEXT NOT NULL,
    product_id BIGINT,
    submitted_by BIGINT NOT NULL REFERENCES users(id),
    submitted_at TIMESTAMP NOT NULL,
    due_date DATE NOT NULL,
    may_take_longer BOOLEAN NOT NULL DEFAULT FALSE,
    reviewer_id BIGINT REFERENCES users(id),
    decided_at TIMESTAMP,
    latest_comment TEXT,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX applications_company_submitted ON applications(company_id, submitted_at);
CREATE INDEX applications_company_kind_status ON applications(company_id, kind, status);
CREATE INDEX applications_status_due ON applications(status, due_date);

CREATE TABLE application_events (
    id BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users(id),
    status TEXT NOT NULL,
    comment TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX application_events_application ON application_events(application_id, created_at);

CREATE TABLE service_groups (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    service_days TEXT NOT NULL,
    hours_start TEXT NOT NULL,
    hours_end TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX service_groups_company ON service_groups(company_id);
