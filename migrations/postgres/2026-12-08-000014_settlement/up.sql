-- Settlement (SPEC 12): a bill per seller and month, a line per ready order (or per refund of
-- an order billed before it was refunded); unsubscription (SPEC 11): a buyer's refund request,
-- decided by the seller; renewal: a new order that continues an earlier one.

CREATE TABLE bills (
    id BIGSERIAL PRIMARY KEY,
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
    id BIGSERIAL PRIMARY KEY,
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
    data BYTEA NOT NULL,
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
    id BIGSERIAL PRIMARY KEY,
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

ALTER TABLE orders DROP CONSTRAINT orders_state_check;
ALTER TABLE orders ADD CONSTRAINT orders_state_check CHECK (state IN ('pending_payment',
    'processing', 'completed', 'cancelled', 'expired', 'unsubscribed'));
ALTER TABLE order_events DROP CONSTRAINT order_events_kind_check;
ALTER TABLE order_events ADD CONSTRAINT order_events_kind_check CHECK (kind IN ('placed', 'paid',
    'cancelled', 'expired', 'step', 'accepted', 'auto_accepted', 'refund_requested',
    'refund_approved', 'refund_rejected', 'billed'));
-- The company the buyer orders for, as the buyer typed it at checkout (SPEC 11: the seller sees
-- the buyer's company name and email, nothing more).
ALTER TABLE orders ADD COLUMN buyer_company TEXT CHECK (length(buyer_company) <= 200);
ALTER TABLE orders ADD COLUMN refunded_minor BIGINT NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0);
ALTER TABLE orders ADD COLUMN refunded_at TIMESTAMP;
ALTER TABLE orders ADD COLUMN renews_order_id BIGINT REFERENCES orders(id);
ALTER TABLE orders ADD COLUMN sale_bill_id BIGINT REFERENCES bills(id);
ALTER TABLE orders ADD COLUMN refund_bill_id BIGINT REFERENCES bills(id);
-- The bill job reads only what is still to bill.
CREATE INDEX orders_to_bill ON orders(company_id, closed_at)
    WHERE sale_bill_id IS NULL AND state IN ('completed', 'unsubscribed')
        AND amount_minor > refunded_minor;
CREATE INDEX orders_refund_to_bill ON orders(company_id)
    WHERE refund_bill_id IS NULL AND refunded_minor > 0 AND sale_bill_id IS NOT NULL;
CREATE INDEX orders_renews ON orders(renews_order_id) WHERE renews_order_id IS NOT NULL;
