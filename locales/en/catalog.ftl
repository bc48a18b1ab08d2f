# The public catalog: the marketplace's home, a product's page (also the seller's preview),
# prices and service hours. Every key here has its twin in ../zh-CN/catalog.ftl.
catalog-title = Marketplace
catalog-hero = Software marketplace
catalog-hero-lead = Images, SaaS, licenses, professional and consulting services from registered sellers.
catalog-search = Search
catalog-search-placeholder = e.g. backup, 数据库
catalog-delivery-method = Delivery method
catalog-all = All
catalog-category = Category
catalog-sort-by = Sort by
catalog-sort-relevance = Relevance
catalog-sort-newest = Newest
catalog-clear = Clear
catalog-heading = Catalog
catalog-heading-count = ({ $count })
catalog-total-one = 1 product
catalog-total = { $n } products
catalog-total-capped = { $n }+ products
catalog-no-match = No listed product matches your search.
catalog-empty = No products are listed yet.
catalog-pages = Pages
catalog-previous = Previous
catalog-next = Next
catalog-page-of = Page { $page } of { $pages }
catalog-seller-prompt = Are you a seller?{" "}
catalog-seller-signup = Create an account
catalog-seller-or = {" "}or{" "}
catalog-seller-sign-in = sign in
catalog-seller-prompt-end = {" "}to open the Seller Console.
# A hidden or removed product
catalog-hidden-notice = The seller has taken this product out of the catalog; it cannot be found by search.
catalog-removed-title = { $name }: no longer available
catalog-removed-notice = This product is no longer available: the seller removed it from the marketplace. Buyers who hold an order keep it.
catalog-browse = Browse the marketplace
# The product page
catalog-untitled-product = Untitled product
catalog-consulting = Consulting services are arranged with the seller directly:{" "}
catalog-consulting-link = visit the seller's site
catalog-sentence-end = .
catalog-introduction = Introduction
catalog-user-guide = User guide
catalog-details = Details
catalog-specs-prices = Specifications and prices
catalog-spec-mode = ({ $mode })
catalog-free-trial = free trial
catalog-trial-note = Free trial for { $days } days: once per buyer, not renewed; convert to a paid specification at any time.
catalog-quantity-range = { $name }: { $min }–{ $max } { $unit }, in steps of { $step }.
catalog-sold-in = Sold in: { $regions }
catalog-purchase-limit = {" "}· Purchase limit: { $limit }
catalog-regions-all = All regions
catalog-list = { $items }
catalog-limit-once = One purchase per buyer
catalog-limit-max = At most { $max } per buyer
catalog-col-sku = SKU
catalog-col-price = Price
catalog-sku-standard = Standard
catalog-simulator = Pricing simulator
catalog-spec = Specification
catalog-quantity = Quantity
catalog-billing-period = Billing period
catalog-period-count = Number of periods
catalog-calculate = Calculate
catalog-price-label = Price:{" "}
catalog-after-sales = After-sales service
catalog-phone = Phone
catalog-email = Email
catalog-service-hours = Service hours
catalog-service-hours-value = { $days }, { $start }–{ $end }
catalog-no-group = No after-sales service group chosen yet.
catalog-presales = Pre-sales
catalog-no-presales = Pre-sales contact not in force yet.
# Price lines: the amount and the currency as they are; $period is month, year, hour or once.
catalog-unit = unit
catalog-price-flat = { $currency } { $amount } { $period ->
    [month] per month
    [year] per year
    [hour] per hour
   *[once] once
}
catalog-price-unit = { $currency } { $amount } per { $unit } { $period ->
    [month] per month
    [year] per year
    [hour] per hour
   *[once] once
}
catalog-price-band = { $currency } { $amount } per { $unit } { $period ->
    [month] per month
    [year] per year
    [hour] per hour
   *[once] once
} for units { $range }
catalog-range = { $from }–{ $to }
catalog-range-open = { $from } and more
# Service days, as a service group stores them
catalog-day-mon = Mon
catalog-day-tue = Tue
catalog-day-wed = Wed
catalog-day-thu = Thu
catalog-day-fri = Fri
catalog-day-sat = Sat
catalog-day-sun = Sun
