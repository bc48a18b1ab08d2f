-- orders.state gains 'unsubscribed' and order_events.kind the refund and billing events:
-- SQLite cannot change a CHECK in place, so both tables are rebuilt (outside Diesel's
-- transaction, see metadata.toml: foreign keys must be off while the old tables are dropped).
PRAGMA foreign_keys = OFF;
BEGIN;
-- Settlement (SPEC 12): a bill per seller and month, a line per ready order (or per refund of
-- an order billed before it was refunded); unsubscription (SPEC 11): a buyer's refund request,
-- decided by the seller; renewal: a new order that continues an earlier one.

CREATE TABLE bills (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    -- The calendar month billed, YYYY-MM.
    period TEXT NOT NULL CHECK (length(period) = 7),
    state TEXT NOT NULL CHECK (state IN ('generated', 'pending_approval', 'awaiting_invoice',
        'paid', 'disputed')),
    line_count BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    approved_at TIMESTAMP,
    approved_by BIGINT REFERENCES users(id),
    invoiced_at TIMESTAMP,
    paid_at TIMESTAMP,
    paid_by BIGINT REFERENCES users(id),
    payout_reference TEXT CHECK (length(payout_reference) <= 100),
    dispute_reason TEXT CHECK (length(dispute_reason) <= 1000),
    disputed_at TIMESTAMP,
    resolution TEXT CHECK (length(resolution) <= 1000),
    -- Exactly one bill per seller and month, whichever instance makes it.
    UNIQUE (company_id, period)
);
CREATE INDEX bills_company ON bills(company_id, period);
CREATE INDEX bills_state ON bills(state, id);
CREATE INDEX bills_period ON bills(period, id);

CREATE TABLE bill_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bill_id BIGINT NOT NULL REFERENCES bills(id) ON DELETE CASCADE,
    order_id BIGINT NOT NULL REFERENCES orders(id),
    -- 'sale': the order's amount less what was refunded before it was billed; 'refund': a
    -- refund approved after the order was billed, as a negative line.
    kind TEXT NOT NULL CHECK (kind IN ('sale', 'refund')),
    product_name TEXT NOT NULL,
    spec_name TEXT NOT NULL,
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    -- Excluding tax, in the minor unit (cents), signed.
    amount_minor BIGINT NOT NULL,
    platform_share_bp INTEGER NOT NULL CHECK (platform_share_bp BETWEEN 0 AND 10000),
    -- amount × (1 − share), exact: in millionths of the currency unit.
    settlement_micros BIGINT NOT NULL,
    -- An order is on one bill as a sale, and its refund on one bill at most.
    UNIQUE (order_id, kind)
);
CREATE INDEX bill_lines_bill ON bill_lines(bill_id, id);

-- A bill's totals per currency, the sums of its lines, written with them.
CREATE TABLE bill_totals (
    bill_id BIGINT NOT NULL REFERENCES bills(id) ON DELETE CASCADE,
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    amount_minor BIGINT NOT NULL,
    settlement_micros BIGINT NOT NULL,
    PRIMARY KEY (bill_id, currency)
);

-- The seller's invoice for a bill, checked by content (PDF, PNG or JPEG).
CREATE TABLE bill_invoices (
    bill_id BIGINT PRIMARY KEY REFERENCES bills(id) ON DELETE CASCADE,
    filename TEXT NOT NULL CHECK (length(filename) <= 200),
    content_type TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    data BLOB NOT NULL,
    uploaded_at TIMESTAMP NOT NULL
);

-- Which month's bill job has finished: the sweeper runs it on the 7th until it has.
CREATE TABLE bill_runs (
    period TEXT PRIMARY KEY CHECK (length(period) = 7),
    finished_at TIMESTAMP NOT NULL,
    bills BIGINT NOT NULL
);

-- A buyer's refund request on an order, decided by the seller.
CREATE TABLE order_refunds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    state TEXT NOT NULL CHECK (state IN ('requested', 'approved', 'rejected')),
    decision_note TEXT CHECK (length(decision_note) <= 1000),
    created_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    decided_by BIGINT REFERENCES users(id)
);
CREATE INDEX order_refunds_order ON order_refunds(order_id, id);
-- One open request per order.
CREATE UNIQUE INDEX order_refunds_open ON order_refunds(order_id) WHERE state = 'requested';
CREATE INDEX order_refunds_company ON order_refunds(company_id, state);

CREATE TABLE orders_new (
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
        'cancelled', 'expired', 'unsubscribed')),
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
    delivered_at TIMESTAMP,
    -- The company the buyer orders for, as typed at checkout (SPEC 11).
    buyer_company TEXT CHECK (length(buyer_company) <= 200),
    refunded_minor BIGINT NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
    refunded_at TIMESTAMP,
    renews_order_id BIGINT REFERENCES orders(id),
    sale_bill_id BIGINT REFERENCES bills(id),
    refund_bill_id BIGINT REFERENCES bills(id)
);
INSERT INTO orders_new (id, buyer_id, product_id, company_id, release_id, product_name,
        delivery_method, spec_name, sku_key, sku_label, billing, quantity, period_kind,
        period_count, region, currency, amount_minor, platform_share_bp, trial, state,
        created_at, updated_at, pay_by, paid_at, starts_at, expires_at, closed_at, flow, step,
        delivered_at)
    SELECT id, buyer_id, product_id, company_id, release_id, product_name, delivery_method,
        spec_name, sku_key, sku_label, billing, quantity, period_kind, period_count, region,
        currency, amount_minor, platform_share_bp, trial, state, created_at, updated_at, pay_by,
        paid_at, starts_at, expires_at, closed_at, flow, step, delivered_at FROM orders;
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;
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
CREATE TABLE order_events_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('placed', 'paid', 'cancelled', 'expired', 'step',
        'accepted', 'auto_accepted', 'refund_requested', 'refund_approved', 'refund_rejected',
        'billed')),
    detail TEXT,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO order_events_new (id, order_id, actor_id, kind, detail, created_at)
    SELECT id, order_id, actor_id, kind, detail, created_at FROM order_events;
DROP TABLE order_events;
ALTER TABLE order_events_new RENAME TO order_events;
CREATE INDEX order_events_order ON order_events(order_id, id);

-- The bill job reads only what is still to bill.
CREATE INDEX orders_to_bill ON orders(company_id, closed_at)
    WHERE sale_bill_id IS NULL AND state IN ('completed', 'unsubscribed')
        AND amount_minor > refunded_minor;
CREATE INDEX orders_refund_to_bill ON orders(company_id)
    WHERE refund_bill_id IS NULL AND refunded_minor > 0 AND sale_bill_id IS NOT NULL;
CREATE INDEX orders_renews ON orders(renews_order_id) WHERE renews_order_id IS NOT NULL;
COMMIT;
PRAGMA foreign_keys = ON;
