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

## Observations
nav-observations = Observations
nav-referrals = Forwarded observations
nav-pages = Result pages
nav-previous = Previous page
nav-next = Next page
page-observations-title = Observations
page-new-observation-title = New observation
page-draft-title = Draft observation
page-referrals-title = Observations forwarded to your institution
landing-our-observations = Our observations
landing-referrals = Observations to handle
landing-overdue = Overdue
landing-triage = To triage
landing-all-observations = All observations
list-count = { $count } result(s) · page { $page } of { $pages }
list-empty = No observation matches.
notice-submitted = Observation filed. The NHRC will review it.
notice-saved = Draft saved.

action-new-observation = File an observation
action-save-draft = Save draft
action-submit = File the observation
action-resume-draft = Resume the draft
action-forward = Forward
action-add-note = Add the note
action-upload = Attach the documents
action-record = Record
action-filter = Filter
action-obs-submit = File
action-obs-ask_info = Ask for more information
action-obs-clarify = Provide the information
action-obs-forward = Forward
action-obs-decline = Decline the observation
action-obs-close = Close the observation
action-obs-reopen = Reopen
action-obs-withdraw = Withdraw the observation
action-ref-acknowledge = Acknowledge receipt
action-ref-start = Open the investigation
action-ref-ask_info = Ask for information
action-ref-clarify = Answer the information request
action-ref-respond = Respond officially
action-ref-accept = Accept the response
action-ref-contest = Contest the response
action-ref-escalate = Escalate
action-ref-return = Return to the institution
action-ref-close = Close the referral

status-obs-draft = Draft
status-obs-submitted = Filed
status-obs-needs_info = Information requested
status-obs-referred = Forwarded
status-obs-declined = Declined
status-obs-closed = Closed
status-ref-forwarded = Forwarded
status-ref-acknowledged = Acknowledged
status-ref-in_progress = Under investigation
status-ref-info_requested = Information requested
status-ref-responded = Responded
status-ref-accepted = Response accepted
status-ref-contested = Response contested
status-ref-escalated = Escalated
status-ref-closed = Closed
status-overdue = Overdue

resolution-resolved = Resolved
resolution-partially_resolved = Partially resolved
resolution-unresolved = Unresolved
resolution-referred_elsewhere = Referred elsewhere
resolution-withdrawn = Withdrawn

protection-anonymous_to_institution = The institution will not know which organisation filed (recommended)
protection-organisation_visible = The institution will see our organisation's name
protection-named_contact = The institution may contact the person named below, who consents

visibility-everyone = Every party
visibility-cso_nhrc = Organisation and NHRC
visibility-nhrc = NHRC only

event-submit = Observation filed
event-ask_info = Information requested
event-clarify = Information provided
event-forward = Forwarded to the institution
event-decline = Observation declined
event-close = Closed
event-reopen = Reopened
event-withdraw = Withdrawn by the organisation
event-acknowledge = Receipt acknowledged
event-start = Investigation opened
event-respond = Official response
event-accept = Response accepted
event-contest = Response contested
event-escalate = Escalated to the NHRC
event-return = Returned to the institution
event-comment = Note
event-action_taken = Action taken
event-document_added = Document attached
event-closed_with_observation = Closed with the observation
event-auto_escalate = Escalated automatically (deadline passed)

obs-untitled = (untitled)
obs-no-files = No files.
obs-document = institution's document
obs-original = sealed original
obs-timeline = History
obs-system = System
obs-sensitive = Sensitive
obs-actions = Possible actions
obs-forward-title = Forward to an institution
obs-forward-hint = One referral per institution. You may remove from the title and description anything that could identify people: the original stays visible to the NHRC and the organisation.
obs-referrals = Referrals
obs-ack-due = Acknowledgement due on
obs-respond-due = Response due on
obs-released-version = Version released to the institution
obs-add-note = Add a note
obs-forwarded-on = Forwarded on
obs-due = Due
obs-files = Files
obs-organisation-protected = Not disclosed (identity protection)
obs-documents-title = The institution's documents
obs-action-taken-title = Action taken

field-title = Title
field-description = Description of the facts
field-category = Category
field-institutions = Institution(s) concerned
field-place = Exact place
field-incident-date = Date of the facts
field-date-day = Exact date
field-date-month = Month (approximate date)
field-affected = People affected
field-women = Women
field-men = Men
field-girls = Girls (under 18)
field-boys = Boys (under 18)
field-protection = Identity protection
field-contact-name = Contact person
field-contact-phone = This person's phone
field-contact-consent = This person agrees to be contacted by the institution
field-evidence = Evidence
field-resolution = Outcome
field-note = Note (optional)
field-note-required = Reason or message (required)
field-released-title = Released title
field-released-description = Released description
field-share-evidence = Share the evidence (copies without metadata)
field-visibility = Visible to
field-documents = Documents
field-action-taken = Action taken (visible to the organisation and the NHRC)
field-search = Search (text or reference)
field-from = From
field-to = To
field-sort = Order
field-overdue-only = Overdue only

form-filing-hint = Do not write the name of any victim or witness. You can save a draft at any time and resume it later.
form-title-hint = A few words, without anyone's name.
form-description-hint = What happened, when, who was involved (unit, function), without naming victims.
form-choose = — Choose —
form-institutions-hint = Those you believe concerned; the NHRC decides where to forward.
form-place-hint = Neighbourhood, village, checkpoint…
form-date-exact = I know the day
form-date-month = I only know the month
form-month-hint = Format YYYY-MM, for example 2026-10.
form-affected-hint = Numbers only, never names.
form-contact-hint = Only if you chose "named person".
form-evidence-hint = JPEG or PNG photos, PDF, audio recordings; at most 20 MB per file and 10 files. Photos given to institutions are cleaned of their metadata (GPS position, camera, date).
form-all = All
form-filters = Filters and search
form-sort-default = Default
form-sort-newest = Newest first
form-sort-oldest = Oldest first

error-too-long = Text too long.
error-count = Enter a whole number between 0 and 100,000.
error-date = Invalid date.
error-date-future = The date cannot be in the future.
error-title-short = The title needs at least 5 characters.
error-description-short = Describe the facts in at least 20 characters.
error-institutions-required = Choose at least one institution.
error-consent-required = The person's consent is needed.
error-choice-invalid = Invalid choice.
error-form-expired = This form is no longer valid; reload the page.
error-file-too-large = File too large (20 MB at most). Everything else you entered is saved.
error-file-type = File type refused: only JPEG, PNG, PDF and audio are accepted.
error-file-count = Too many files (10 at most).
error-file-none = Choose at least one file.
error-note-required = This action needs a reason or a message.
error-stale = The case changed in the meantime; reload the page.
error-action-invalid = Unknown action.
error-close-open-referrals = Referrals are still open: give the reason for closing.
error-already-forwarded = Already forwarded to this institution.

## Notifications
mail-new-status = New status: { $status }
mail-institution = Institution: { $institution }
mail-open = Sign in to see the case:
mail-preferences = Choose when to receive these messages:
mail-unsubscribe = Stop receiving these messages:
mail-submitted-subject = Veille: observation filed ({ $reference })
mail-submitted-body = Observation { $reference } was filed and awaits the NHRC's review.
mail-info_requested-subject = Veille: information requested ({ $reference })
mail-info_requested-body = More information is requested on observation { $reference }.
mail-info_provided-subject = Veille: information provided ({ $reference })
mail-info_provided-body = The organisation provided the information requested on observation { $reference }.
mail-forwarded-subject = Veille: observation forwarded ({ $reference })
mail-forwarded-body = Observation { $reference } was forwarded by the NHRC.
mail-acknowledged-subject = Veille: receipt acknowledged ({ $reference })
mail-acknowledged-body = The institution acknowledged receipt of observation { $reference }.
mail-responded-subject = Veille: the institution responded ({ $reference })
mail-responded-body = The institution responded officially to observation { $reference }.
mail-contested-subject = Veille: response contested ({ $reference })
mail-contested-body = The organisation contests the response to observation { $reference }.
mail-escalated-subject = Veille: observation escalated ({ $reference })
mail-escalated-body = The referral of observation { $reference } was escalated to the NHRC.
mail-returned-subject = Veille: observation returned ({ $reference })
mail-returned-body = The NHRC returns observation { $reference } to you for action.
mail-declined-subject = Veille: observation declined ({ $reference })
mail-declined-body = The NHRC did not take up observation { $reference }.
mail-closed-subject = Veille: observation closed ({ $reference })
mail-closed-body = Observation { $reference } is closed.
mail-reminder-subject = Veille: deadline approaching ({ $reference })
mail-reminder-body = A deadline is approaching for observation { $reference }.
mail-overdue-subject = Veille: deadline passed ({ $reference })
mail-overdue-body = A deadline has passed for observation { $reference }.
mail-digest-subject = Veille: today's summary
mail-digest-body = { $count } observation(s) changed today:

nav-preferences = Preferences
nav-mail = Failed mail
page-preferences-title = Notification preferences
page-preferences-lead = Receive an e-mail at every change, one summary a day, or nothing. E-mails never contain the content of observations.
field-preference = Receive notifications
preference-immediate = At every change
preference-daily = One summary a day
preference-off = Never
notice-preferences-saved = Preferences saved.
page-unsubscribe-title = Unsubscribe
page-unsubscribe-lead = Confirm to stop receiving Veille's notifications.
action-unsubscribe = Stop notifications
notice-unsubscribed = You will no longer receive notifications. You can change your mind in your preferences.
error-unsubscribe-invalid = This unsubscribe link is not valid.
admin-mail-lead = Mail that could not be delivered (given up) or is waiting for another attempt.
admin-mail-empty = No failed mail.
field-recipient = Recipient
field-template = Message
field-attempts = Attempts
field-error = Last error
action-resend = Resend
state-dead = Given up
state-pending = Retry scheduled

## Dashboard
page-dashboard-title = Dashboard
landing-dashboard = Dashboard and trends
field-month-from = From month (YYYY-MM)
field-month-to = To month (YYYY-MM)
field-womens-filter = Filing organisation
field-sensitive-filter = Category
error-month-invalid = Give a month as YYYY-MM, for example 2026-03.
error-period-order = The end month must come after the start month.
error-choice-unknown = This choice does not exist; pick one from the list.
stats-totals = Overview
stats-by-status = Observations by status
stats-observations = Observations
stats-received = Forwarded
stats-ack-on-time = Acknowledged on time
stats-resp-on-time = Responded on time
stats-median-ack = Median working days to acknowledge
stats-median-resp = Median working days to respond
stats-overdue-now = Overdue today
stats-contested-share = Responses contested
stats-escalated = Escalated to the NHRC
stats-more-than = more than { $days }
stats-trend = Observations filed per month
stats-trend-received = Observations forwarded per month
stats-month = Month
stats-institutions = Institution performance
stats-institution = Institution
stats-region = Region
stats-cercle = Cercle
stats-category = Category
stats-lens = Gender lens
stats-lens-womens = Women's organisations
stats-lens-other-organisations = Other organisations
stats-lens-sensitive = Sensitive categories
stats-lens-other-categories = Other categories
stats-overdue = Overdue, oldest first
stats-no-overdue = Nothing is overdue.
stats-overdue-more = { $count } overdue in all; the 50 oldest are listed.
stats-reference = Reference
stats-due = Due
stats-days-late = Days late
