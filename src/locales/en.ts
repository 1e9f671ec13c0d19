// English, beside the default Simplified Chinese. Keys mirror zh-CN.ts one for one.
export const en = String.raw`
## Commands (setMyCommands)
command-start = Open the main menu
command-help = How to use this bot
command-lang = Language 切换语言

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
coming-soon = This is coming soon.

## Language
lang-choose = 请选择语言 / Choose your language:
lang-name = English
lang-set = Language set to English.

## Help
help =
    How to use Hazardline

    /start — open the main menu
    /lang — change the language (简体中文 / English)
    /help — show this help

    You may report anonymously: the officers handling your case never see who you are.

## Errors and unexpected input
unhandled = Sorry, I did not understand that. Use the menu, or send /start to begin again.
stale-button = This button has expired. Send /start to begin again.
error-generic = Sorry, something went wrong. Please try again later.
`;
