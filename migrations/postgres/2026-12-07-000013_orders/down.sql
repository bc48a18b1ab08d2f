ALTER TABLE products DROP COLUMN platform_share_bp;
ALTER TABLE pending_signups DROP COLUMN role;
DROP TABLE payment_notifications;
DROP TABLE order_events;
DROP TABLE orders;
DELETE FROM users WHERE role = 'buyer';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('seller', 'operator', 'admin'));
