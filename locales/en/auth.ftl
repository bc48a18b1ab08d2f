# Sign in, sign up, sign out and passwords, in English. Every key has its twin in ../zh-CN/auth.ftl.
auth-email = Email
auth-password = Password
# Sign in
auth-sign-in-title = Sign in
auth-sign-in-button = Sign in
auth-new-here = New to the marketplace?
auth-create-account-link = Create an account
auth-wrong-credentials = The email or password is not right.
auth-refused-network = Too many failed sign-in attempts from your network. Try again in { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
auth-refused-account = Too many failed sign-in attempts for this account from browsers that have not signed in to it before. Try again in { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
# Sign out
auth-sign-out-title = Sign out
auth-sign-out-question = Sign out of Seller Console on this browser?
auth-sign-out-button = Sign out
auth-stay-signed-in = Stay signed in
# Change password
auth-password-title = Change password
auth-password-intro = Changing your password signs you out everywhere else.
auth-current-password = Current password
auth-new-password = New password
auth-repeat-new-password = Repeat the new password
auth-password-hint = At least { $min } characters.
auth-password-button = Change password
auth-current-password-wrong = The current password is not right.
auth-passwords-differ = The two passwords are not the same.
auth-password-too-short = Use at least { $min } characters.
auth-password-too-long = Use at most { $max } characters.
auth-password-changed = Password changed. Every other session has been signed out.
# Sign up
auth-signup-title = Sign up
auth-signup-heading = Create a seller account
auth-signup-intro = After signing up, register your company to release products on the marketplace.
auth-repeat-password = Repeat the password
auth-signup-button = Create account
auth-have-account = Already have an account?
auth-sign-in-link = Sign in
auth-email-invalid = Enter a valid email address.
auth-signup-throttled = Too many sign-ups from your network in the last hour. Try again later.
# Sign up: the mail was sent
auth-sent-title = Check your inbox
auth-sent-text = We sent a message to the address you entered. Open the link in it within 24 hours to finish creating your account.
# "…or <a>sign up again</a> with the right address…": the text around the link.
auth-sent-help-before = Nothing arrived after a few minutes? Check the spam folder, or{" "}
auth-sent-help-link = sign up again
auth-sent-help-after = {" "}with the right address. If the address already has an account, the message says so and links to sign in.
# Sign up: the link of the mail
auth-confirm-title = Confirm your account
# "Create the seller account for <strong>email</strong>?": the text around the address.
auth-confirm-before = Create the seller account for{" "}
auth-confirm-after = ?
auth-confirm-button = Create my account
auth-link-broken-title = This link does not work
# "…<a>Sign up again</a> to get a new one, or <a>sign in</a> if your account exists.": the text
# around the two links.
auth-link-broken-before = It has expired, was already used, or was not copied whole.{" "}
auth-link-broken-signup = Sign up again
auth-link-broken-middle = {" "}to get a new one, or{" "}
auth-link-broken-signin = sign in
auth-link-broken-after = {" "}if your account exists.
auth-welcome = Welcome! Register your company to release products; you can prepare drafts meanwhile.
auth-signup-buyer-heading = Create a buyer account
auth-signup-buyer-intro = Buy products of the marketplace and follow your orders.
auth-signup-as-buyer = Buying, not selling? Create a buyer account
