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
