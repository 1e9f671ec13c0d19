// English, beside the default Simplified Chinese. Keys mirror zh-CN.ts one for one.
// biome-ignore lint/complexity/noUselessStringRaw: raw, so that a backslash written in a message one day reaches Fluent as typed
export const en = String.raw`
## Commands (setMyCommands)
command-start = Open the main menu
command-help = How to use this bot
command-lang = Language 切换语言
command-report = Report a safety hazard
command-ask = Ask the safety office
command-my = My cases
command-status = Check how a case is going
command-cancel = Cancel what is in progress
command-queue = Cases awaiting assignment (dispatchers)
command-new = Record a case taken by phone, letter, visit, 12345 or from above
command-mine = Your unit's open cases
command-supervised = Cases listed for supervision
command-case = A case and its ledger
command-invite = Make a staff invite link
command-schedule = This group's recurring reminders
command-bind = Bind this group to a unit or purpose
command-units = The units and their ids
command-web = Sign in to the console in a desktop browser

## Start and main menu
welcome =
    Hello, { $name }! This is Hazardline, the work-safety hazard reporting and enquiry service.

    Here you can:
    • report a safety hazard or a violation (anonymously if you wish, with a reward claim)
    • ask the safety office a question
    • follow what happens to what you sent

    Please choose:
welcome-group = Please talk to me in a private chat to report or ask: { $link }
menu-report = ⚠️ Report a hazard
menu-ask = 💬 Ask a question
menu-my = 📋 My cases
menu-lang = 🌐 Language 语言

## Language
lang-choose = 请选择语言 / Choose your language:
lang-name = English
lang-set = Language set to English.

## Help
help-title = How to use Hazardline
help-anonymous = You may report anonymously: the officers handling your case never see who you are.
help-staff = Your staff commands ({ $roles }):
help-group = In a work group:
help-report = /report — report a safety hazard or violation
help-ask = /ask — ask the safety office a question
help-my = /my — your cases
help-status = /status NUMBER — how a case is going (a claim code works too)
help-cancel = /cancel — stop what is in progress
help-start = /start — open the main menu
help-lang = /lang — change the language (简体中文 / English)
help-help = /help — show this help
help-new = /new — record a case that reached the office another way: a phone call, a letter, a visit, a 12345 work order, an assignment from above
help-queue = /queue — cases awaiting assignment: assign, reject or mark duplicate
help-mine = /mine — your unit's open cases
help-case = /case NUMBER — a case's card and its ledger
help-supervised = /supervised — cases listed for supervision
help-ranking = /ranking [week|half|month|quarter] [prev] — the units' ranking (red and black lists)
help-stats = /stats [PERIOD] [REGION or SECTOR] — figures for a period
help-export = /export [PERIOD] — the case ledger as Excel and CSV
help-notice = /notice — write and send a notice
help-receipts = /receipts [NOTICE] — who has read a notice
help-publish = /publish NUMBER — publish a listed case to the public channel
help-poster = /poster TOWN [SECTOR] — a QR poster for the web report form (an SVG to print and the code as a PNG)
help-units = /units — the units and their ids
help-web = /web — a one-time sign-in link to the console (for a desktop browser, valid 10 minutes)
help-invite = /invite UNIT ROLES — make a staff invite link
help-schedule = /schedule — this group's recurring reminders
help-bind = /bind — make this group a unit's work group, the dispatchers' or the leaders' group

## Errors and unexpected input
unhandled = Sorry, I did not understand that. Choose below, or send /help for every command.
stale-button = This button has expired. Send /start to begin again.
error-generic = Sorry, something went wrong. Please try again later.

## Report and question flows
report-in-progress =
    You have an unfinished { $flow ->
        [ask] question
        [intake] case record
       *[report] report
    } (started { $started }). Continue it, or start again?
btn-continue = ▶️ Continue
btn-restart = 🔄 Start again
btn-cancel = ✖ Cancel
btn-skip = Skip
btn-done = ✅ Done
btn-submit = ✅ Submit
btn-edit = ✏️ Change
btn-fix = ✏️ Complete it
btn-share-contact = 📱 Share my phone number
ask-kind = What are you reporting?
kind-hazard = A safety hazard
kind-violation = A violation of safety rules
kind-consultation = Question
kind-task = Task
ask-sector = Which sector is it in?
ask-sector-question = Which sector is your question about?
ask-place = Choose the town or street. You may also send a location (📎 → Location), or press Skip.
ask-place-no-towns = Send the location (📎 → Location), or press Skip.
place-pin-matched = 📍 From the location: { $region }.
place-pin-unmatched = 📍 Location saved. Please also choose the town or street, or press Skip.
ask-address = Type the address (e.g. the warehouse of X Company, 12 Y Road), or press Skip.
ask-description = Describe the hazard or violation (at least { $min } characters):
ask-question = Type your question (at least { $min } characters):
ask-media = Send photos, a video or a voice note of the site, or a PDF or picture file (up to { $max }; you may pick several at once). Press Done when finished, or Skip if you have none.
media-received = { $count } file(s) received. Send more, or press Done.
media-album-received = An album was received. Send more, or press Done.
media-full = At most { $max } photos, videos or files can be added; the rest were not saved.
media-too-large = This file is too large (at most { $max } MB) and was not saved. Please compress it and send it again, or send photos instead.
media-wrong-type = Only photos, videos, voice notes, and PDF, picture or video files are taken; this file was not saved.
ask-urgency = Is it urgent?
urgency-urgent = 🔴 Urgent: an accident could happen any moment
urgency-ordinary = Not urgent
ask-identity =
    Do you want to { $flow ->
        [ask] ask
       *[report] report
    } anonymously or with your name?
    • Anonymous: the officers handling it never see who you are; you still get the outcome here.
    • Named: leave a phone number so the officers can check details with you.
identity-anonymous = 🕶 Anonymous
identity-named = 👤 With my name
ask-contact = Press the button below to share your phone number, or type it:
contact-saved = Phone number saved.
contact-not-own = Please share your own phone number.
phone-invalid = That phone number does not look right. Type it again (e.g. 13812345678) or press the button.
ask-reward = Do you want to claim the reward for reports (有奖举报)? Reports found true are rewarded as the rules provide.
reward-yes = 💰 Claim the reward
reward-no = No, thanks
address-too-long = That address is too long; keep it within { $max } characters.

## Summary
summary-title-report = Please check your report:
summary-title-ask = Please check your question:
summary-line = { $label }: { $value }
summary-hint = Press Submit if it is right, or Change to correct something.
summary-choose-field = What do you want to change?
field-kind = Type
field-sector = Sector
field-place = Place
field-address = Address
field-description = Description
field-media = Photos/videos
field-urgency = Urgency
field-identity = Identity
field-reward = Reward
value-none = (none)
value-pin = 📍 location attached
value-anonymous = Anonymous
value-named = Named ({ $phone })
value-urgent = Urgent
value-ordinary = Not urgent
value-reward-yes = Claimed
value-reward-no = Not claimed
value-count = { $count }

## Submitting
problems-title = It cannot be submitted yet. Please complete the following:
problem-kind-missing = • Choose what you are reporting
problem-sector-missing = • Choose the sector
problem-place-missing = • Choose the town or street, send a location or type an address (at least one)
problem-description-missing = • Write a description
problem-description-too-short = • The description is too short: at least { $min } characters
problem-description-too-long = • The description is too long: at most { $max } characters
problem-media-too-many = • At most { $max } photos and videos in all
problem-urgency-missing = • Say whether it is urgent
problem-identity-missing = • Choose anonymous or named
problem-name-missing = • A named caller needs a name
problem-phone-missing = • A named report needs a phone number
problem-reward-missing = • Say whether you claim the reward
submitted =
    ✅ Received. Your { $kind ->
        [consultation] question
       *[other] report
    } number is { $number }.
    You will be told here how it goes; send /status { $number } any time to check.
submitted-claim =
    🔑 Your reward claim code: { $code }
    It is the only proof that this anonymous report is yours when the reward is paid, and it is shown only this once. Save it (a screenshot will do) and tell no one.
already-submitted = You just submitted the same thing, number { $number }; there is no need to send it again.
rate-submit = You have submitted a lot just now. Please try again in { $minutes } minutes.
rate-messages = You are sending messages too fast. Please try again in { $seconds } seconds.
cancelled = Cancelled; the draft is deleted.
nothing-to-cancel = There is nothing in progress to cancel.

## Input the current step does not expect
step-expects-button = Please choose with the buttons. (Send /cancel to stop.)
step-expects-text = This step needs text. (Send /cancel to stop.)
step-expects-media = Send photos, a video, a voice note or a file here, or press Done or Skip.
step-expects-contact = Press the button to share your phone number, or type it.
step-old-button = Please answer the latest question.
edited-ignored = Editing a sent message changes nothing. To correct something, press Change on the summary.
private-only = Please use this in a private chat with me: { $link }
group-only = This command works in a work group: send /{ $command } in the group it is for.

## My cases and status
my-empty = You have not sent a report or a question yet. Send /report to report a hazard, /ask to ask.
my-title = Your recent cases (press one to see how it is going):
my-button = { $number } · { $status }
status-usage = Send /status with a case number or a claim code, e.g. /status YH-20261125-0001
status-not-found = Nothing found. Check the number or claim code (you can only look up what you sent yourself).
status-card =
    Number: { $number }
    Type: { $kind }
    Status: { $status }
timeline-title = What has happened:
timeline-line = { $time }  { $text }
status-new = Received, awaiting assignment
status-assigned = Assigned
status-in_progress = In progress
status-resolved = Rectified, being checked
status-answered = Answered
status-closed = Closed
status-rejected = Not accepted
timeline-received = Received
timeline-assigned = Assigned to { $unit }
timeline-in_progress = In progress
timeline-resolved = Rectified, being checked
timeline-answered = Answered
timeline-closed = Closed
timeline-rejected = Not accepted: { $reason }
timeline-asked = The office asked you for more information
timeline-supplemented = More material sent
timeline-reopened = Not satisfied: handed back to { $unit } to be done again
timeline-follow_up = You asked a follow-up question

## Rating (回访)
rating-request = Your case { $number } is closed. Please rate how it was handled (1–5 stars):
rating-reminder = Your case { $number } is closed and we have no rating from you yet. Would you rate it (1–5 stars)? It takes a second:
rating-thanks = Thank you for rating!
rating-ask-comment = Thank you for your rating: { $stars }. If you have a comment or suggestion, just type it; otherwise press Skip.
rating-comment-saved = Your comment is recorded. Thank you for helping keep people safe!
rating-complaint-prompt = Please write your complaint (for instance, what is still not fixed). It goes to the dispatchers, who may hand the case back to be done again.
rating-complaint-saved = Your complaint has been passed to the dispatchers; you will be told what comes of it.
rating-done = All right, thank you!
rating-refused = This rating cannot be given (perhaps it was given already).
## Citizen: more material for an open case (补充材料、追加材料)
btn-reply-material = ✍️ Reply / send material
btn-add-material = 📎 Add material
btn-follow-up = 💬 Ask a follow-up
btn-complaint = 📣 Complain
btn-material-send = ✅ Send
material-prompt = Send material for case { $number }: text, photos, videos, voice notes, files or a location (📎 → Location), at most { $max } photos, videos and files. Press “Send” when you are done; send /cancel to drop it.
material-received = Received: { $texts } text(s), { $files } photo(s)/file(s){ $pin ->
        [yes] , a location
       *[no] {""}
    }. Send more, or press “Send” when you are done.
material-full = At most { $max } photos and files; this one was not taken. Press “Send” to send what you have.
material-too-long = The text is too long; this part was not taken. Shorten it, or press “Send” to send what you have.
material-unsupported = This kind of message cannot be passed on. Please send text, photos, videos, voice notes, files or a location.
material-empty = Nothing received yet. Send text, photos, files or a location first, then press “Send”.
material-sent = The material you added to case { $number } has been passed to the office handling it. Thank you!
material-sent-answer = Your answer for case { $number } has been passed to the office handling it. Thank you!
material-closed = This case is closed, or is not yours: no more material can be sent to it.
material-cancelled = Cancelled; nothing was sent.
follow-up-prompt = Type your follow-up question on the answer to case { $number } ({ $left } left), then press “Send”; send /cancel to drop it.
follow-up-received = Got your follow-up question. You can add more words; press “Send” when you are done.
follow-up-words-only = A follow-up is words only: please type your question.
follow-up-sent = Your follow-up question on case { $number } has been passed to the office that answered; you will be told its answer.
follow-up-limit = A question takes at most { $max } follow-ups, and they are used up. For anything else, please ask again (/ask).
follow-up-closed = This question has not been answered yet, is closed, or is not yours: no follow-up can be asked.

## Staff: joining and groups
role-liaison = liaison officer
role-dispatcher = dispatcher
role-leader = leader
role-admin = administrator
staff-joined = Welcome to { $unit }! Your roles: { $roles }.
joined-liaison = As a liaison officer: cases assigned to your unit come to you as cards; their buttons accept, transfer, report progress, ask for more time or resolve. /mine lists your unit's open cases.
joined-dispatcher = As a dispatcher: new reports and questions wait in /queue for you to assign to the responsible unit; when a unit resolves one, you verify and close it.
joined-leader = As a leader: you get a daily digest; /stats and /ranking give the figures at any time, /supervised the cases listed for supervision.
joined-admin = As an administrator: /invite brings in staff, /bind in a work group binds it, /units lists the units' ids.
joined-help = Send /help for every command you can use.
invite-used = This invite link has been used already. Ask an administrator for a new one.
invite-expired = This invite link has expired. Ask an administrator for a new one.
invite-unknown = This invite link is not valid.
invite-created =
    Invite link (valid { $days } days, for one person):
    { $link }
    Unit: { $unit }; roles: { $roles }
invite-usage = Usage: /invite UNIT-ID-OR-NAME ROLES (liaison, dispatcher, leader, admin; several separated by commas)
invite-unknown-unit = There is no unit with this id or name (or several share the name): { $unit }
not-allowed = You are not allowed to do that.
bind-usage = Usage (in the group): /bind and choose; or /bind unit UNIT-NAME-OR-ID, /bind dispatchers, /bind leaders
bind-choose = What is this group for: the dispatchers, the leaders, or one unit's work?
bind-unknown-unit = There is no unit with this id or name (or several share the name): { $unit }. Send /bind to choose from buttons, or /units in a private chat with me for the ids.
bind-done = This group is now bound as: { $purpose }
units-title = The units ({ $count }):
units-kind-territorial = Territorial units
units-kind-sectoral = Sector departments
units-kind-office = The safety committee office
units-line = • { $name } — { $id }
units-empty = There are no units yet. An administrator loads them with npm run directory.

## The console: signing in (/web, the menu button, the login page)
web-link =
    Your sign-in link to the console (valid { $minutes } minutes, one use only; do not forward it):
    { $link }
web-no-address = The console has no address configured yet (PUBLIC_URL or CONSOLE_URL); please ask an administrator.
menu-button-console = Console
console-login-title = Hazardline console
console-login-used = This sign-in link has already been used. Send /web to the bot in a private chat for a new one.
console-login-expired = This sign-in link has expired or is not valid. Send /web to the bot in a private chat for a new one (valid 10 minutes, one use).
console-login-too-many = Too many attempts; please try again later.
purpose-unit = the group of { $unit }
purpose-dispatchers = the dispatchers' group
purpose-leaders = the leaders' group

## npm run invite (the operator's terminal: each message in Chinese, then in English on the next line)
invite-cli-usage = Usage: npm run invite -- UNIT-ID-OR-NAME ROLES (liaison, dispatcher, leader, admin, or their Chinese names; several separated by commas)
invite-cli-unknown-unit = there is no unit "{ $unit }" (or several share the name); load the directory first: npm run directory -- import FILE
invite-cli-created = One person, within { $days } days: { $unit } ({ $id }) as { $roles }.
invite-cli-bad-config = the environment is not set right:

## Staff: case cards
card-header-new = 🆕 New case, awaiting assignment
card-header-assigned = 📥 New case assigned
card-header-transfer = 🔁 Transfer request, for your unit to accept
card-header-verify = ✅ Rectified or answered, awaiting verification
card-header-extension = ⏳ Extension request, awaiting a decision
card-header-sent-back = ↩️ Verification failed, sent back
card-header-current = 📋 Case details
card-header-reopened = 🔁 The citizen was not satisfied: handed back, please do it again
card-header-follow-up =
    💬 The citizen asked a follow-up to the answer: please answer again
    Q: { $question }
card-header-dissatisfied = 😞 The citizen rated it { $stars } (not satisfied): check whether it should be done again
card-header-complaint =
    📣 The citizen complains (rated { $stars }): check whether it should be done again
    Complaint: { $comment }
card-header-reporter-replied =
    💬 The reporter answered the request for more information
    Q: { $question }
    A: { $text }{ $extra }
card-header-material-added =
    📎 The reporter added material
    { $text }{ $extra }
material-no-text = (no text)
material-pin = 📍 Location: { $lat }, { $lng }
material-files = 📎 { $count } photo(s)/file(s) attached (below)
card-title = { $number } · { $kind } · { $severity }
card-supervised = 🔴 Listed for supervision
card-status = Status: { $status }{ $unit }
card-sector = Sector: { $sector }
card-place = Place: { $place }
card-pin = Location: { $lat }, { $lng }
card-due = Due: { $due }
card-reporter-anonymous = Reporter: anonymous
card-reporter-named = Reporter: { $name }, { $phone }
card-attachments = Attachments: { $count }
evidence-caption = { $number } · { $step }{ $part }
evidence-step-report = Reported material
evidence-step-progress = Progress material
evidence-step-resolution = Rectification material
evidence-step-material = Material from the reporter
evidence-none = This case has no photos, files or location.
card-duplicate = ⚠️ Possibly the same as { $numbers }
card-pending-transfer = 🔁 Transfer asked to { $unit }: { $reason }
card-pending-extension = ⏳ Extension asked until { $until }: { $reason }
card-merged = Merged into { $number }
card-description = Description:
card-resolution = 🛠 Rectified: { $at } ({ $evidence } photos)
card-measures = Measures taken: { $measures }
card-responsible = Person responsible: { $responsible }
severity-ordinary = ordinary
severity-urgent = urgent
severity-major = major
btn-accept = ✅ Accept
btn-transfer = 🔁 Transfer
btn-transfer-accept = ✅ Take over
btn-transfer-refuse = ✖ Refuse transfer
btn-progress = 📝 Progress
btn-extension = ⏳ More time
btn-extension-approve = ✅ Grant
btn-extension-refuse = ✖ Refuse
btn-resolve = 🛠 Rectified
btn-answer = 💬 Answer
btn-assign = 📤 Assign
btn-reject = ⛔ Reject
btn-severity = ⚠️ Severity
btn-supervise = 🔴 List for supervision
btn-unsupervise = Unlist
btn-duplicate = 🔗 Duplicate
btn-not-duplicate = ✖ Not a duplicate
btn-deadline = 📅 Deadline
btn-close = ✅ Verify and close
btn-send-back = ↩️ Send back
btn-refresh = 🔄 Refresh
btn-evidence = 📎 Photos/location
btn-console = 🖥 Open in console
btn-done-evidence = ✅ Photos done
btn-ask-reporter = ❓ Ask the reporter
btn-reopen = 🔁 Reopen

## Staff: actions that need input
ask-reject-reason = Type the full reason for not accepting it (the citizen is told; say at once everything missing or where to turn instead):
ask-transfer-unit = Transfer to which unit?
ask-assign-unit = Assign to which unit?
ask-assign-liaison = Give it to the whole unit, or to one liaison?
btn-whole-unit = The whole unit
ask-transfer-reason = Type the reason for the transfer:
ask-refuse-reason = Type why your unit does not take it over:
ask-progress = Type the progress made (photos welcome):
ask-extension-date = Until which date (e.g. 2026-12-20)?
ask-extension-reason = Type the reason for more time:
ask-measures = Type the measures taken:
ask-responsible = Type the person responsible for the rectification:
ask-evidence = Send photos of the site after rectification (at least one; videos and PDF or picture files are taken too), then press Photos done:
ask-evidence-optional = Send photos of the result if any, then press Photos done:
ask-answer = Type the answer to the citizen's question (it is passed on; your identity is not shown):
ask-duplicate-of = Type the number of the case it duplicates (e.g. YH-20261125-0001):
ask-deadline = Type the due date (e.g. 2026-12-20):
ask-send-back-reason = Type why it is sent back:
ask-severity = Choose the severity:
ask-reporter-question = Type what the reporter should add (it is sent in the name of the safety office, never yours):
ask-reopen-reason = Type why it is to be done again and what is expected (the unit is told):
input-bad-date = That is not a date after today. Type one like 2026-12-20:
input-unknown-case = There is no case with that number. Type it again:
input-cancelled = Cancelled.
evidence-received = { $count } photo(s)/file(s) received.
action-done = Done: { $action }
refusal-CASE-STALE = Someone else has updated the case; here is how it stands now.
refusal-CASE-CLOSED = The case is closed or rejected; nothing more can be done.
refusal-CASE-WRONG_STATUS = That cannot be done at the case's present status.
refusal-CASE-NOT_ALLOWED = You are not allowed to do that.
refusal-CASE-NOT_YOUR_UNIT = This case is not your unit's.
refusal-CASE-INVALID = That input is not acceptable: { $field }
refusal-CASE-TRANSFER_PENDING = A transfer request is already waiting.
refusal-CASE-EXTENSION_PENDING = A request for more time is already waiting.
refusal-CASE-NO_PENDING = There is no request waiting.
refusal-CASE-EVIDENCE_REQUIRED = A rectified hazard needs at least one photo of the site.
refusal-CASE-FOLLOW_UP_LIMIT = The follow-ups are used up.
refusal-CASE-NOT_FOUND = No such case.
refusal-CASE-UNKNOWN_UNIT = There is no such unit; please choose one from the list again.
refusal-CASE-UNKNOWN_MEMBER = That person is not an active liaison of the unit; please choose from the list again.
# The field a refusal names (src/domain/workflow.ts, REFUSAL_FIELDS); field-kind is above.
field-actor = Who is acting
field-state = The case record
field-context = The request
field-action = The action
field-pendingTransfer = Transfer request
field-pendingExtension = Request for more time
field-duplicateHints = Possible duplicate hint
field-unitId = Unit
field-assigneeId = Assignee
field-severity = Severity
field-dueAt = Deadline
field-ofCaseId = The case it repeats
field-ofCaseOpen = The case it repeats (must still be open)
field-reason = Reason
field-listed = Supervision
field-toUnitId = Unit to transfer to
field-attachments = Attachments
field-text = Text
field-until = New deadline
field-approve = Approval
field-measures = Measures taken
field-responsible = Person responsible
field-evidence = Photos of the site
field-question = Question
queue-empty = No cases are waiting for assignment.
queue-title = Awaiting assignment ({ $count }):
mine-empty = Your unit has no open cases.
mine-title = Open cases ({ $count }):
supervised-empty = No open cases are listed for supervision.
supervised-title = Listed for supervision ({ $count }):
supervised-due = due { $due }
supervised-overdue = ⚠️ overdue (due { $due })
supervised-no-due = no deadline
case-usage = Usage: /case NUMBER, e.g. /case YH-20261125-0001
action-name-accept = accepted
action-name-assign = assigned
action-name-reject = rejected
action-name-close = closed
action-name-other = done

## Citizen: pushes about their case
citizen-push = News on your case { $number }: { $text }
citizen-answer =
    Your question { $number } has been answered:
    { $text }
citizen-merged = Your case { $number } is the same matter others reported and is handled together with theirs; you will still be told the outcome.
citizen-asked =
    The safety office asks for more information about your case { $number }:
    { $question }
    Press the button below to reply (text, photos, files or a location).

## Staff: the case's ledger (台账)
ledger-title = Record:
ledger-detail = : { $text }
ledger-line = { $time } · { $action }{ $actor }{ $detail }
ledger-resolution = measures: { $measures }; responsible: { $responsible }
ledger-complaint = complaint: { $comment }
event-recorded = Recorded for the caller
event-submitted = submitted by the citizen
event-assigned = assigned
event-severity_set = severity changed
event-deadline_set = deadline set
event-merged = merged into another case
event-duplicate_dismissed = not a duplicate
event-rejected = rejected
event-supervised = supervision changed
event-accepted = accepted
event-transfer_requested = transfer asked
event-transfer_accepted = transfer taken over
event-transfer_refused = transfer refused
event-progress = progress
event-extension_requested = more time asked
event-extension_granted = more time granted
event-extension_refused = more time refused
event-resolved = rectified
event-answered = answered
event-closed = verified and closed
event-sent_back = sent back
event-rated = rated by the citizen
event-rating_comment = citizen's comment
event-reporter_asked = asked the reporter
event-reporter_replied = reporter's answer
event-material_added = reporter added material
event-reopened = reopened
event-follow_up_asked = follow-up question
event-reporter_erased = reporter's identity erased (retention period)
event-other = other
actor-system = system

## Console (the Mini App and the desktop page)
console-by-citizen = the citizen
console-form-photos = Photos (optional, up to 10)

## Ledger (the export: /export and npm run export)
command-export = Export the case ledger (Excel, CSV)
ledger-sheet = Case ledger
ledger-col-number = Number
ledger-col-kind = Kind
ledger-col-status = Status
ledger-col-severity = Severity
ledger-col-sector = Sector
ledger-col-region = Town or street
ledger-col-address = Address
ledger-col-description = Description
ledger-col-unit = Responsible unit
ledger-col-supervision = Listed for supervision
ledger-col-created = Received
ledger-col-due = Deadline
ledger-col-resolved = Rectified or answered
ledger-col-measures = Measures taken
ledger-col-responsible = Person responsible
ledger-col-closed = Closed
ledger-col-overdue = Overdue
ledger-col-rating = Rating (stars)
ledger-col-rating-comment = Citizen's comment
ledger-col-reporter = Reporter
ledger-col-timeline = Timeline
ledger-col-files = Evidence files
ledger-file-photo = photo
ledger-file-video = video
ledger-file-document = file
ledger-file-pending = not archived yet
ledger-file-too-big = not archived: over 20 MB, which Telegram does not hand out
ledger-file-gone = not archived: Telegram no longer has the file
ledger-yes = yes
ledger-no = no
ledger-reporter-anonymous = anonymous
ledger-reporter-named = named
export-usage =
    Usage (dispatchers, leaders and admins, in your private chat with the bot):
    /export — this month so far
    /export 2026-11 — one month
    /export 2026-11-01 2026-11-15 — from one date to another, both included
    /export week, /export month, /export quarter — this week, month or quarter so far
export-bad-period = I could not read "{ $input }" as a period.
export-reversed = The first date must not be after the last.
export-period = from { $first } to { $last }
export-empty = No cases were received { $period }, so there is no file.
export-too-large = { $count } cases were received { $period }, more than the { $max } the bot can export at once. Ask an administrator to run on the server: npm run export -- --from { $first } --to { $last }
export-caption = Case ledger, { $period }: { $count } cases
export-xlsx-failed = The Excel file could not be made this time. Use the CSV file (Excel opens it), or ask an administrator to run on the server: npm run export -- --from { $first } --to { $last }

## QR posters (扫码举报): /poster and npm run poster; the poster's own words are printed in Chinese with the English beneath
command-poster = Make a QR poster for the web report form
poster-title = Scan to report a safety hazard
poster-sector = Sector: { $sector }
poster-site = Site: { $site }
poster-link = Cannot scan? Open this address in a browser:
poster-step-scan = Scan the code with your phone's camera or WeChat, then describe the hazard on the page that opens.
poster-step-anonymous = You may report anonymously: no name or phone number needed.
poster-step-reward = Claiming the reward? You get a claim code when you send the report: keep it safe, it is how you claim.
poster-usage =
    Usage (dispatchers and administrators, in a private chat with me): /poster TOWN [SECTOR]
    A town by its id or name (a village or community by its id), a sector by its id or name. The poster's code opens the web report form with the town and sector filled in.
    Towns:
    { $towns }
    Sectors:
    { $sectors }
poster-unknown-region = The directory has no town "{ $input }". Send /poster to see the towns to choose from.
poster-unknown-sector = The directory has no sector "{ $input }". Send /poster to see the sectors to choose from.
poster-no-address = The public site has no address configured (PUBLIC_URL or SITE_URL), so no poster can be made; please ask an administrator.
poster-caption =
    QR poster: { $place }
    { $url }

## Notices (通报) and read receipts
command-notice = Send a notice to units
command-receipts = Who has read a notice
list-separator = {", "}
notice-ask-content = Send the notice: a text, or one photo or file with the text as its caption.
notice-cancel = Cancel
notice-needs-text = A notice needs words: send a text, or write them as the caption of the photo or file.
notice-too-long = A notice holds at most { $max } characters; this one has { $length }. Please shorten it and send it again.
notice-ask-targets = Choose the units the notice is for (as many as you like), then press "Next":
notice-all = Select all
notice-none = Select none
notice-next = Next
notice-back = Change the units
notice-send = 📢 Send
notice-stale = This button has expired; send /notice again.
notice-cancelled = Cancelled; the notice was not sent.
notice-choose-one = Choose at least one unit.
notice-preview =
    To: { $units }
    { $groups } work groups, plus { $privately } people privately (units without a group); { $members } people are expected to read it.
    The notice follows as it will look. Send it?
notice-preview-author = (your unit)
notice-copy =
    📢 Notice #{ $id }
    { $text }
    — { $author }
notice-sent = 📢 Notice #{ $id } sent: { $copies } copies. See who has read it with /receipts { $id }.
notice-read-button = ✅ Read
notice-read-recorded = Recorded: you have read it.
notice-read-again = You have already read this notice.
notice-read-not-for-you = This notice is not for your unit; nothing was recorded.
notice-read-unknown = This notice no longer exists.
notice-remind =
    📢 You have not read notice #{ $id } yet: { $excerpt }…
    Please read it in your work group or private chat and press "Read".
receipts-none = No notice has been sent yet.
receipts-recent = Recent notices:
receipts-recent-line = #{ $id } · { $at } · read by { $reads } · { $excerpt }
receipts-usage = For one of them: /receipts NUMBER
receipts-unknown = There is no notice #{ $id }.
receipts-title = 📢 Notice #{ $id } ({ $at }): who has read it
receipts-unit = [{ $unit }] groups: { $groups } · read { $read }/{ $total }
receipts-read = {"  "}✅ { $name } ({ $at })
receipts-unread = {"  "}⬜ { $name }

## Public channel (信息公开)
command-publish = Publish a listed case
publish-usage = Usage: /publish CASE-NUMBER (dispatchers, admins). A case listed for supervision gets its listing published; a closed one, its result.
publish-not-found = There is no case { $number }.
publish-not-listed = Only cases listed for supervision can be published.
publish-no-channel = No public channel is bound yet: add a chat with purpose public to the directory file and import it.
publish-already = This has been published already.
publish-preview =
    To be posted to the public channel (nothing about the reporter):

    { $text }
publish-confirm = 📢 Publish
publish-cancel = Cancel
publish-cancelled = Cancelled; nothing was published.
publish-done = Sent to the public channel.
public-listed =
    🔴 Listed for supervision
    Number: { $number }
    Sector: { $sector }
    Place: { $region }
    Responsible unit: { $unit }
    Deadline: { $due }
    Hazard: { $description }
public-closed =
    ✅ Listed case rectified and closed
    Number: { $number }
    Sector: { $sector }
    Place: { $region }
    Responsible unit: { $unit }
    Closed: { $closed }

## Delivery: messages that could not be delivered
outbox-dead =
    ⚠️ A message could not be delivered (tried { $attempts } times)
    To: { $kind ->
        [group] the group "{ $name }"
        [member] staff member { $name }
       *[citizen] a citizen (identity not shown)
    }
    Reason: { $reason }
    Text: { $excerpt }

## Operations: the nightly backup
backup-failed =
    ⚠️ Tonight's backup failed; an administrator should see to it soon (the server's log, or npm run backup by hand).
    Reason: { $error }

## Time: deadline reminders and escalation (督办)
reminder-half =
    ⏰ Case { $number }: half the time to { $stage ->
        [accept] accept it
        [verify] verify and close it
       *[resolve] deal with it
    } has gone (deadline { $due }){ $late }
reminder-soon =
    ⏰ Case { $number } is almost due: please { $stage ->
        [accept] accept it
        [verify] verify and close it
       *[resolve] finish it
    } by { $due }{ $late }
reminder-due =
    ⚠️ Case { $number } is overdue: please { $stage ->
        [accept] accept it
        [verify] verify and close it
       *[resolve] deal with it
    } as soon as possible (deadline { $due }){ $late }
reminder-escalate =
    🔺 Case { $number } is { $days ->
        [one] one working day
       *[other] { $days } working days
    } overdue and has been escalated (deadline { $due }){ $late }
reminder-late = { " " }(sent late)

## Reports: the units' ranking (红黑榜), /stats, the leaders' digest
command-ranking = Units' ranking (red and black lists)
command-stats = Case figures
report-none = —
report-sep = {", "}
report-rate = { $percent } ({ $count }/{ $of })
report-hours = { $hours } h
report-rating = { $mean }★ ({ $count })
report-kind = { $kind ->
        [week] Week
        [half] Half-month
        [quarter] Quarter
       *[month] Month
    }
report-period = { $kind } { $from } to { $to }
report-to-date = {" "}(to { $now })
ranking-usage =
    Usage (dispatchers, leaders and admins, in your private chat with the bot):
    /ranking — this month so far
    /ranking week|half|month|quarter — this week, half-month, month or quarter so far
    /ranking month prev — the last complete month (or week, half-month, quarter)
ranking-title = 📊 Units' ranking · { $period }
ranking-legend = Rank unit: received|accepted on time|resolved on time|overdue now|average time|rating|reopened
ranking-line = { $rank }. { $mark }{ $unit }: { $received }|{ $accept }|{ $resolve }|{ $overdue }|{ $hours }|{ $satisfaction }|{ $reopened }
ranking-mark-red = 🏅
ranking-mark-black = ⚫
ranking-red = 🏅 Red list: { $units }
ranking-red-none = 🏅 Red list: none yet
ranking-black = ⚫ Black list: { $units }
ranking-black-none = ⚫ Black list: none
ranking-none = No unit received { $min } cases in this period; there is no ranking yet.
ranking-unranked = Not ranked (fewer than { $min } cases): { $units }
ranking-unranked-unit = { $unit } { $received }{ $overdue }
ranking-unranked-overdue = {" "}({ $count } overdue)
ranking-idle = { $count ->
        [one] One more unit had
       *[other] { $count } more units had
    } no cases in this period.
ranking-rules = Ranked by: fewer cases reopened (done, then handed back because the citizen was not satisfied) first, then resolved on time, then accepted on time (nothing due yet counts as 100%), then fewer overdue now, then more received; units with fewer than { $min } cases are not ranked. Red list: top three with nothing reopened, nothing overdue and at least 80% resolved on time. Black list: every unit with a case reopened, whatever its place; and the bottom three (not in the top three) with something overdue or under 80% resolved on time.
stats-usage =
    Usage (dispatchers, leaders and admins, in your private chat with the bot):
    /stats — the county, this month so far
    /stats week|half|month|quarter [prev] — a period; prev is the last complete one
    /stats month town-a — one town or street, or one sector, by id or name
stats-unknown-area = There is no town, street or sector called "{ $text }".
stats-ambiguous-area = "{ $text }" matches several: { $ids }. Use one of these ids.
stats-title = 📈 Case figures · { $period }
stats-area = Area: { $area }
stats-area-all = the whole county
stats-received = Received: { $count } ({ $kinds })
stats-received-none = Received: 0
stats-kind = { $kind ->
        [hazard] hazards
        [violation] violations
        [consultation] questions
       *[task] tasks
    } { $count }
stats-closed = Closed: { $count }
stats-open = Open: { $open }, of which overdue: { $overdue }
stats-accepted = Accepted on time: { $rate }
stats-on-time = Resolved on time: { $rate }
stats-hours = Average handling time: { $hours }
stats-satisfaction = Citizens' rating: { $rating }
stats-reopened = Reopened (handed back, the citizen not satisfied): { $count }
stats-note = Rates, times, ratings and reopened cases are over the cases received in the period (rejected and merged ones left out); open and overdue are as of now.
digest-title = 📋 Daily digest · { $period }
digest-period = { $first } to { $last }
digest-day = { $days ->
        [one] New
       *[other] New in these { $days } days
    }: { $opened }, closed: { $closed }, newly overdue: { $newlyOverdue }
digest-now = Overdue now: { $overdue }; listed for supervision and open: { $supervised }
digest-worst-title = Longest overdue:
digest-worst = { $number } · { $unit } · { $days ->
        [one] 1 day
       *[other] { $days } days
    } overdue
digest-worst-none = No case is overdue.
digest-legend = Chart: cases opened (blue) and closed (green) each day, last 14 days
digest-button-supervised = 🔴 Listed cases
digest-button-ranking = 🏆 This month's ranking
digest-button-stats = 📊 This week's figures

## Time: recurring group reminders (/schedule)
schedule-usage =
    Usage (in the group that should get the reminder; dispatchers and admins only):
    /schedule add MIN HOUR DAY MONTH WEEKDAY text
    　e.g. /schedule add 0 15 * * 5 Please send this week's work report before the end of today
    /schedule ranking half 0 9 1,16 * * Work safety bulletin — the units' ranking for the half month just ended, at 9:00 on the 1st and 16th (week, half, month, quarter: the period just ended)
    /schedule list — this group's recurring reminders
    /schedule pause ID, /schedule resume ID, /schedule delete ID
    /schedule holidays ID fire|skip|shift — on a day off: send anyway, do not send (default), or send on the next working day
schedule-ranking-added = ✅ Recurring ranking #{ $id } added: each time, the units' ranking for the { $kind } just ended ({ $cron }, on days off: { $holidays }). Next: { $next }
schedule-ranking-text = 🏆 { $kind } ranking { $text }
schedule-invalid-cron = "{ $cron }" is not a valid schedule. Write five fields, minute hour day month weekday: every Friday at 15:00 is 0 15 * * 5, the 25th of each month at 9:00 is 0 9 25 * *.
schedule-bad-text = Please write the reminder's text after the schedule (at most { $max } characters).
schedule-added = ✅ Recurring reminder #{ $id } added ({ $cron }, on days off: { $holidays }). Next: { $next }
schedule-list-empty = This group has no recurring reminders yet.
schedule-list-title = This group's recurring reminders:
schedule-line =
    #{ $id }{ $source } · { $cron } · { $state } · on days off: { $holidays } · next: { $next }
    { $text }
schedule-from-file = {" "}(from the directory file as { $key }; a re-import restores it)
schedule-state-active = active
schedule-state-paused = paused
schedule-next-none = none
schedule-holidays-fire = send anyway
schedule-holidays-skip = do not send
schedule-holidays-shift = send on the next working day
schedule-paused = Recurring reminder #{ $id } paused.
schedule-resumed = Recurring reminder #{ $id } resumed. Next: { $next }
schedule-deleted = Recurring reminder #{ $id } deleted.
schedule-not-found = This group has no recurring reminder #{ $id }.
schedule-holidays-set = Recurring reminder #{ $id } on days off: { $holidays }
schedule-post = 🔔 { $text }
schedule-post-late = 🔔 (sent late) { $text }

## Local mode: the playground page (npm start with no BOT_TOKEN) and its scenario
play-title = Hazardline playground
play-subtitle = Local mode: no Telegram; every person and group lives on this computer, the data in ./data/local.db.
play-people = People
play-groups = Groups
play-role-citizen = Citizen
play-role-liaison = Liaison
play-role-dispatcher = Dispatcher
play-role-leader = Leader
play-role-admin = Admin
play-purpose-unit = Unit group
play-purpose-dispatchers = Dispatchers' group
play-purpose-leaders = Leaders' group
play-purpose-public = Public channel
play-speak-as = Speaking as
play-type-here = Type a message or a command, e.g. /start
play-send = Send
play-attach = 📎 File
play-location = 📍 Location
play-contact = 📱 Share phone
play-map-hint = Click a place on the map, or type latitude and longitude:
play-map-send = Send location
play-cancel = Cancel
play-clock = Office clock
play-clock-morning = Next working day 08:30
play-clock-workday = +1 working day
play-clock-hours = hours
play-clock-tick = Run the tick
play-scenario = ▶ Play a whole case
play-scenario-running = Playing…
play-scenario-done = Played: { $number }
play-reset = Start over
play-reset-confirm = Delete every case and chat and load the example county again?
play-lang = 简体中文
play-empty = No messages yet. Send /start to begin.
play-bot = Bot
play-edited = edited
play-download = Download
play-pick-chat = Pick a person or a group on the left and chat as them.
play-failed = That failed: { $error }
play-scenario-sector = Fireworks
play-scenario-town = Chengguan Town
play-scenario-address = Fireworks shop, 18 Renmin Road, Chengguan
play-scenario-description = People sleep in this fireworks shop, excess stock is piled in the stairwell, and e-bikes charge right beside it.
play-scenario-measures = Excess stock removed, nobody sleeps in the shop, no charging in the stairwell, extinguishers fitted.
play-scenario-responsible = Shop owner Wang

## The office's console (a Telegram Mini App and the same page in a browser: src/console/page)
console-title = Hazardline console
console-loading = Loading…
console-lang = 中文
console-need-login = Open the console from Telegram (the bot's "Console" menu button), or, in a desktop browser, send /web to the bot for a login link.
console-not-staff = The console is for the office's staff only.
console-error = Something went wrong: { $message }
console-done = Done
console-tab-queue = Triage queue
console-tab-mine = My unit
console-tab-supervised = Listed (督办)
console-tab-overdue = Overdue
console-tab-open = Open
console-tab-all = All
console-tab-dashboard = Dashboard
console-tab-new = New case
console-new-title = Record a case that reached the office another way
console-new-source = Came by
console-new-reference = Reference number (a 12345 work order's number is required)
console-new-kind = Kind
console-new-sector = Sector
console-new-town = Town or street
console-new-address = Address
console-new-description = Description
console-new-urgent = Urgent: an accident could happen any moment
console-new-anonymous = The caller wants to stay anonymous
console-new-name = Caller's name
console-new-phone = Caller's phone
console-new-reward = The caller claims the reward for reports
console-new-recorded = Recorded as case { $number }.
console-new-claim = The caller's reward claim code: { $code }. Pass it on to them; it is shown only this once.
console-new-open = Open the case
console-search = Search by number or words
console-filter-any = all
console-filter-status = Status
console-filter-kind = Kind
console-filter-sector = Sector
console-filter-region = Area
console-filter-unit = Unit
console-filter-from = From
console-filter-to = to
console-filter-overdue = Overdue
console-filter-supervised = Listed
console-filter-clear = Clear filters
console-sort-due = By deadline
console-sort-age = By date received
console-page = Page { $page } of { $pages }, { $total } cases
console-search-capped = more matched: these are the newest { $total }; add words or filters to narrow it
console-prev = Previous
console-next = Next
console-empty = No case matches.
console-overdue = Overdue
console-supervised = Listed
console-due = Due { $date }
console-map = County map
console-map-hint = Click a town to filter by it, again to clear; click a marker to open the case.
console-map-more = { $shown } shown on the map, of { $total } (the most urgent first).
console-map-none = The directory gives no areas, so there is no map to draw.
console-back = ‹ Back
console-case-actions = What you can do now
console-case-no-actions = There is nothing you can do on this case now.
console-case-card = Case card
console-case-timeline = Ledger
console-case-files = Evidence
console-case-no-files = No files.
console-case-file-pending = Not archived yet
console-case-duplicates = Possibly the same case
console-forbidden = That is not yours to see.
console-case-file-failed = The file cannot be opened
console-file-video = Video
console-file-document = Document
console-file-voice = Voice note
console-form-whole-unit = The whole unit (no liaison named)
console-step-submitted = With the report
console-step-progress = During the work
console-step-resolved = After rectification
console-step-reporter_replied = The reporter's answer
console-step-material_added = Added material
console-figure-received = Received
console-figure-closed = Closed
console-figure-openNow = Open now
console-figure-overdueNow = Overdue now
console-figure-newlyOverdue = Newly overdue
console-figure-supervisedOpen = Listed (督办)
console-figure-acceptedOnTime = Accepted on time
console-figure-resolvedOnTime = Rectified on time
console-figure-avgHandlingHours = Average handling (hours)
console-figure-satisfaction = Satisfaction
console-figure-reopened = Reopened
console-figure-opened = Opened
console-col-name = Unit
console-col-rank = Rank
console-col-list = List
console-col-received = Received
console-col-acceptedOnTime = Accepted on time
console-col-resolvedOnTime = Rectified on time
console-col-overdueNow = Overdue now
console-col-reopened = Reopened
console-list-red = Red list
console-list-black = Black list
console-fact-region = Area
console-fact-sector = Sector
console-fact-unit = Unit
console-fact-address = Address
console-fact-created = Received
console-fact-due = Due
console-form-submit = Submit
console-form-cancel = Cancel
console-form-choose = Choose…
console-form-no-liaisons = This unit has no liaison
console-dash-figures = Figures
console-dash-trend = Trend
console-dash-ranking = Units' ranking (红黑榜)
console-dash-supervised = Listed cases
console-dash-none = Nothing yet
console-dash-week = This week
console-dash-month = This month
console-dash-year = This year
console-dash-county = Whole county
## The public site: the web report form (/report) and the status lookup (/status)
web-site-name = Work-safety hazard reports
web-other-language = 中文
web-nav-report = Report
web-nav-status = Follow a case
web-report-title = Report a safety hazard · Ask a question
web-report-lead = No account needed. You may stay anonymous; a reward report gets a claim code when it is submitted.
web-trap = Leave this empty
web-choose = Choose
web-town = Town or street
web-map-hint = Or tap the place on the map:
web-use-location = 📍 Use my current location
web-address-placeholder = e.g. warehouse of X Co., 12 Y Road
web-description-placeholder = What is the hazard, where, and how serious (at least 10 characters)
web-photos = Photos of the site (up to { $max })
web-identity = Anonymous or named?
web-identity-hint = Anonymous: the officers see nothing about you; follow the case with its number and lookup code. Named: leave your name and mobile number; follow the case with its number and your phone.
web-name = Name
web-phone = Mobile number
web-phone-invalid = The mobile number is not valid (e.g. 13812345678)
web-received-title = ✅ Received
web-already-title = You have already submitted this report
web-number = Your { $kind ->
        [consultation] question's
       *[other] report's
    } number:
web-claim-code = 🔑 Lookup code (the only proof to follow an anonymous report and claim a reward):
web-claim-keep = It is shown only once. Take a screenshot or write it down, and keep it to yourself.
web-follow-named = Note the number: with it and the phone you left you can follow the case.
web-status-title = Follow a case
web-status-number = Number
web-status-proof = Lookup code or mobile number
web-status-hint = For an anonymous report, the lookup code; for a named one, the phone you left.
web-status-look = Look up
web-lookup-too-many = Too many failed lookups. Please try again in 10 minutes.
web-too-large = What was sent is too large (at most { $mb } MB). Choose fewer photos and try again.
web-bad-form = The form could not be read. Please fill it in again on the report page.
web-wrong-origin = Please fill in and submit the report on this site's own page.
web-unavailable = The report cannot be taken right now; please try again shortly. Nothing was stored.
web-upload-too-large = The photo "{ $name }" is too large (at most { $mb } MB each).
web-upload-wrong-type = "{ $name }" is not a photo (JPEG, PNG or WebP only).
web-upload-off = Photos cannot be taken right now: submit without them, or try again later.
web-js-pin = 📍 Place marked on the map
web-js-locating = Finding your location…
web-js-locate-failed = Your location is not available: tap the map or choose the town.
web-js-photos = { $count } photos chosen, made smaller to { $kb } KB
web-js-photos-too-many = At most { $max } photos; the rest were not taken.

## Where a case came from (cases.source, src/domain/doors.ts)
source-telegram = Telegram
source-web = Web form
source-open311 = Partner system
source-phone = Phone call
source-letter = Letter
source-walk_in = Walk-in
source-hotline = 12345 work order
source-superior = Assigned from above

## The public page (/public): cases listed for supervision, when the office publishes them
public-page-title = Public information: cases listed for supervision
public-page-lead = The cases the county lists for supervision and how their rectification stands. Nothing about who reported them is ever shown; phone and ID numbers in descriptions are masked.
public-page-off = This office does not publish its cases on this site.
public-page-not-found = There is no public case with this number.
public-page-all = All
public-page-filter = Show
public-page-none = No listed case matches.
public-page-more = Showing the latest { $count } cases: narrow the list to see others.
public-page-count = { $count } cases
public-page-number = Number
public-page-sector = Sector
public-page-town = Town or street
public-page-unit = Responsible unit
public-page-status = Rectification
public-page-due = Deadline
public-page-closed = Closed on
public-page-description = Hazard
public-page-timeline = Progress
public-page-map = Map of the listed cases with a marked place
public-page-back = All public cases

## Open311 for partner systems (/open311/v2): service groups, notices and error descriptions
open311-group = Work safety
open311-received = Received: the county's work-safety office will assign it.
open311-already = Already received: this is the same request.
open311-error-not-found = No such resource: see /open311/v2/services.json and /open311/v2/requests.json.
open311-error-not-published = This office does not publish its cases.
open311-error-no-request = There is no public service request { $id }.
open311-error-request-id = service_request_id must be case numbers, separated by commas.
open311-error-status = status must be open or closed.
open311-error-date = start_date and end_date must be ISO 8601 date-times, e.g. 2026-12-01T00:00:00+08:00.
open311-error-key = A valid api_key is required (ask the county's work-safety office for one).
open311-error-body = The request body could not be read: send application/x-www-form-urlencoded or JSON.
open311-error-too-large = The request body is too large.
open311-error-service-code-missing = service_code is required: see services.json.
open311-error-service-code = Unknown service_code "{ $code }": see services.json.
open311-error-location = lat and long must both be given, in decimal degrees (WGS84).
open311-error-place = Give the place: lat and long, or address_string.
open311-error-ref = attribute[ref] must be at most 64 letters, digits or _ . / : # -
open311-error-phone = A named request needs a valid phone number (e.g. 13812345678); leave out first_name, last_name and phone for an anonymous one.
open311-error-rate = Too many requests with this key: try again in { $minutes } minutes.
open311-error-unavailable = The service is unavailable right now; nothing was stored. Try again shortly.

## Staff intake (/new): a case that reached the office another way
ask-source = How did this case reach the office?
ask-reference = { $required ->
        [yes] Type the { $source } number (required):
       *[no] Type the { $source } reference number, or press Skip:
    }
reference-invalid = That number does not look right: letters, digits and - _ . / : # only, at most { $max } characters.
ask-kind-intake = What is it about?
ask-identity-intake = Does the caller want to stay anonymous, or give their name and phone?
identity-caller-named = 👤 Named
ask-caller = Type the caller's name:
name-too-long = That name is too long; keep it within { $max } characters.
ask-caller-phone = Type the caller's phone number (e.g. 13812345678):
ask-reward-intake = Does the caller claim the reward for reports (有奖举报)?
summary-title-intake = Please check the case before recording it:
field-source = Came by
field-reference = Reference number
value-caller = Named: { $name }, { $phone }
problem-source-missing = • Choose how the case reached the office
problem-reference-missing = • A 12345 work order needs its order number
intake-submitted = ✅ Recorded as case { $number } ({ $source }). It is routed like any other; /case { $number } shows it.
intake-claim = 🔑 The caller's reward claim code: { $code }. Pass it on to them; it is shown only this once.
ledger-source = from { $source }{ $ref }
ledger-source-ref = {" "}no. { $ref }
ledger-col-source = Came by
stats-sources = By door: { $sources }
stats-source = { $source } { $count }
`;
