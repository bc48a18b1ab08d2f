PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE order_refunds;
DROP TABLE bill_runs;
DROP TABLE bill_invoices;
DROP TABLE bill_totals;
DROP TABLE bill_lines;
DROP TABLE bills;
UPDATE orders SET state = 'completed' WHERE state = 'unsubscribed';
DELETE FROM order_events WHERE kind IN ('refund_requested', 'refund_approved', 'refund_rejected', 'billed');
CREATE TABLE orders_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    buyer_id BIGINT NOT NULL REFERENCES users(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    -- The seller: Product Transaction lists by it.
    company_id BIGINT NOT NULL REFERENCES companies(id),
    release_id BIGINT NOT NULL REFERENCES product_releases(id),
    product_name TEXT NOT NULL CHECK (length(product_name) <= 200),
    delivery_method TEXT NOT NULL,
    spec_name TEXT NOT NULL CHECK (length(spec_name) <= 200),
    sku_key TEXT NOT NULL CHECK (length(sku_key) <= 2000),
    sku_label TEXT NOT NULL CHECK (length(sku_label) <= 2000),
    billing TEXT NOT NULL CHECK (billing IN ('yearly_monthly', 'one_time', 'pay_per_use')),
    quantity BIGINT,
    period_kind TEXT NOT NULL CHECK (period_kind IN ('month', 'year', 'once', 'hour')),
    period_count INTEGER NOT NULL CHECK (period_count >= 1),
    region TEXT NOT NULL CHECK (length(region) <= 16),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    -- Exact, in the currency's minor unit (cents).
    amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
    -- The platform's share in basis points (2000 = 20%), frozen from the product.
    platform_share_bp INTEGER NOT NULL CHECK (platform_share_bp BETWEEN 0 AND 10000),
    trial BOOLEAN NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending_payment', 'processing', 'completed',
        'cancelled', 'expired')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    -- An unpaid order expires at this time.
    pay_by TIMESTAMP NOT NULL,
    paid_at TIMESTAMP,
    -- A yearly/monthly order (or a trial) runs from its start to its expiry; renewal is a new
    -- order.
    starts_at TIMESTAMP,
    expires_at TIMESTAMP,
    closed_at TIMESTAMP,
    -- A professional service's flow, frozen from the release, and the step it has reached;
    -- delivered when it reaches the flow's last step, accepted by the buyer (or automatically).
    flow TEXT CHECK (flow IN ('standard', 'website_building')),
    step TEXT CHECK (length(step) <= 40),
    delivered_at TIMESTAMP
);
INSERT INTO orders_old (id, buyer_id, product_id, company_id, release_id, product_name, delivery_method, spec_name, sku_key, sku_label, billing, quantity, period_kind, period_count, region, currency, amount_minor, platform_share_bp, trial, state, created_at, updated_at, pay_by, paid_at, starts_at, expires_at, closed_at, flow, step, delivered_at) SELECT id, buyer_id, product_id, company_id, release_id, product_name, delivery_method, spec_name, sku_key, sku_label, billing, quantity, period_kind, period_count, region, currency, amount_minor, platform_share_bp, trial, state, created_at, updated_at, pay_by, paid_at, starts_at, expires_at, closed_at, flow, step, delivered_at FROM orders;
DROP TABLE orders;
ALTER TABLE orders_old RENAME TO orders;
CREATE INDEX orders_seller ON orders(company_id, id);
CREATE INDEX orders_buyer ON orders(buyer_id, id);
-- A buyer's unpaid orders and orders of the day are counted at every order (a cap on each).
CREATE INDEX orders_buyer_state ON orders(buyer_id, state);
CREATE INDEX orders_buyer_created ON orders(buyer_id, created_at);
-- Product Transaction filters a seller's orders by the month placed.
CREATE INDEX orders_seller_created ON orders(company_id, created_at);
-- Purchase limits count a buyer's open and completed orders of a product.
CREATE INDEX orders_buyer_product ON orders(buyer_id, product_id, state);
CREATE INDEX orders_unpaid ON orders(pay_by) WHERE state = 'pending_payment';
CREATE INDEX orders_delivered ON orders(delivered_at) WHERE state = 'processing';

-- What happened to an order, for its timeline: codes with parameters (SPEC 10).
CREATE TABLE order_events_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('placed', 'paid', 'cancelled', 'expired', 'step',
        'accepted', 'auto_accepted')),
    detail TEXT,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO order_events_old SELECT id, order_id, actor_id, kind, detail, created_at FROM order_events;
DROP TABLE order_events;
ALTER TABLE order_events_old RENAME TO order_events;
CREATE INDEX order_events_order ON order_events(order_id, id);

COMMIT;
PRAGMA foreign_keys = ON;
