# The console's own words, in English. Every key here has its twin in ../zh-CN/core.ftl.
language-name = English
language-switch = Language
time-zone = Time zone
nav-my-products = My Products
nav-drafts = Drafts
nav-my-applications = My Applications
nav-services-support = Services and Support
state-in-review = In review
state-listed = Listed
action-save = Save
action-submit = Submit
action-sign-out = Sign out
products-count = { $n ->
    [one] { $n } product
   *[other] { $n } products
}
brand = Seller Console
skip-to-content = Skip to content
nav-account = Account
nav-console = Console
nav-console-label = Console
nav-home = Home
nav-operations = Operations
nav-messages = Messages
nav-message-center = Message Center
nav-settings = Settings
nav-change-password = Change password
nav-sign-in = Sign in
nav-sign-up = Sign up
nav-dashboard = Dashboard
nav-product-management = Product Management
nav-release-new-product = Release New Product
nav-seller = Seller
nav-registration = Registration
nav-review-queue = Review queue
nav-notification-delivery = Notification delivery
signed-in-as = Signed in as
unread-count = { $n } unread
# Forms
form-problems = { $n ->
    [one] There is a problem
   *[other] There are { $n } problems
}
form-error-prefix = Error:
form-choose = Choose…
# Account settings
settings-title = Settings
settings-language = Language
settings-language-browser = As my browser says
settings-zone-browser = As my browser says (else UTC)
settings-zone-now = Times are shown in { $zone } now.
settings-saved = Your settings are saved.
# Errors
error-status-400 = Bad request
error-status-403 = Forbidden
error-status-404 = Not found
error-status-409 = Conflict
error-status-410 = Gone
error-status-413 = Too large
error-status-422 = Cannot be processed
error-status-429 = Too many requests
error-status-500 = Something went wrong
error-status-503 = Service unavailable
error-not-found = The page you asked for does not exist.
error-forbidden = You are not allowed to see or change this.
error-csrf = Your form has expired or did not come from this site. Reload the page and try again.
error-login-required = Please sign in.
error-unavailable = The service is temporarily unavailable. Please try again shortly.
error-too-slow = This took too long to answer and was stopped. Try a narrower search, or try again in a moment.
error-internal = Something went wrong on our side.
error-busy-search = Too many searches are running right now. Try again in a moment.
error-busy-sign-in = Too many sign-ins are being checked right now. Try again in a moment.
error-form-unreadable = The form could not be read.
error-form-too-large = The form is too large.
error-one-line = Keep this on one line: line breaks are not allowed here.
error-field-invalid = This value is not valid.
error-unknown-language = Choose English or 中文.
error-unknown-time-zone = Choose a time zone from the list.
# Dates
date-with-weekday = { $date } ({ $weekday })
weekday-mon = Mon
weekday-tue = Tue
weekday-wed = Wed
weekday-thu = Thu
weekday-fri = Fri
weekday-sat = Sat
weekday-sun = Sun
error-too-many-connections = Too many connections from your address. Close some and try again.
