// English, beside the default Simplified Chinese. Keys mirror zh-CN.ts one for one.
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
help =
    How to use Hazardline

    /report — report a safety hazard or violation
    /ask — ask the safety office a question
    /my — your cases
    /status NUMBER — how a case is going (a claim code works too)
    /cancel — stop what is in progress
    /start — open the main menu
    /lang — change the language (简体中文 / English)
    /help — show this help

    You may report anonymously: the officers handling your case never see who you are.

## Errors and unexpected input
unhandled = Sorry, I did not understand that. Use the menu, or send /start to begin again.
stale-button = This button has expired. Send /start to begin again.
error-generic = Sorry, something went wrong. Please try again later.

## Report and question flows
report-in-progress =
    You have an unfinished { $flow ->
        [ask] question
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
ask-sector = Which sector is it in?
ask-sector-question = Which sector is your question about?
ask-place = Choose the town or street. You may also send a location (📎 → Location), or press Skip.
ask-place-no-towns = Send the location (📎 → Location), or press Skip.
place-pin-matched = 📍 From the location: { $region }.
place-pin-unmatched = 📍 Location saved. Please also choose the town or street, or press Skip.
ask-address = Type the address (e.g. the warehouse of X Company, 12 Y Road), or press Skip.
ask-description = Describe the hazard or violation (at least { $min } characters):
ask-question = Type your question (at least { $min } characters):
ask-media = Send photos or a video of the site (up to { $max }; you may pick several at once). Press Done when finished, or Skip if you have none.
media-received = { $count } photo(s)/video(s) received. Send more, or press Done.
media-album-received = An album was received. Send more, or press Done.
media-full = At most { $max } photos or videos can be added; the rest were not saved.
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
field-question = Question
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
step-expects-media = Send photos or a video here, or press Done or Skip.
step-expects-contact = Press the button to share your phone number, or type it.
step-old-button = Please answer the latest question.
edited-ignored = Editing a sent message changes nothing. To correct something, press Change on the summary.
private-only = Please use this in a private chat with me: { $link }

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

## Rating (回访)
rating-request = Your case { $number } is closed. Please rate how it was handled (1–5 stars):
rating-reminder = Your case { $number } is closed and we have no rating from you yet. Would you rate it (1–5 stars)? It takes a second:
rating-thanks = Thank you for rating!
rating-ask-comment = Thank you for your rating: { $stars }. If you have a comment or suggestion, just type it; otherwise press Skip.
rating-comment-saved = Your comment is recorded. Thank you for helping keep people safe!
rating-done = All right, thank you!
rating-refused = This rating cannot be given (perhaps it was given already).
`;
