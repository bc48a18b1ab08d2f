DROP INDEX orders_renews;
DROP INDEX orders_refund_to_bill;
DROP INDEX orders_to_bill;
ALTER TABLE orders DROP COLUMN refund_bill_id;
ALTER TABLE orders DROP COLUMN sale_bill_id;
ALTER TABLE orders DROP COLUMN renews_order_id;
ALTER TABLE orders DROP COLUMN refunded_at;
ALTER TABLE orders DROP COLUMN refunded_minor;
ALTER TABLE orders DROP COLUMN buyer_company;
DELETE FROM order_events WHERE kind IN ('refund_requested', 'refund_approved', 'refund_rejected', 'billed');
ALTER TABLE order_events DROP CONSTRAINT order_events_kind_check;
ALTER TABLE order_events ADD CONSTRAINT order_events_kind_check CHECK (kind IN ('placed', 'paid',
    'cancelled', 'expired', 'step', 'accepted', 'auto_accepted'));
UPDATE orders SET state = 'completed' WHERE state = 'unsubscribed';
ALTER TABLE orders DROP CONSTRAINT orders_state_check;
ALTER TABLE orders ADD CONSTRAINT orders_state_check CHECK (state IN ('pending_payment',
    'processing', 'completed', 'cancelled', 'expired'));
DROP TABLE order_refunds;
DROP TABLE bill_runs;
DROP TABLE bill_invoices;
DROP TABLE bill_totals;
DROP TABLE bill_lines;
DROP TABLE bills;
