# Stored notices (message center, timeline, history) and emails, and the review fields of each kind.
field-legal_name = Company legal name
field-contact_name = Contact name
field-contact_phone = Contact phone
field-contact_email = Contact email
field-presales_phone = Pre-sales phone
field-presales_email = Pre-sales email
field-presales_address = Contact address
field-country_region = Country or region
field-licence_number = Business license number
field-tax_number = Tax number
field-bank_name = Bank name
field-bank_account_name = Bank account name
field-bank_account_number = Bank account number
field-other = Other
word-yes = Yes
word-no = No
# Timeline steps written by the system.
event-submitted = Submitted
event-claimed = Claimed for review
event-withdrawn-by-seller = Withdrawn by the seller
event-detail-last-spec-removed = its last shown specification was removed
# Message center: a decision.
notice-outcome-approved = approved
notice-outcome-rejected = rejected
notice-decision-title = { $kind } #{ $id } { $outcome }: { $subject }
notice-comment-line = Reviewer's comment: { $reason }
notice-reason-line = Reason: { $reason }
notice-in-force = The change is now in force.
notice-fields-line = Fields to fix: { $fields }
# Emails.
mail-hello = Hello,
mail-label-sep = {": "}
mail-decision-subject = Application #{ $id } { $outcome }: { $kind } - { $subject }
mail-decision-opening = Your { $kind } application #{ $id } ({ $subject }) has been { $outcome }.
mail-comment-label = Reviewer's comment
mail-reason-label = Reason
mail-fields-label = Fields to fix
mail-fields-intro-end = :
mail-in-force = The change is now in force.
mail-fix-and-resubmit = You can fix the application and submit it again.
mail-view-label = View the application
mail-view-application = View application #{ $id }
mail-signup-subject = Confirm your Seller Console account
mail-signup-asked = Someone (we hope you) asked to create a Seller Console account for { $email }.
mail-signup-open-link = To finish, open this link within 24 hours and confirm:
mail-signup-confirm-button = Confirm and create the account
mail-signup-not-you = If it was not you, ignore this message: no account is created.
mail-exists-subject = You already have a Seller Console account
mail-exists-tried = Someone (we hope you) tried to create a Seller Console account for { $email }, but this address already has one.
mail-exists-sign-in-here = {"Sign in here: "}
mail-exists-sign-in = Sign in
mail-exists-forgot = If you forgot the password, ask your marketplace's operations team to reset it.
mail-exists-forgot-after-link = . If you forgot the password, ask your marketplace's operations team to reset it.
mail-exists-not-you = If it was not you, ignore this message: nothing has changed.
# Message center page.
messages-title = Message Center
messages-filter = Filter
messages-all = All
messages-unread = Unread
messages-mark-all-read = Mark all as read
messages-none-unread = No unread messages.
messages-none = No messages yet. Decisions on your applications appear here.
messages-open-application = Open the application
messages-mark-read = Mark as read
# Pagers and the timeline.
pager-label = Pages
pager-previous = Previous
pager-next = Next
messages-pager = Page { $page } of { $pages } ({ $total } messages)
timeline-title = Timeline
ops-retry-not-failed = Message #{ $id } is { $status ->
        [queued] queued
        [sending] sending
        [sent] sent
       *[failed] failed
    }; only a failed message can be retried.
history-who-staff = { $email } (operations)
history-who-system = The system
