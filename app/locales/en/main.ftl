# Veille — English catalogue

## Navigation
nav-skip = Skip to content
nav-main = Main navigation
nav-home = Back to the home page
nav-login = Sign in
nav-logout = Sign out
nav-quick-exit = Quick exit
nav-forgot-password = Forgot your password?
nav-organisation = My organisation
nav-members = Members
nav-institution = My institution
nav-monitoring = Monitoring
nav-admin = Administration
nav-users = Accounts
nav-organisations = Organisations
nav-institutions = Institutions
nav-categories = Categories
nav-holidays = Public holidays
nav-regions = Regions and cercles

## Languages
lang-fr = Français
lang-en = English

## Roles
role-cso_member = Organisation member
role-cso_coordinator = Organisation coordinator
role-liaison = Liaison officer
role-monitor = NHRC analyst
role-admin = Administrator

## Home
home-title = Citizen oversight of the security sector
home-lead = Civil society organisations report what they observe about the police, gendarmerie, armed forces, civil protection, justice and prison services. The National Human Rights Commission forwards it, the institution answers, and everyone follows the answer.
home-step-file = An organisation files an observation.
home-step-triage = The NHRC reviews it and forwards it to the institution concerned.
home-step-respond = The institution responds officially; the organisation accepts or contests.
home-invitation-only = Access is by invitation: ask your coordinator or the NHRC.

## Pages
page-login-title = Sign in
page-forgot-title = Forgotten password
page-forgot-lead = Enter your e-mail address: if an account exists, you will receive a link to choose a new password.
page-set-password-title = Choose a password
page-set-password-lead = This link works only once. Choose a password you use nowhere else.
page-not-found-title = Page not found

## Landing pages
landing-organisation-title = Organisation space
landing-organisation-lead = Your observations and the institutions' responses will appear here.
landing-no-observations = No observations yet.
landing-institution-title = Institution space
landing-institution-lead = Observations the NHRC forwards to your institution will appear here.
landing-no-referrals = No forwarded observations yet.
landing-monitoring-title = NHRC monitoring
landing-monitoring-lead = Observations to review and trends will appear here.
landing-no-submissions = No observations to review yet.
landing-admin-title = Platform administration
landing-admin-lead = Accounts, organisations and reference data.

## Administration
admin-users-title = Accounts
admin-users-lead = Invite organisation coordinators, liaison officers, NHRC analysts and administrators.
admin-members-lead = Invite the members of your organisation or disable their accounts.
admin-invite-title = Invite someone
admin-status-active = Active
admin-status-invited = Invited
admin-status-disabled = Disabled
admin-organisations-lead = The registered civil society organisations.
admin-organisation-new = New organisation
admin-womens-tag = Women's organisation
admin-institutions-lead = Response deadlines in working days, counted from forwarding.
admin-categories-lead = The themes offered to organisations. A sensitive theme restricts who may handle the observation.
admin-holidays-lead = Public holidays do not count towards deadlines. Religious dates are approximate: correct them when they are announced.
admin-holiday-new = Add a public holiday
admin-regions-lead = Regions of Mali and cercles (historical layout).
admin-no-cercles = No cercles recorded.

## Fields
field-email = E-mail address
field-password = Password
field-new-password = New password
field-confirm-password = Confirm the password
field-display-name = Display name
field-role = Role
field-organisation = Organisation
field-institution = Institution
field-language = Language
field-affiliation = Affiliation
field-status = Status
field-actions = Actions
field-name = Name
field-name-fr = Name in French
field-name-en = Name in English
field-acronym = Acronym
field-region = Region
field-womens-organisation = Women's organisation
field-contact-email = Contact e-mail
field-ack-days = Acknowledgement (working days)
field-respond-days = Response (working days)
field-active = Active
field-sensitive = Sensitive
field-date = Date

## Form help
form-password-rule = 12 to 128 characters; any characters are allowed.
form-organisation-hint = For an organisation coordinator.
form-institution-hint = For a liaison officer.

## Actions
action-login = Sign in
action-send-link = Send the link
action-save-password = Save the password
action-invite = Send the invitation
action-enable = Enable
action-disable = Disable
action-save = Save
action-create = Create
action-add = Add
action-delete = Delete

## Notices
notice-loading = Loading…
notice-reset-sent = If an account exists for this address, a link has just been sent to it. It is valid for one hour.
notice-invitation-sent = Invitation sent.

## Errors
error-unauthenticated = Please sign in to see this page.
error-not-found = Not found.
error-forbidden = You do not have access to this page.
error-invalid-credentials = Wrong e-mail address or password.
error-too-many-attempts = Too many attempts. Wait a minute before trying again.
error-invalid-token = This link is no longer valid (already used or expired). Ask for a new one.
error-validation = Please correct the fields shown.
error-unexpected = An unexpected error occurred. Please try again later.
error-request = The request could not be processed. Check your connection and try again.
error-reference = (reference { $reference })
error-required = This field is required.
error-email-invalid = Invalid e-mail address.
error-email-taken = An account already exists for this address.
error-name-invalid = Invalid name (120 characters at most).
error-password-too-short = The password must be at least 12 characters long.
error-password-too-long = The password must be at most 128 characters long.
error-password-mismatch = The two passwords do not match.
error-role-invalid = You cannot invite to this role.
error-organisation-required = Choose an active organisation.
error-institution-required = Choose an active institution.
error-organisation-exists = An organisation already has this name.
error-region-invalid = Unknown region.
error-days-invalid = Enter a number of days between 1 and 365.
error-date-invalid = Invalid date (format YYYY-MM-DD).
error-holiday-exists = This day is already a holiday.
error-locale-invalid = Unknown language.
error-cannot-disable-self = You cannot disable your own account.

## E-mails
mail-greeting = Hello { $name },
mail-invitation-subject = Veille: your invitation
mail-invitation-body = An account has been opened for you on Veille. Choose your password with this link:
mail-invitation-validity = This link works only once and is valid for 7 days.
mail-reset-subject = Veille: new password
mail-reset-body = A new password was requested for your account. Choose it with this link:
mail-reset-validity = This link works only once and is valid for one hour.
mail-ignore = If you did not ask for this, ignore this message.

## Institution kinds
kind-police = Police
kind-gendarmerie = Gendarmerie
kind-national_guard = National guard
kind-armed_forces = Armed forces
kind-civil_protection = Civil protection
kind-penal_service = Prison administration
kind-military_justice = Military justice
kind-inspectorate = Inspectorate
kind-ministry = Ministry
kind-nhrc = National human rights institution
kind-ombudsman = Ombudsman
kind-ssr_body = Security sector reform body
kind-legislature = Legislature

## Reference data (continued)
admin-institution-new = New institution
admin-cercle-new = Add a cercle
field-kind = Kind
field-parent = Attached to (acronym)
field-cercle = Cercle
error-institution-exists = An institution already has this acronym.
error-kind-invalid = Unknown kind.
error-cercle-exists = This cercle already exists in this region.
admin-category-new = New category
