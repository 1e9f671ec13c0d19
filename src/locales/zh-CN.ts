// Simplified Chinese (the default). Fluent syntax: https://projectfluent.org/fluent/guide/
// Kept as a string module so both runtimes load it without a file system (see src/i18n.ts).
export const zhCN = String.raw`
## Commands (setMyCommands)
command-start = 打开主菜单
command-help = 使用说明
command-lang = 切换语言 Language

## Start and main menu
welcome =
    您好，{ $name }！这里是安全生产隐患举报与咨询服务（Hazardline）。

    您可以在这里：
    • 举报安全隐患或违法违规行为（可匿名，可申请有奖举报）
    • 在线咨询安全生产问题
    • 查询所提交事项的办理进度

    请选择：
welcome-group = 请私聊我使用举报和咨询功能：{ $link }
menu-report = ⚠️ 举报隐患
menu-ask = 💬 在线咨询
menu-my = 📋 我的事项
menu-lang = 🌐 语言 Language
coming-soon = 该功能即将开放，敬请期待。

## Language
lang-choose = 请选择语言 / Choose your language:
lang-name = 简体中文
lang-set = 已切换为简体中文。

## Help
help =
    Hazardline 使用说明

    /start — 打开主菜单
    /lang — 切换语言（简体中文 / English）
    /help — 查看本说明

    举报时可以选择匿名，您的身份不会透露给办理人员。

## Errors and unexpected input
unhandled = 抱歉，我没有理解这条消息。请使用菜单，或发送 /start 重新开始。
stale-button = 这个按钮已失效，请发送 /start 重新开始。
error-generic = 抱歉，处理时出现问题，请稍后再试。
`;
