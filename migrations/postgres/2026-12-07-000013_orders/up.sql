ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('seller', 'operator', 'admin', 'buyer'));

-- A buyer's order of one specification and SKU of a listed product (SPEC 11). The price is the
-- server's quote() for the release bought, frozen here with that release and the product's
-- platform share; nothing about the order is read back from the product afterwards.
CREATE TABLE orders (
    id BIGSERIAL PRIMARY KEY,
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
CREATE TABLE order_events (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('placed', 'paid', 'cancelled', 'expired', 'step',
        'accepted', 'auto_accepted')),
    detail TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX order_events_order ON order_events(order_id, id);

-- Payment notifications already applied, by the provider's id: a replayed one changes nothing.
CREATE TABLE payment_notifications (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) <= 64),
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    received_at TIMESTAMP NOT NULL
);

-- Which role a confirmed sign-up gets: a buyer signs up from the catalog.
ALTER TABLE pending_signups ADD COLUMN role TEXT NOT NULL DEFAULT 'seller'
    CHECK (role IN ('seller', 'buyer'));

-- The platform's share of each sale of a product, set by operations (basis points).
ALTER TABLE products ADD COLUMN platform_share_bp INTEGER NOT NULL DEFAULT 1000
    CHECK (platform_share_bp BETWEEN 0 AND 10000);
