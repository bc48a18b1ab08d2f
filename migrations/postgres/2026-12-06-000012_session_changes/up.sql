-- Instances keep recently read sessions in memory (see src/auth/session_cache.rs). Whatever a
-- session is read with (the session itself, its user, its company's messages and product list
-- version) notifies them when it changes, whichever instance or script changed it; PostgreSQL
-- delivers the notification at commit and folds repeats within a transaction into one.
CREATE FUNCTION notify_session_change() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('session_changes', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER sessions_changed AFTER UPDATE OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION notify_session_change();
CREATE TRIGGER users_changed AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION notify_session_change();
CREATE TRIGGER messages_changed AFTER INSERT OR UPDATE OR DELETE ON messages
    FOR EACH ROW EXECUTE FUNCTION notify_session_change();
CREATE TRIGGER product_versions_changed AFTER INSERT OR UPDATE OR DELETE ON company_product_versions
    FOR EACH ROW EXECUTE FUNCTION notify_session_change();
