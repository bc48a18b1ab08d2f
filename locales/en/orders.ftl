# Orders: checkout, a buyer's orders, order timelines (SPEC 11).
nav-my-orders = My Orders
orders-buy = Buy
orders-buy-note = Buying needs a buyer account.
orders-buyer-signup = Create one
orders-checkout-title = Checkout
orders-checkout-heading = Order { $name }
orders-region = Region
orders-trial-choice = Start the free trial instead
orders-recalculate = Update the price
orders-summary = Your order
orders-amount = Amount
orders-pay-note = The order waits for payment; you can cancel it until it is paid.
orders-place = Place order
orders-placed = Your order is placed. It waits for payment.
orders-cancelled = The order is cancelled.
orders-cannot-cancel = This order can no longer be cancelled.
orders-mine-title = My Orders
orders-none-yet = You have no orders yet. Find a product in the
orders-col-number = Order
orders-col-product = Product
orders-col-state = Status
orders-col-placed = Placed
orders-pager = Page { $page } of { $pages } ({ $total } orders)
orders-order-title = Order #{ $id }
orders-pay-by = Pay by
orders-paid-at = Paid
orders-expires-at = Expires
orders-cancel = Cancel the order
orders-timeline = Timeline
orders-event-placed = Order placed
orders-event-paid = Payment received
orders-event-cancelled = Cancelled by the buyer
orders-event-expired = Expired unpaid
orders-period-months = { $n ->
    [one] 1 month
   *[other] { $n } months
}
orders-period-years = { $n ->
    [one] 1 year
   *[other] { $n } years
}
orders-period-hours = { $n ->
    [one] 1 hour
   *[other] { $n } hours
}
orders-period-trial = { $n }-day free trial
orders-period-once = One-time purchase
orders-not-sold-here = This product is not sold here: contact the seller.
orders-choose-spec = Choose one of the specifications offered.
orders-choose-sku = Choose one of the SKUs of this specification.
orders-region-not-sold = This specification is not sold in that region: choose another.
orders-quantity-number = Enter the quantity as a whole number.
orders-no-trial = This specification has no free trial.
orders-choose-period = Choose a billing period and how many.
orders-hours-max = At most { $max } hours can be bought at once.
orders-amount-unpayable = This price cannot be paid in whole cents: contact the seller.
orders-limit-once = You already hold this product: one purchase per buyer, until it expires.
orders-limit-max = At most { $max } per buyer: { $left } left for you.
orders-trial-taken = You have already taken the free trial of this specification.
nav-ops-orders = Orders
ops-orders-title = Orders
ops-orders-lead = Every order of the marketplace. Record a bank transfer as the payment of an unpaid order: the rules it was placed under are checked again.
ops-orders-all = All
ops-orders-empty = No orders here.
ops-orders-col-buyer = Buyer
ops-orders-col-payment = Payment
ops-orders-reference = Bank transfer reference
ops-orders-record-payment = Record payment
ops-orders-reference-needed = Enter the bank transfer's reference.
ops-orders-reference-long = The reference is at most { $max } characters.
ops-orders-paid = Payment of order #{ $id } recorded.
orders-pay-not-pending = This order is not waiting for payment.
orders-pay-too-late = This order expired unpaid.
orders-pay-not-sold = The product is no longer sold: the order cannot be paid.
orders-pay-spec-gone = This specification is no longer sold: the order cannot be paid.
orders-paid-by-transfer = bank transfer { $reference }
nav-product-transaction = Product Transaction
orders-month = Month placed
orders-month-hint = As 2026-12.
orders-search = Search
orders-search-hint = An order number or a buyer's email.
orders-filter = Filter
orders-seller-none = No orders of your products match.
orders-share = Platform share
orders-notice-placed = Order #{ $id } placed: { $product }
orders-notice-paid = Order #{ $id } paid: { $product }
orders-notice-cancelled = Order #{ $id } cancelled: { $product }
orders-notice-what = { $product }, specification { $spec }
orders-notice-amount = Amount: { $amount }
mail-order-view = View the order
orders-notice-expired = Order #{ $id } expired unpaid: { $product }
orders-too-many-unpaid = You have { $max } orders waiting for payment: pay or cancel one first.
orders-too-many-today = You have placed { $max } orders today: try again tomorrow.
orders-pay-test = Pay now (test payment provider)
orders-paid-now = Payment received. Thank you.
orders-pay-replayed = This payment notification was applied before.
orders-pay-wrong-amount = The amount paid is not the order's.
orders-pay-no-order = There is no such order.
orders-paid-by-provider = payment provider { $reference }
orders-export = Export CSV
orders-csv-currency = Currency
