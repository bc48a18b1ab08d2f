DROP TRIGGER product_versions_changed ON company_product_versions;
DROP TRIGGER messages_changed ON messages;
DROP TRIGGER users_changed ON users;
DROP TRIGGER sessions_changed ON sessions;
DROP FUNCTION notify_session_change();
