ALTER TABLE products DROP COLUMN platform_share_bp;
ALTER TABLE pending_signups DROP COLUMN role;
DROP TABLE payment_notifications;
DROP TABLE order_events;
DROP TABLE orders;
DELETE FROM users WHERE role = 'buyer';
