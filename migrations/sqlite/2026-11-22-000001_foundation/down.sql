DROP TABLE service_groups;
DROP TABLE application_events;
DROP TABLE applications;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE companies;
DROP TABLE app_settings;
