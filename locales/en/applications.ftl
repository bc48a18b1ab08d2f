# My Applications (the seller's list, an application's page, withdraw and delete) and the
# message center's flashes. Every key here has its twin in ../zh-CN/applications.ftl.
apps-title = My Applications
apps-lead = Everything you submitted for review, newest first. Operations decide within 3 working days.
apps-tabs-label = Status
apps-tab-all = All
apps-filter-type = Type
apps-filter-all-types = All types
apps-filter-apply = Apply
apps-empty = No applications match.
apps-table-caption = Your applications
apps-col-type = Type
apps-col-subject = Subject
apps-col-status = Status
apps-col-submitted = Submitted
apps-col-due = Due
apps-col-latest-comment = Latest comment
apps-overdue = Overdue
apps-may-take-longer = may take longer
apps-pager-label = Pages
apps-pager-prev = Previous
apps-pager-next = Next
apps-pager = Page { $page } of { $pages } ({ $total } applications)
# One application
apps-detail-title = Application #{ $id }
apps-back = ← My Applications
apps-submitted = Submitted
apps-decision-due = Decision due
apps-may-take-longer-detail = 10 or more release requests were submitted on that day: the review may take longer.
apps-reason = Reason
apps-reviewer-comment = Reviewer's comment
apps-fields-to-fix = Fields to fix
apps-fix-resubmit = Fix and resubmit
apps-view-product = View the product
apps-withdraw = Withdraw
apps-delete = Delete
apps-what-submitted = What you submitted
apps-removal-heading = Removal asked for
apps-removal-target = What is removed
apps-removal-reason = Reason
apps-removal-files = Proof files
apps-removal-no-files = None
apps-removal-final = Approval cannot be undone.
# Who took a step of the timeline, as the seller sees it.
apps-actor-operations = Operations
apps-actor-seller = Seller
apps-actor-system = System
# Withdraw and delete
apps-confirm-subject = { $kind } #{ $id }: { $subject }
apps-cancel = Cancel
apps-delete-heading = Delete application #{ $id }?
apps-delete-explanation = It disappears from your list. Operations keep its record.
apps-delete-button = Delete application
apps-withdraw-heading = Withdraw application #{ $id }?
apps-withdraw-explanation = Operations stop reviewing it. A product goes back to your drafts; you can submit again later.
apps-withdraw-button = Withdraw application
apps-flash-withdrawn = Application #{ $id } was withdrawn.
apps-flash-deleted = Application #{ $id } was deleted.
apps-error-not-deletable = Application #{ $id } is { $status }: only rejected or withdrawn applications can be deleted.
apps-error-not-withdrawable = Application #{ $id } is { $status } and can no longer be withdrawn.
# A status inside a sentence ("Application #3 is pending review and …").
apps-status-in-sentence-pending = pending review
apps-status-in-sentence-in_review = in review
apps-status-in-sentence-approved = approved
apps-status-in-sentence-rejected = rejected
apps-status-in-sentence-withdrawn = withdrawn
# Message center
apps-messages-none-unread = No unread messages.
apps-messages-marked-read = { $n ->
    [one] { $n } message marked as read.
   *[other] { $n } messages marked as read.
}
