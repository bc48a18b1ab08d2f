# Settlement: monthly bills, their lines, invoices and payouts (SPEC 12).
nav-settlement = Settlement
nav-ops-settlement = Settlement
settlement-lead = On the 7th of each month a bill is made for the previous month with a line per order that was paid, delivered and accepted. Orders not ready yet move to a later bill. Confirm the bill or dispute it; once operations approve it, upload your invoice, and the payout follows.
settlement-none = No bills yet.
settlement-period = Month
settlement-bill-title = Bill for { $period }
settlement-col-lines = Lines
settlement-col-amount = Amount excl. tax
settlement-col-settlement = Settlement amount
settlement-col-kind = Line
settlement-line-sale = Sale
settlement-line-refund = Refund
settlement-generated-at = Generated
settlement-confirmed-at = Confirmed
settlement-disputed-at = Disputed
settlement-dispute-reason = Reason for the dispute
settlement-resolution = Resolution
settlement-approved-at = Approved
settlement-invoiced-at = Invoice uploaded
settlement-invoice-download = Download the invoice
settlement-paid-at = Paid out
settlement-totals = Totals
settlement-lines = { $count ->
    [one] 1 line
   *[other] { $count } lines
}
settlement-export = Export the lines (CSV)
settlement-pager = Page { $page } of { $pages }
settlement-next = What to do next
settlement-confirm-hint = The lines and totals are right: operations approve the bill next.
settlement-confirm = Confirm the bill
settlement-confirmed = The bill is confirmed. Operations approve it next.
settlement-dispute-hint = Say which lines are wrong and why (up to 1,000 characters).
settlement-dispute = Dispute the bill
settlement-disputed = Your dispute is recorded. Operations will look into it.
settlement-cannot-move = This bill cannot do that now.
settlement-reason-needed = Say why you dispute the bill.
settlement-note-needed = Say how the dispute was settled.
settlement-text-long = At most { $max } characters.
settlement-invoice = Invoice
settlement-invoice-hint = A PDF, PNG or JPEG of your invoice for the settlement amount, up to 10 MB.
settlement-invoice-upload = Upload the invoice
settlement-invoice-replace = Replace the invoice
settlement-invoice-stored = The invoice is uploaded. Operations record the payout next.
settlement-invoice-not-now = This bill does not take an invoice now.
settlement-invoice-not-scan = The invoice must be a PDF, PNG or JPEG file.
settlement-period-invalid = Give a month as YYYY-MM.
settlement-period-not-ended = Bills are made only for a month that has ended.
settlement-notice-generated = Your bill for { $period } is ready
settlement-notice-approved = Your bill for { $period } is approved: upload your invoice
settlement-notice-resolved = Your dispute of the bill for { $period } is settled
settlement-notice-paid = Your bill for { $period } is paid out
settlement-notice-total = { $amount } excl. tax, settlement { $settlement }
settlement-notice-lines = { $count ->
    [one] 1 line
   *[other] { $count } lines
}
settlement-notice-reference = Payout reference: { $reference }
ops-settlement-title = Settlement
ops-settlement-lead = Every seller's bills. Approve confirmed bills, settle disputes, and record payouts once the invoice is in.
ops-settlement-run = Make a month's bills
ops-settlement-run-hint = The job makes the previous month's bills on the 7th. Making them again changes nothing: each seller has one bill a month.
ops-settlement-run-button = Make the bills
ops-settlement-run-done = { $period }: { $count } bills, finished { $at }
ops-settlement-ran = Bills for { $period }: { $count } made.
ops-settlement-col-seller = Seller
ops-settlement-approve = Approve the bill
ops-settlement-approved = The bill is approved. The seller is asked for its invoice.
ops-settlement-resolve = Settle the dispute
ops-settlement-resolve-hint = What was found and decided; the seller reads it.
ops-settlement-resolved = The dispute is settled. The bill waits for approval again.
ops-settlement-reference = Payout reference
ops-settlement-reference-hint = The bank transfer's reference.
ops-settlement-pay = Record the payout
ops-settlement-paid = The payout is recorded.
ops-settlement-waiting-invoice = Waiting for the seller's invoice.
settlement-bills-pager = Page { $page } of { $pages } ({ $total ->
    [one] 1 bill
   *[other] { $total } bills
})
