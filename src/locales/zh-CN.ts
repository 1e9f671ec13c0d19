// Simplified Chinese (the default). Fluent syntax: https://projectfluent.org/fluent/guide/
// Kept as a string module so both runtimes load it without a file system (see src/i18n.ts).
// biome-ignore lint/complexity/noUselessStringRaw: raw, so that a backslash written in a message one day reaches Fluent as typed
export const zhCN = String.raw`
## Commands (setMyCommands)
command-start = 打开主菜单
command-help = 使用说明
command-lang = 切换语言 Language
command-report = 举报安全隐患
command-ask = 在线咨询
command-my = 我的事项
command-status = 查询办理进度
command-cancel = 取消当前操作
command-queue = 待分派事项（调度）
command-new = 登记来电、来信、来访、12345 工单或上级交办事项
command-mine = 本单位在办事项
command-supervised = 挂牌督办事项
command-case = 查看事项及台账
command-invite = 生成工作人员邀请链接
command-schedule = 本群定期提醒
command-bind = 绑定本群到单位或用途
command-units = 单位名录及编号
command-web = 在电脑浏览器中登录控制台

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

## Language
lang-choose = 请选择语言 / Choose your language:
lang-name = 简体中文
lang-set = 已切换为简体中文。

## Help
help-title = Hazardline 使用说明
help-anonymous = 举报时可以选择匿名，您的身份不会透露给办理人员。
help-staff = 您的工作命令（{ $roles }）：
help-group = 在工作群里：
help-report = /report — 举报安全隐患或违法违规行为
help-ask = /ask — 在线咨询
help-my = /my — 我的事项
help-status = /status 编号 — 查询办理进度（也可以用领奖凭证码）
help-cancel = /cancel — 取消当前操作
help-start = /start — 打开主菜单
help-lang = /lang — 切换语言（简体中文 / English）
help-help = /help — 查看本说明
help-new = /new — 登记通过其他渠道收到的事项：来电、来信、来访、12345 工单、上级交办
help-queue = /queue — 待分派事项：分派、退回或标记重复
help-mine = /mine — 本单位在办事项
help-case = /case 编号 — 查看事项卡片及台账
help-supervised = /supervised — 挂牌督办事项
help-ranking = /ranking [week|half|month|quarter] [prev] — 各单位工作排名（红黑榜）
help-stats = /stats [周期] [区域或行业] — 办理情况统计
help-export = /export [周期] — 导出事项台账（Excel、CSV）
help-notice = /notice — 撰写并发布通报
help-receipts = /receipts [通报编号] — 通报阅读情况
help-publish = /publish 编号 — 向公众频道公开挂牌督办事项
help-poster = /poster 镇街 [行业] — 生成扫码举报海报（打印用 SVG 和二维码 PNG）
help-units = /units — 单位名录及编号
help-web = /web — 获取控制台的一次性登录链接（电脑浏览器用，10 分钟内有效）
help-invite = /invite 单位 角色 — 生成工作人员邀请链接
help-schedule = /schedule — 本群定期提醒
help-bind = /bind — 把本群绑定为单位工作群、调度群或领导群

## Errors and unexpected input
unhandled = 抱歉，我没有理解这条消息。请选择下面的功能，或发送 /help 查看全部命令。
stale-button = 这个按钮已失效，请发送 /start 重新开始。
error-generic = 抱歉，处理时出现问题，请稍后再试。

## Report and question flows
report-in-progress =
    您有一份未完成的{ $flow ->
        [ask] 咨询
        [intake] 事项登记
       *[report] 举报
    }（{ $started } 开始）。继续填写，还是重新开始？
btn-continue = ▶️ 继续填写
btn-restart = 🔄 重新开始
btn-cancel = ✖ 取消
btn-skip = 跳过
btn-done = ✅ 完成
btn-submit = ✅ 提交
btn-edit = ✏️ 修改
btn-fix = ✏️ 去补充
btn-share-contact = 📱 分享我的手机号
ask-kind = 请选择举报类型：
kind-hazard = 安全隐患
kind-violation = 违法违规行为
kind-consultation = 咨询
kind-task = 工作任务
ask-sector = 请选择所属行业领域：
ask-sector-question = 请选择您咨询的行业领域：
ask-place = 请选择所在的乡镇（街道）。也可以发送位置（📎 → 位置），或点“跳过”。
ask-place-no-towns = 请发送所在位置（📎 → 位置），或点“跳过”。
place-pin-matched = 📍 已根据位置确定：{ $region }。
place-pin-unmatched = 📍 已记录位置。请再选择所在的乡镇（街道），或点“跳过”。
ask-address = 请输入详细地址（如：某某路 12 号某某公司仓库），或点“跳过”。
ask-description = 请描述隐患或违法行为的具体情况（至少 { $min } 个字）：
ask-question = 请输入您要咨询的问题（至少 { $min } 个字）：
ask-media = 请发送现场照片、视频或语音，也可以发送 PDF、图片文件（最多 { $max } 个，可一次选多张）。发送完请点“完成”；没有请点“跳过”。
media-received = 已收到 { $count } 个照片/视频/文件。可以继续发送，或点“完成”。
media-album-received = 已收到一组照片。可以继续发送，或点“完成”。
media-full = 最多只能添加 { $max } 个照片、视频或文件，多出的没有保存。
media-too-large = 这个文件太大了（最大 { $max } MB），没有保存。请压缩后重新发送，或改发照片。
media-wrong-type = 只能接收照片、视频、语音，以及 PDF 或图片、视频文件；这个文件没有保存。
ask-urgency = 情况是否紧急？
urgency-urgent = 🔴 紧急，可能马上引发事故
urgency-ordinary = 一般
ask-identity =
    您希望匿名还是实名{ $flow ->
        [ask] 咨询
       *[report] 举报
    }？
    • 匿名：办理人员看不到您的任何身份信息，您仍会在这里收到办理结果。
    • 实名：需要留下手机号，便于工作人员向您核实情况。
identity-anonymous = 🕶 匿名
identity-named = 👤 实名
ask-contact = 请点击下方按钮分享您的手机号，或直接输入手机号：
contact-saved = 手机号已记录。
contact-not-own = 请分享您本人的手机号。
phone-invalid = 手机号格式不正确，请重新输入（如 13812345678），或点击按钮分享。
ask-reward = 是否申请有奖举报？经核查属实的，按规定给予奖励。
reward-yes = 💰 申请奖励
reward-no = 不需要
address-too-long = 地址太长了，请不超过 { $max } 个字。

## Summary
summary-title-report = 请核对您的举报：
summary-title-ask = 请核对您的咨询：
summary-line = { $label }：{ $value }
summary-hint = 确认无误请点“提交”；需要更改请点“修改”。
summary-choose-field = 请选择要修改的内容：
field-kind = 类型
field-sector = 行业
field-place = 地点
field-address = 详细地址
field-description = 描述
field-question = 问题
field-media = 照片/视频
field-urgency = 紧急程度
field-identity = 身份
field-reward = 有奖举报
value-none = （无）
value-pin = 📍 已附位置
value-anonymous = 匿名
value-named = 实名（{ $phone }）
value-urgent = 紧急
value-ordinary = 一般
value-reward-yes = 申请
value-reward-no = 不申请
value-count = { $count } 个

## Submitting
problems-title = 还不能提交，请补充以下内容：
problem-kind-missing = • 请选择举报类型
problem-sector-missing = • 请选择行业领域
problem-place-missing = • 请选择乡镇（街道）、发送位置或填写地址，至少一项
problem-description-missing = • 请填写描述
problem-description-too-short = • 描述太短，请至少写 { $min } 个字
problem-description-too-long = • 描述太长，请不超过 { $max } 个字
problem-media-too-many = • 照片和视频合计不能超过 { $max } 个
problem-urgency-missing = • 请选择是否紧急
problem-identity-missing = • 请选择匿名或实名
problem-name-missing = • 实名需要留下姓名
problem-phone-missing = • 实名需要留下手机号
problem-reward-missing = • 请选择是否申请有奖举报
submitted =
    ✅ 已受理。您的{ $kind ->
        [consultation] 咨询
       *[other] 举报
    }编号：{ $number }
    办理进展会在这里通知您，也可以随时发送 /status { $number } 查询。
submitted-claim =
    🔑 领奖凭证码：{ $code }
    这是匿名举报领取奖励的唯一凭证，只显示这一次。请截图或抄下来妥善保存，不要告诉他人。
already-submitted = 您刚刚已提交过相同的内容，编号：{ $number }，无需重复提交。
rate-submit = 您提交得太频繁了，请 { $minutes } 分钟后再试。
rate-messages = 您发送得太快了，请 { $seconds } 秒后再试。
cancelled = 已取消，草稿已删除。
nothing-to-cancel = 当前没有进行中的操作。

## Input the current step does not expect
step-expects-button = 请使用按钮选择。（发送 /cancel 可以取消）
step-expects-text = 这一步需要输入文字。（发送 /cancel 可以取消）
step-expects-media = 这一步请发送照片、视频、语音或文件，或点“完成”“跳过”。
step-expects-contact = 请点击按钮分享手机号，或直接输入手机号。
step-old-button = 请在最新的提示中操作。
edited-ignored = 修改已发送的消息不会生效。需要更改的话，请在核对页面点“修改”。
private-only = 请私聊我使用这个功能：{ $link }
group-only = 这个命令在工作群里使用：请在要设置的群里发送 /{ $command }。

## My cases and status
my-empty = 您还没有提交过举报或咨询。发送 /report 举报隐患，/ask 在线咨询。
my-title = 您最近的事项（点击查看进度）：
my-button = { $number } · { $status }
status-usage = 请发送 /status 加上编号或领奖凭证码，例如：/status YH-20261125-0001
status-not-found = 没有找到对应的事项。请检查编号或凭证码（只能查询您本人提交的事项）。
status-card =
    编号：{ $number }
    类型：{ $kind }
    当前状态：{ $status }
timeline-title = 办理过程：
timeline-line = { $time }　{ $text }
status-new = 已受理，待分派
status-assigned = 已交办
status-in_progress = 办理中
status-resolved = 已整改，待核查
status-answered = 已答复
status-closed = 已办结
status-rejected = 不予受理
timeline-received = 已受理
timeline-assigned = 已交办至 { $unit }
timeline-in_progress = 办理中
timeline-resolved = 已整改，待核查
timeline-answered = 已答复
timeline-closed = 已办结
timeline-rejected = 不予受理：{ $reason }
timeline-asked = 办理单位请您补充材料
timeline-supplemented = 已补充材料
timeline-reopened = 群众不满意，已重新交办至 { $unit } 办理
timeline-follow_up = 您对答复提出了追问

## Rating (回访)
rating-request = 您的事项 { $number } 已办结。请您对办理结果作出评价（1–5 星）：
rating-reminder = 您的事项 { $number } 已办结，还没有收到您的评价。请花几秒钟打个分（1–5 星）：
rating-thanks = 感谢您的评价！
rating-ask-comment = 感谢您的评价：{ $stars }。如有意见或建议，可以直接回复文字；没有请点“跳过”。
rating-comment-saved = 您的意见已记录，感谢您对安全生产工作的支持！
rating-complaint-prompt = 请写下您投诉的内容（例如问题仍未解决的情况）。投诉将转交调度员核查，必要时重新交办。
rating-complaint-saved = 您的投诉已转交调度员核查，处理情况会通知您。
rating-done = 好的，感谢您的支持！
rating-refused = 这个评价无法提交（可能已经评价过）。
## Citizen: more material for an open case (补充材料、追加材料)
btn-reply-material = ✍️ 回复/补充材料
btn-add-material = 📎 追加材料
btn-follow-up = 💬 追问
btn-complaint = 📣 我要投诉
btn-material-send = ✅ 发送
material-prompt = 请为事项 { $number } 发送材料：文字、照片、视频、语音、文件或位置（📎 → 位置），照片和文件最多 { $max } 个。发送完请点“发送”；不发了请发送 /cancel。
material-received = 已收到：文字 { $texts } 段，照片/文件 { $files } 个{ $pin ->
        [yes] ，位置 1 个
       *[no] {""}
    }。可以继续发送，发完请点“发送”。
material-full = 照片和文件最多 { $max } 个，这个没有收下。请点“发送”提交已收到的材料。
material-too-long = 文字太长，这段没有收下。请精简后再发，或点“发送”提交已收到的材料。
material-unsupported = 这种消息不能作为材料转交。请发送文字、照片、视频、语音、文件或位置。
material-empty = 还没有收到任何材料。请先发送文字、照片、文件或位置，再点“发送”。
material-sent = 您为事项 { $number } 追加的材料已转交办理单位，感谢您的配合！
material-sent-answer = 您为事项 { $number } 补充的材料已转交办理单位，感谢您的配合！
material-closed = 这个事项已办结，或不是您提交的，不能再补充材料。
material-cancelled = 已取消，没有发送任何材料。
follow-up-prompt = 请输入您对事项 { $number } 答复的追问（还可追问 { $left } 次）。输入后请点“发送”；不问了请发送 /cancel。
follow-up-received = 已收到您的追问。可以继续补充文字，发完请点“发送”。
follow-up-words-only = 追问只能发送文字，请直接输入您的问题。
follow-up-sent = 您对事项 { $number } 的追问已转交答复单位，答复后会通知您。
follow-up-limit = 每个咨询最多追问 { $max } 次，已经用完。如还有其他问题，请重新咨询（/ask）。
follow-up-closed = 这个咨询还没有答复、已经办结，或不是您提交的，不能追问。

## Staff: joining and groups
role-liaison = 联络员
role-dispatcher = 调度员
role-leader = 领导
role-admin = 管理员
staff-joined = 欢迎加入{ $unit }！您的角色：{ $roles }。
joined-liaison = 作为联络员：交办给本单位的事项会以卡片发给您，用卡片上的按钮接收、转办、反馈进展、申请延期或办结；/mine 查看本单位在办事项。
joined-dispatcher = 作为调度员：新的举报和咨询进入 /queue，由您分派到责任单位；单位办结后由您核实销号。
joined-leader = 作为领导：您每天会收到工作日报；/stats、/ranking 随时查看数据，/supervised 查看挂牌督办事项。
joined-admin = 作为管理员：/invite 邀请工作人员，在工作群里发送 /bind 绑定群，/units 查看单位编号。
joined-help = 发送 /help 查看您能使用的全部命令。
invite-used = 这个邀请链接已经使用过了。如需加入，请联系管理员重新生成。
invite-expired = 这个邀请链接已过期，请联系管理员重新生成。
invite-unknown = 邀请链接无效。
invite-created =
    邀请链接（{ $days } 天内有效，只能使用一次）：
    { $link }
    单位：{ $unit }；角色：{ $roles }
invite-usage = 用法：/invite 单位编号或名称 角色（联络员、调度员、领导、管理员，多个用逗号或顿号分隔）
invite-unknown-unit = 没有这个单位（或有多个单位同名）：{ $unit }
not-allowed = 您没有权限执行此操作。
bind-usage = 用法（在群里发送）：/bind 后选择；或 /bind unit 单位名称或编号，/bind dispatchers，/bind leaders
bind-choose = 请选择本群的用途：调度群、领导群，或某个单位的工作群。
bind-unknown-unit = 没有这个单位（或有多个单位同名）：{ $unit }。发送 /bind 从按钮中选择，或私聊我发送 /units 查看单位编号。
bind-done = 已将本群绑定为：{ $purpose }
units-title = 单位名录（{ $count } 个）：
units-kind-territorial = 属地单位
units-kind-sectoral = 行业主管部门
units-kind-office = 安委办
units-line = • { $name } — { $id }
units-empty = 还没有单位。请管理员用 npm run directory 导入单位名录。

## The console: signing in (/web, the menu button, the login page)
web-link =
    控制台登录链接（{ $minutes } 分钟内有效，只能使用一次，请勿转发）：
    { $link }
web-no-address = 控制台还没有配置访问地址（PUBLIC_URL 或 CONSOLE_URL），请联系管理员。
menu-button-console = 控制台
console-login-title = Hazardline 控制台
console-login-used = 这个登录链接已经用过了。请在与机器人的私聊中发送 /web 获取新的链接。
console-login-expired = 这个登录链接已过期或无效。请在与机器人的私聊中发送 /web 获取新的链接（10 分钟内有效，只能使用一次）。
console-login-too-many = 尝试次数过多，请稍后再试。
purpose-unit = { $unit }工作群
purpose-dispatchers = 安委办调度群
purpose-leaders = 领导群

## npm run invite (the operator's terminal: each message in Chinese, then in English on the next line)
invite-cli-usage = 用法：npm run invite -- 单位编号或名称 角色（角色：联络员、调度员、领导、管理员，或英文 liaison、dispatcher、leader、admin；多个用逗号或顿号分隔）
invite-cli-unknown-unit = 没有这个单位（或有多个单位同名）：“{ $unit }”；请先导入通讯录：npm run directory -- import FILE
invite-cli-created = 限一人使用，{ $days } 天内有效：{ $unit }（{ $id }），角色：{ $roles }
invite-cli-bad-config = 环境变量设置有误（说明见下）：

## Staff: case cards
card-header-new = 🆕 新事项，待分派
card-header-assigned = 📥 新交办事项
card-header-transfer = 🔁 转办申请，待您单位签收
card-header-verify = ✅ 已整改/已答复，待核查销号
card-header-extension = ⏳ 延期申请，待审批
card-header-sent-back = ↩️ 核查未通过，已退回
card-header-current = 📋 事项详情
card-header-reopened = 🔁 群众不满意，已重新交办，请重新办理
card-header-follow-up =
    💬 群众对答复提出追问，请再次答复
    问：{ $question }
card-header-dissatisfied = 😞 群众评价 { $stars }（不满意），请核查是否需要重办
card-header-complaint =
    📣 群众投诉（评价 { $stars }），请核查是否需要重办
    投诉内容：{ $comment }
card-header-reporter-replied =
    💬 举报人答复了补充材料的询问
    问：{ $question }
    答：{ $text }{ $extra }
card-header-material-added =
    📎 举报人追加了材料
    { $text }{ $extra }
material-no-text = （无文字）
material-pin = 📍 位置：{ $lat }, { $lng }
material-files = 📎 随附照片/文件 { $count } 个（见下方）
card-title = { $number } · { $kind } · { $severity }
card-supervised = 🔴 挂牌督办
card-status = 状态：{ $status }{ $unit }
card-sector = 行业：{ $sector }
card-place = 地点：{ $place }
card-pin = 位置：{ $lat }, { $lng }
card-due = 办理期限：{ $due }
card-reporter-anonymous = 举报人：匿名
card-reporter-named = 举报人：{ $name }，{ $phone }
card-attachments = 附件：{ $count } 个
evidence-caption = { $number } · { $step }{ $part }
evidence-step-report = 举报材料
evidence-step-progress = 办理进展材料
evidence-step-resolution = 整改材料
evidence-step-material = 举报人补充的材料
evidence-none = 这件事项没有照片、文件或位置。
card-duplicate = ⚠️ 可能与 { $numbers } 重复
card-pending-transfer = 🔁 申请转办至 { $unit }：{ $reason }
card-pending-extension = ⏳ 申请延期至 { $until }：{ $reason }
card-merged = 已并入 { $number }
card-description = 情况描述：
card-resolution = 🛠 整改完成：{ $at }（照片 { $evidence } 张）
card-measures = 整改措施：{ $measures }
card-responsible = 责任人：{ $responsible }
severity-ordinary = 一般
severity-urgent = 紧急
severity-major = 重大
btn-accept = ✅ 签收
btn-transfer = 🔁 转办
btn-transfer-accept = ✅ 接收转办
btn-transfer-refuse = ✖ 拒绝转办
btn-progress = 📝 进展
btn-extension = ⏳ 申请延期
btn-extension-approve = ✅ 同意延期
btn-extension-refuse = ✖ 不同意
btn-resolve = 🛠 整改完成
btn-answer = 💬 答复
btn-assign = 📤 交办
btn-reject = ⛔ 不予受理
btn-severity = ⚠️ 紧急程度
btn-supervise = 🔴 挂牌督办
btn-unsupervise = 取消挂牌
btn-duplicate = 🔗 标记重复
btn-not-duplicate = ✖ 不是重复
btn-deadline = 📅 设定期限
btn-close = ✅ 核查销号
btn-send-back = ↩️ 退回
btn-refresh = 🔄 刷新
btn-evidence = 📎 照片/位置
btn-console = 🖥 在控制台打开
btn-done-evidence = ✅ 照片已传完
btn-ask-reporter = ❓ 询问举报人
btn-reopen = 🔁 重办

## Staff: actions that need input
ask-reject-reason = 请输入不予受理的完整理由（将告知群众，请一次说清需要补充或改向何处反映）：
ask-transfer-unit = 请选择转办到哪个单位：
ask-assign-unit = 请选择交办单位：
ask-assign-liaison = 交给整个单位，还是指定联络员？
btn-whole-unit = 整个单位
ask-transfer-reason = 请输入转办理由：
ask-refuse-reason = 请输入拒绝接收的理由：
ask-progress = 请输入办理进展（可附照片）：
ask-extension-date = 请输入申请延期到的日期（如 2026-12-20）：
ask-extension-reason = 请输入延期理由：
ask-measures = 请输入整改措施：
ask-responsible = 请输入整改责任人：
ask-evidence = 请发送整改后的现场照片（至少 1 张；也可以发送视频或 PDF、图片文件），发送完请点“照片已传完”：
ask-evidence-optional = 如有整改照片请发送，发送完或没有请点“照片已传完”：
ask-answer = 请输入对群众咨询的答复（将转告群众，不会显示您的身份）：
ask-duplicate-of = 请输入与之重复的事项编号（如 YH-20261125-0001）：
ask-deadline = 请输入办理期限日期（如 2026-12-20）：
ask-send-back-reason = 请输入退回理由：
ask-severity = 请选择紧急程度：
ask-reporter-question = 请输入要请举报人补充的内容（将以安全生产监管部门的名义转告，不显示您的身份）：
ask-reopen-reason = 请输入重办的理由和要求（将转告承办单位）：
input-bad-date = 日期格式不对，或不在今天之后。请输入如 2026-12-20：
input-unknown-case = 没有找到这个编号的事项，请重新输入：
input-cancelled = 已取消。
evidence-received = 已收到 { $count } 个照片/文件。
action-done = 已完成：{ $action }
refusal-CASE-STALE = 事项已被他人更新，请查看最新情况。
refusal-CASE-CLOSED = 事项已办结或不予受理，不能再操作。
refusal-CASE-WRONG_STATUS = 事项当前状态下不能这样操作。
refusal-CASE-NOT_ALLOWED = 您没有权限执行此操作。
refusal-CASE-NOT_YOUR_UNIT = 这不是您单位的事项。
refusal-CASE-INVALID = 填写的内容不符合要求：{ $field }
refusal-CASE-TRANSFER_PENDING = 已有转办申请在等待处理。
refusal-CASE-EXTENSION_PENDING = 已有延期申请在等待处理。
refusal-CASE-NO_PENDING = 没有待处理的申请。
refusal-CASE-EVIDENCE_REQUIRED = 隐患整改需要至少一张现场照片。
refusal-CASE-FOLLOW_UP_LIMIT = 追问次数已达上限。
refusal-CASE-NOT_FOUND = 没有找到这个事项。
refusal-CASE-UNKNOWN_UNIT = 没有这个单位，请从列表中重新选择。
refusal-CASE-UNKNOWN_MEMBER = 这位人员不是该单位在岗的联络员，请从列表中重新选择。
# The field a refusal names (src/domain/workflow.ts, REFUSAL_FIELDS); field-kind is above.
field-actor = 操作人
field-state = 事项记录
field-context = 操作信息
field-action = 操作
field-pendingTransfer = 转办申请
field-pendingExtension = 延期申请
field-duplicateHints = 可能重复的提示
field-unitId = 承办单位
field-assigneeId = 承办人
field-severity = 紧急程度
field-dueAt = 办理期限
field-ofCaseId = 与之重复的事项
field-ofCaseOpen = 与之重复的事项（须尚未办结）
field-reason = 理由
field-listed = 督办设置
field-toUnitId = 转办单位
field-attachments = 附件
field-text = 内容
field-until = 延期日期
field-approve = 是否同意
field-measures = 整改措施
field-responsible = 整改责任人
field-evidence = 现场照片
queue-empty = 暂无待分派事项。
queue-title = 待分派事项（{ $count }）：
mine-empty = 您的单位暂无在办事项。
mine-title = 在办事项（{ $count }）：
supervised-empty = 暂无挂牌督办的在办事项。
supervised-title = 挂牌督办事项（{ $count }）：
supervised-due = 期限 { $due }
supervised-overdue = ⚠️ 已逾期（期限 { $due }）
supervised-no-due = 未设期限
case-usage = 用法：/case 编号，例如 /case YH-20261125-0001
action-name-accept = 签收
action-name-assign = 交办
action-name-reject = 不予受理
action-name-close = 销号
action-name-other = 操作

## Citizen: pushes about their case
citizen-push = 您的事项 { $number } 有新进展：{ $text }
citizen-answer =
    您咨询的事项 { $number } 已答复：
    { $text }
citizen-merged = 您的事项 { $number } 与其他群众反映的同一问题已合并办理，办理结果会继续通知您。
citizen-asked =
    安全生产监管部门就您的事项 { $number } 请您补充材料：
    { $question }
    请点下方按钮回复（可以发送文字、照片、文件或位置）。

## Staff: the case's ledger (台账)
ledger-title = 办理记录：
ledger-detail = ：{ $text }
ledger-line = { $time } · { $action }{ $actor }{ $detail }
ledger-resolution = 措施：{ $measures }；责任人：{ $responsible }
ledger-complaint = 投诉：{ $comment }
event-recorded = 代为登记
event-submitted = 群众提交
event-assigned = 交办
event-severity_set = 调整紧急程度
event-deadline_set = 设定期限
event-merged = 并入其他事项
event-duplicate_dismissed = 排除重复
event-rejected = 不予受理
event-supervised = 挂牌督办
event-accepted = 签收
event-transfer_requested = 申请转办
event-transfer_accepted = 接收转办
event-transfer_refused = 拒绝转办
event-progress = 办理进展
event-extension_requested = 申请延期
event-extension_granted = 同意延期
event-extension_refused = 不同意延期
event-resolved = 整改完成
event-answered = 答复
event-closed = 核查销号
event-sent_back = 退回
event-rated = 群众评价
event-rating_comment = 群众留言
event-reporter_asked = 询问举报人
event-reporter_replied = 举报人补充材料
event-material_added = 举报人追加材料
event-reopened = 重办
event-follow_up_asked = 群众追问
event-reporter_erased = 按保存期限删除举报人身份信息
event-other = 其他操作
actor-system = 系统

## Console (the Mini App and the desktop page)
console-by-citizen = 群众
console-form-photos = 照片（可选，最多 10 张）

## Ledger (the export: /export and npm run export)
command-export = 导出事项台账（Excel、CSV）
ledger-sheet = 事项台账
ledger-col-number = 编号
ledger-col-kind = 类型
ledger-col-status = 状态
ledger-col-severity = 紧急程度
ledger-col-sector = 行业领域
ledger-col-region = 乡镇（街道）
ledger-col-address = 详细地址
ledger-col-description = 情况描述
ledger-col-unit = 责任单位
ledger-col-supervision = 挂牌督办
ledger-col-created = 受理时间
ledger-col-due = 办理期限
ledger-col-resolved = 整改/答复时间
ledger-col-measures = 整改措施
ledger-col-responsible = 整改责任人
ledger-col-closed = 销号时间
ledger-col-overdue = 是否逾期
ledger-col-rating = 群众评价（星）
ledger-col-rating-comment = 评价留言
ledger-col-reporter = 举报方式
ledger-col-timeline = 办理过程
ledger-col-files = 证据文件
ledger-file-photo = 照片
ledger-file-video = 视频
ledger-file-document = 文件
ledger-file-pending = 待存档
ledger-file-too-big = 未存档：文件超过 20 MB，Telegram 不提供下载
ledger-file-gone = 未存档：Telegram 已无此文件
ledger-yes = 是
ledger-no = 否
ledger-reporter-anonymous = 匿名
ledger-reporter-named = 实名
export-usage =
    用法（限调度员、领导、管理员，在与机器人的私聊中发送）：
    /export — 本月至今
    /export 2026-11 — 某一个月
    /export 2026-11-01 2026-11-15 — 起止日期（含首尾两天）
    /export week、/export month、/export quarter — 本周、本月、本季度至今
export-bad-period = 没有看懂时间段“{ $input }”。
export-reversed = 开始日期不能晚于结束日期。
export-period = { $first } 至 { $last }
export-empty = { $period } 没有受理的事项，未生成文件。
export-too-large = { $period } 共有 { $count } 件事项，超过机器人一次能导出的 { $max } 件。请由管理员在服务器上运行：npm run export -- --from { $first } --to { $last }
export-caption = 事项台账 { $period }：共 { $count } 件
export-xlsx-failed = 这次未能生成 Excel 文件，请使用 CSV 文件（Excel 可以直接打开），或由管理员在服务器上运行：npm run export -- --from { $first } --to { $last }

## QR posters (扫码举报): /poster and npm run poster; the poster's own words are printed in Chinese with the English beneath
command-poster = 生成扫码举报海报（二维码）
poster-title = 扫码举报安全隐患
poster-sector = 行业领域：{ $sector }
poster-site = 场所：{ $site }
poster-link = 无法扫码？请在浏览器中打开：
poster-step-scan = 用手机相机或微信扫一扫，在打开的网页上说明隐患情况。
poster-step-anonymous = 可以匿名举报，不必留下姓名和电话。
poster-step-reward = 申请有奖举报的，提交后会得到领奖凭证码，请妥善保存，凭码领奖。
poster-usage =
    用法（限调度员、管理员，在与机器人的私聊中发送）：/poster 镇街 [行业]
    镇街写 id 或名称（村、社区也可以用 id），行业写 id 或名称。海报上的二维码打开网上举报页，镇街和行业已经填好。
    镇街：
    { $towns }
    行业：
    { $sectors }
poster-unknown-region = 通讯录里没有镇街“{ $input }”。发送 /poster 查看可选的镇街。
poster-unknown-sector = 通讯录里没有行业“{ $input }”。发送 /poster 查看可选的行业。
poster-no-address = 还没有配置公开网址（PUBLIC_URL 或 SITE_URL），无法生成海报，请联系管理员。
poster-caption =
    扫码举报海报：{ $place }
    { $url }

## Notices (通报) and read receipts
command-notice = 发布通报
command-receipts = 通报阅读情况
list-separator = 、
notice-ask-content = 请发送通报内容：文字，或带说明文字的一张照片或一个文件。
notice-cancel = 取消
notice-needs-text = 通报需要文字内容：请直接发送文字，或在照片、文件的说明中写上内容。
notice-too-long = 通报文字最多 { $max } 字，当前 { $length } 字，请精简后重新发送。
notice-ask-targets = 请选择接收通报的单位（可多选），然后点“下一步”：
notice-all = 全选
notice-none = 全不选
notice-next = 下一步
notice-back = 修改接收单位
notice-send = 📢 发送
notice-stale = 此操作已失效，请重新发送 /notice。
notice-cancelled = 已取消，通报未发送。
notice-choose-one = 请至少选择一个单位。
notice-preview =
    即将发送给：{ $units }
    共 { $groups } 个工作群，另私信 { $privately } 人（无工作群的单位）；应阅人数 { $members }。
    通报内容见下一条消息。确认发送吗？
notice-preview-author = （发布单位）
notice-copy =
    📢 通报 #{ $id }
    { $text }
    —— { $author }
notice-sent = 📢 通报 #{ $id } 已发出，共 { $copies } 份。用 /receipts { $id } 查看阅读情况。
notice-read-button = ✅ 已阅
notice-read-recorded = 已记录您的阅读。
notice-read-again = 您已阅读过此通报。
notice-read-not-for-you = 此通报不是发给您所在单位的，未记录。
notice-read-unknown = 找不到此通报。
notice-remind =
    📢 您还未阅读通报 #{ $id }：{ $excerpt }…
    请查看工作群或私信中的全文，并点击“已阅”。
receipts-none = 还没有发布过通报。
receipts-recent = 最近的通报：
receipts-recent-line = #{ $id } · { $at } · 已阅 { $reads } 人 · { $excerpt }
receipts-usage = 查看某一份：/receipts 编号
receipts-unknown = 没有编号为 { $id } 的通报。
receipts-title = 📢 通报 #{ $id }（{ $at }）阅读情况
receipts-unit = 【{ $unit }】工作群：{ $groups } · 已阅 { $read }/{ $total }
receipts-read = {"  "}✅ { $name }（{ $at }）
receipts-unread = {"  "}⬜ { $name }

## Public channel (信息公开)
command-publish = 公开挂牌督办事项
publish-usage = 用法：/publish 事项编号（限调度员、管理员）。挂牌督办中的事项发布挂牌信息，已销号的发布整改结果。
publish-not-found = 没有编号为 { $number } 的事项。
publish-not-listed = 只有挂牌督办的事项才能公开。
publish-no-channel = 还没有绑定公开频道：请在目录文件的 chats 中添加用途为 public 的频道并导入。
publish-already = 这条信息已经公开过了。
publish-preview =
    将发布到公开频道（不含任何举报人信息）：

    { $text }
publish-confirm = 📢 发布
publish-cancel = 取消
publish-cancelled = 已取消，未发布。
publish-done = 已提交发布到公开频道。
public-listed =
    🔴 挂牌督办
    编号：{ $number }
    行业：{ $sector }
    属地：{ $region }
    责任单位：{ $unit }
    整改期限：{ $due }
    隐患情况：{ $description }
public-closed =
    ✅ 挂牌督办事项已整改销号
    编号：{ $number }
    行业：{ $sector }
    属地：{ $region }
    责任单位：{ $unit }
    销号时间：{ $closed }

## Delivery: messages that could not be delivered
outbox-dead =
    ⚠️ 消息未能送达（已尝试 { $attempts } 次）
    收件方：{ $kind ->
        [group] 群组「{ $name }」
        [member] 工作人员 { $name }
       *[citizen] 一位群众（身份不显示）
    }
    原因：{ $reason }
    内容：{ $excerpt }

## Operations: the nightly backup
backup-failed =
    ⚠️ 今晚的数据备份失败，请管理员尽快处理（在服务器上查看日志，或手动运行 npm run backup）。
    原因：{ $error }

## Time: deadline reminders and escalation (督办)
reminder-half =
    ⏰ 事项 { $number } 距{ $stage ->
        [accept] 签收
        [verify] 核查销号
       *[resolve] 办理
    }期限还剩一半时间（期限 { $due }）{ $late }
reminder-soon =
    ⏰ 事项 { $number } 即将到期，请在 { $due } 前{ $stage ->
        [accept] 签收
        [verify] 核查销号
       *[resolve] 办理完毕
    }{ $late }
reminder-due =
    ⚠️ 事项 { $number } 已逾期，请尽快{ $stage ->
        [accept] 签收
        [verify] 核查销号
       *[resolve] 办理
    }（期限 { $due }）{ $late }
reminder-escalate = 🔺 事项 { $number } 逾期 { $days } 个工作日，已升级督办（期限 { $due }）{ $late }
reminder-late = （补发）

## Reports: the units' ranking (红黑榜), /stats, the leaders' digest
command-ranking = 各单位工作排名（红黑榜）
command-stats = 办理情况统计
report-none = —
report-sep = 、
report-rate = { $percent }（{ $count }/{ $of }）
report-hours = { $hours }小时
report-rating = { $mean }分（{ $count }人）
report-kind = { $kind ->
        [week] 周
        [half] 半月
        [quarter] 季度
       *[month] 月
    }
report-period = { $kind }：{ $from } 至 { $to }
report-to-date = （截至 { $now }）
ranking-usage =
    用法（限调度员、领导、管理员，在与机器人的私聊中发送）：
    /ranking — 本月至今
    /ranking week|half|month|quarter — 本周、本半月、本月、本季度至今
    /ranking month prev — 上一个完整的月（周、半月、季度同理）
ranking-title = 📊 各单位工作排名 · { $period }
ranking-legend = 名次 单位：受理件数｜按期签收率｜按期办结率｜当前逾期｜平均用时｜满意度｜重办
ranking-line = { $rank }. { $mark }{ $unit }：{ $received }｜{ $accept }｜{ $resolve }｜{ $overdue }｜{ $hours }｜{ $satisfaction }｜{ $reopened }
ranking-mark-red = 🏅
ranking-mark-black = ⚫
ranking-red = 🏅 红榜：{ $units }
ranking-red-none = 🏅 红榜：暂无
ranking-black = ⚫ 黑榜：{ $units }
ranking-black-none = ⚫ 黑榜：无
ranking-none = 本期没有单位受理满 { $min } 件，暂不排名。
ranking-unranked = 未参与排名（受理少于 { $min } 件）：{ $units }
ranking-unranked-unit = { $unit } { $received } 件{ $overdue }
ranking-unranked-overdue = （逾期 { $count } 件）
ranking-idle = 另有 { $count } 个单位本期没有交办事项。
ranking-rules = 排名依据：重办件数少者在前（群众不满意、单位办结后又重新交办的事项），其次按期办结率、按期签收率（尚无到期事项的按 100% 计），当前逾期件数少者在前，受理件数多者在前；受理少于 { $min } 件的不参与排名。红榜：前三名中无重办、无逾期且按期办结率不低于 80% 的单位；黑榜：有重办事项的单位（不论名次），以及后三名（不含前三名）中有逾期或按期办结率低于 80% 的单位。
stats-usage =
    用法（限调度员、领导、管理员，在与机器人的私聊中发送）：
    /stats — 全县本月至今
    /stats week|half|month|quarter [prev] — 指定时段，prev 为上一个完整时段
    /stats month 城关镇 — 某个乡镇（街道）或行业，写编号或名称
stats-unknown-area = 没有找到名为“{ $text }”的乡镇（街道）或行业。
stats-ambiguous-area = “{ $text }”对应多个：{ $ids }。请改用其中一个编号。
stats-title = 📈 办理情况统计 · { $period }
stats-area = 范围：{ $area }
stats-area-all = 全县
stats-received = 受理：{ $count } 件（{ $kinds }）
stats-received-none = 受理：0 件
stats-kind = { $kind ->
        [hazard] 隐患
        [violation] 违法线索
        [consultation] 咨询
       *[task] 工作任务
    } { $count }
stats-closed = 办结销号：{ $count } 件
stats-open = 在办：{ $open } 件，其中逾期 { $overdue } 件
stats-accepted = 按期签收率：{ $rate }
stats-on-time = 按期办结率：{ $rate }
stats-hours = 平均办理用时：{ $hours }
stats-satisfaction = 群众满意度：{ $rating }
stats-reopened = 重办（群众不满意后重新交办）：{ $count } 件
stats-note = 注：签收率、办结率、用时、满意度和重办按本期受理的事项计（不予受理、合并办理的除外）；在办和逾期为当前数。
digest-title = 📋 每日简报 · { $period }
digest-period = { $first } 至 { $last }
digest-day = { $days ->
        [1] 当日
       *[other] { $days } 天内
    }新增 { $opened } 件，办结 { $closed } 件，新增逾期 { $newlyOverdue } 件
digest-now = 当前逾期 { $overdue } 件，挂牌督办在办 { $supervised } 件
digest-worst-title = 逾期最久：
digest-worst = { $number } · { $unit } · 逾期 { $days } 天
digest-worst-none = 当前没有逾期事项。
digest-legend = 图：近14天每日新增（蓝）与办结（绿）
digest-button-supervised = 🔴 挂牌督办
digest-button-ranking = 🏆 本月排名
digest-button-stats = 📊 本周数据

## Time: recurring group reminders (/schedule)
schedule-usage =
    用法（在要接收提醒的群里发送，限调度员、管理员）：
    /schedule add 分 时 日 月 周 提醒内容
    　例：/schedule add 0 15 * * 5 请各单位于今天下班前报送本周工作情况
    /schedule ranking half 0 9 1,16 * * 安全生产工作通报 — 每月1日、16日9:00发布上半月/下半月各单位排名（week、half、month、quarter：刚结束的一周、半月、月、季度）
    /schedule list — 本群的定期提醒
    /schedule pause 编号、/schedule resume 编号、/schedule delete 编号
    /schedule holidays 编号 fire|skip|shift — 遇节假日照常发送、不发送（默认）或顺延到下一个工作日
schedule-ranking-added = ✅ 定期排名 #{ $id } 已添加：每次发布刚结束的{ $kind }各单位排名（{ $cron }，节假日：{ $holidays }）。下次：{ $next }
schedule-ranking-text = 🏆 { $kind }排名 { $text }
schedule-invalid-cron = 时间规则“{ $cron }”无效。请写“分 时 日 月 周”五项，例如每周五 15:00 为 0 15 * * 5，每月 25 日 9:00 为 0 9 25 * *。
schedule-bad-text = 请在时间规则后写上提醒内容（不超过 { $max } 个字）。
schedule-added = ✅ 已添加定期提醒 #{ $id }（{ $cron }，节假日：{ $holidays }）。下次发送：{ $next }
schedule-list-empty = 本群还没有定期提醒。
schedule-list-title = 本群的定期提醒：
schedule-line =
    #{ $id }{ $source } · { $cron } · { $state } · 节假日：{ $holidays } · 下次：{ $next }
    { $text }
schedule-from-file = （通讯录文件中的 { $key }，再次导入时以文件为准）
schedule-state-active = 启用中
schedule-state-paused = 已暂停
schedule-next-none = 无
schedule-holidays-fire = 照常发送
schedule-holidays-skip = 不发送
schedule-holidays-shift = 顺延到下一个工作日
schedule-paused = 已暂停定期提醒 #{ $id }。
schedule-resumed = 已恢复定期提醒 #{ $id }，下次发送：{ $next }
schedule-deleted = 已删除定期提醒 #{ $id }。
schedule-not-found = 本群没有编号为 { $id } 的定期提醒。
schedule-holidays-set = 定期提醒 #{ $id } 遇节假日：{ $holidays }
schedule-post = 🔔 { $text }
schedule-post-late = 🔔（补发）{ $text }

## Local mode: the playground page (npm start with no BOT_TOKEN) and its scenario
play-title = Hazardline 试用
play-subtitle = 本地试用模式：不连接 Telegram，所有人物和群组都在这台电脑上，数据在 ./data/local.db。
play-people = 人员
play-groups = 群组
play-role-citizen = 群众
play-role-liaison = 联络员
play-role-dispatcher = 调度员
play-role-leader = 领导
play-role-admin = 管理员
play-purpose-unit = 单位工作群
play-purpose-dispatchers = 调度群
play-purpose-leaders = 领导群
play-purpose-public = 公开频道
play-speak-as = 发言人
play-type-here = 输入消息或命令，如 /start
play-send = 发送
play-attach = 📎 文件
play-location = 📍 位置
play-contact = 📱 分享手机号
play-map-hint = 在地图上点选位置，或输入纬度、经度：
play-map-send = 发送位置
play-cancel = 取消
play-clock = 办公时钟
play-clock-morning = 下个工作日 08:30
play-clock-workday = +1 工作日
play-clock-hours = 小时
play-clock-tick = 运行定时任务
play-scenario = ▶ 演示完整案例
play-scenario-running = 演示进行中……
play-scenario-done = 演示完成：{ $number }
play-reset = 重新开始
play-reset-confirm = 清空所有事项和聊天记录，恢复示例县？
play-lang = English
play-empty = 还没有消息。发送 /start 开始。
play-bot = 机器人
play-edited = 已编辑
play-download = 下载
play-pick-chat = 在左边选择一个人或群组，以他们的身份聊天。
play-failed = 操作失败：{ $error }
play-scenario-sector = 烟花爆竹
play-scenario-town = 城关镇
play-scenario-address = 城关镇人民路 18 号烟花爆竹零售店
play-scenario-description = 这家烟花爆竹零售店在店里住人，超量的库存堆在楼梯间，旁边就是电动车充电。
play-scenario-measures = 已责令清理超量库存，店内人员搬离，楼梯间禁止充电，配备灭火器。
play-scenario-responsible = 店主 王某

## The office's console (a Telegram Mini App and the same page in a browser: src/console/page)
console-title = 隐患直通 · 控制台
console-loading = 正在加载…
console-lang = English
console-need-login = 请从 Telegram 里打开控制台（机器人菜单的“控制台”按钮），或在电脑浏览器中使用：在机器人对话中发送 /web 获取登录链接。
console-not-staff = 控制台只对办公室工作人员开放。
console-error = 出错了：{ $message }
console-done = 已办理
console-tab-queue = 待分派
console-tab-mine = 本单位
console-tab-supervised = 挂牌督办
console-tab-overdue = 超期
console-tab-open = 未办结
console-tab-all = 全部
console-tab-dashboard = 看板
console-tab-new = 新建事项
console-new-title = 登记通过其他渠道收到的事项
console-new-source = 来源
console-new-reference = 编号（12345 工单必须填写工单编号）
console-new-kind = 类型
console-new-sector = 行业
console-new-town = 乡镇（街道）
console-new-address = 详细地址
console-new-description = 情况描述
console-new-urgent = 紧急：可能马上引发事故
console-new-anonymous = 反映人要求匿名
console-new-name = 反映人姓名
console-new-phone = 反映人电话
console-new-reward = 反映人申请有奖举报
console-new-recorded = 已登记为事项 { $number }。
console-new-claim = 反映人的有奖举报领奖码：{ $code }。请转告反映人；此码只显示这一次。
console-new-open = 打开事项
console-search = 搜索编号或内容
console-filter-any = 全部
console-filter-status = 状态
console-filter-kind = 类型
console-filter-sector = 行业
console-filter-region = 地区
console-filter-unit = 单位
console-filter-from = 从
console-filter-to = 到
console-filter-overdue = 超期
console-filter-supervised = 挂牌督办
console-filter-clear = 清除筛选
console-sort-due = 按期限排序
console-sort-age = 按提交时间排序
console-page = 第 { $page }/{ $pages } 页，共 { $total } 件
console-search-capped = 匹配的更多，这里是最新的 { $total } 件；请加关键词或筛选条件缩小范围
console-prev = 上一页
console-next = 下一页
console-empty = 没有符合条件的事项。
console-overdue = 超期
console-supervised = 督办
console-due = 期限 { $date }
console-map = 县域地图
console-map-hint = 点击镇街按地区筛选，再点一次取消；点击标记打开事项。
console-map-more = 地图上显示 { $shown } 件（共 { $total } 件，最紧急的在前）。
console-map-none = 目录中没有地区范围，无法绘制地图。
console-back = ‹ 返回
console-case-actions = 可办理的操作
console-case-no-actions = 您现在对这件事项没有可办理的操作。
console-case-card = 事项卡片
console-case-timeline = 台账
console-case-files = 证据材料
console-case-no-files = 没有文件。
console-case-file-pending = 尚未归档
console-case-duplicates = 可能重复的事项
console-forbidden = 这不在您的权限范围内。
console-case-file-failed = 文件打不开
console-file-video = 视频
console-file-document = 文件
console-file-voice = 语音
console-form-whole-unit = 整个单位（不指定联络员）
console-step-submitted = 举报时
console-step-progress = 办理中
console-step-resolved = 整改后
console-step-reporter_replied = 举报人补充
console-step-material_added = 补充材料
console-figure-received = 收到
console-figure-closed = 办结
console-figure-openNow = 在办
console-figure-overdueNow = 超期未办
console-figure-newlyOverdue = 本期新超期
console-figure-supervisedOpen = 挂牌督办
console-figure-acceptedOnTime = 按时签收率
console-figure-resolvedOnTime = 按时整改率
console-figure-avgHandlingHours = 平均办理时长（小时）
console-figure-satisfaction = 满意率
console-figure-reopened = 重办
console-figure-opened = 新增
console-col-name = 单位
console-col-rank = 名次
console-col-list = 榜单
console-col-received = 收到
console-col-acceptedOnTime = 按时签收率
console-col-resolvedOnTime = 按时整改率
console-col-overdueNow = 超期未办
console-col-reopened = 重办
console-list-red = 红榜
console-list-black = 黑榜
console-fact-region = 地区
console-fact-sector = 行业
console-fact-unit = 承办单位
console-fact-address = 地址
console-fact-created = 提交时间
console-fact-due = 办理期限
console-form-submit = 提交
console-form-cancel = 取消
console-form-choose = 请选择
console-form-no-liaisons = 该单位没有联络员
console-dash-figures = 主要数据
console-dash-trend = 趋势
console-dash-ranking = 红黑榜
console-dash-supervised = 挂牌督办事项
console-dash-none = 暂无数据
console-dash-week = 本周
console-dash-month = 本月
console-dash-year = 本年
console-dash-county = 全县
## The public site: the web report form (/report) and the status lookup (/status)
web-site-name = 安全生产隐患举报
web-other-language = English
web-nav-report = 我要举报
web-nav-status = 查询办理进度
web-report-title = 举报安全隐患 · 在线咨询
web-report-lead = 无需注册。可以匿名；申请有奖举报的，提交后会得到领奖凭证码。
web-trap = 请勿填写此项
web-choose = 请选择
web-town = 所在乡镇（街道）
web-map-hint = 也可以在地图上点出位置：
web-use-location = 📍 使用我的当前位置
web-address-placeholder = 如：某某路 12 号某某公司仓库
web-description-placeholder = 请写清楚是什么隐患、在哪里、有多严重（至少 10 个字）
web-photos = 现场照片（最多 { $max } 张）
web-identity = 匿名还是实名？
web-identity-hint = 匿名：办理人员看不到您的任何信息，凭编号和查询码查看进度。实名：请留下姓名和手机号，凭编号和手机号查看进度。
web-name = 姓名
web-phone = 手机号
web-phone-invalid = 手机号格式不正确（如 13812345678）
web-received-title = ✅ 已受理
web-already-title = 您已提交过这份举报
web-number = 您的{ $kind ->
        [consultation] 咨询
       *[other] 举报
    }编号：
web-claim-code = 🔑 查询码（匿名举报查看进度、领取奖励的唯一凭证）：
web-claim-keep = 只显示这一次。请截图或抄下来妥善保存，不要告诉他人。
web-follow-named = 请记下编号，凭编号和您留下的手机号查看办理进度。
web-status-title = 查询办理进度
web-status-number = 编号
web-status-proof = 查询码或手机号
web-status-hint = 匿名举报填写查询码，实名举报填写留下的手机号。
web-status-look = 查询
web-lookup-too-many = 查询失败次数太多，请 10 分钟后再试。
web-too-large = 提交的内容太大（最多 { $mb } MB）。请少选几张照片再试。
web-bad-form = 表单无法识别。请回到举报页面重新填写。
web-wrong-origin = 请在本网站的举报页面上填写和提交。
web-unavailable = 系统暂时无法受理，请稍后再试。您填写的内容没有保存。
web-upload-too-large = 照片“{ $name }”太大了（每张最多 { $mb } MB）。
web-upload-wrong-type = “{ $name }”不是照片（只接收 JPEG、PNG、WebP 图片）。
web-upload-off = 暂时无法接收照片，请不带照片提交，或稍后再试。
web-js-pin = 📍 已在地图上标出位置
web-js-locating = 正在获取位置…
web-js-locate-failed = 无法获取位置，请在地图上点选或选择乡镇。
web-js-photos = 已选 { $count } 张照片，已压缩到 { $kb } KB
web-js-photos-too-many = 最多 { $max } 张照片，多出的没有选上。

## Where a case came from (cases.source, src/domain/doors.ts)
source-telegram = Telegram
source-web = 网页举报
source-open311 = 对接系统
source-phone = 来电
source-letter = 来信
source-walk_in = 来访
source-hotline = 12345 热线工单
source-superior = 上级交办

## The public page (/public): cases listed for supervision, when the office publishes them
public-page-title = 信息公开：挂牌督办案件
public-page-lead = 本县挂牌督办的安全隐患及其整改情况。不公开任何举报人信息；描述中的电话、身份证号已打码。
public-page-off = 本单位未在本网站公开案件信息。
public-page-not-found = 没有这个编号的公开案件。
public-page-all = 全部
public-page-filter = 筛选
public-page-none = 没有符合条件的挂牌督办案件。
public-page-more = 仅显示最新 { $count } 件，请缩小筛选范围查看其他案件。
public-page-count = 共 { $count } 件
public-page-number = 编号
public-page-sector = 行业领域
public-page-town = 乡镇（街道）
public-page-unit = 责任单位
public-page-status = 整改情况
public-page-due = 整改期限
public-page-closed = 办结日期
public-page-description = 隐患情况
public-page-timeline = 办理进度
public-page-map = 挂牌督办案件分布图（已标注位置的）
public-page-back = 全部公开案件

## Open311 for partner systems (/open311/v2): service groups, notices and error descriptions
open311-group = 安全生产
open311-received = 已受理，县安委办将交办处理。
open311-already = 已受理过：这是同一件诉求。
open311-error-not-found = 没有这个资源：请见 /open311/v2/services.json 和 /open311/v2/requests.json。
open311-error-not-published = 本单位未公开案件信息。
open311-error-no-request = 没有公开的诉求 { $id }。
open311-error-request-id = service_request_id 须为案件编号，多个用逗号分隔。
open311-error-status = status 须为 open 或 closed。
open311-error-date = start_date 和 end_date 须为 ISO 8601 时间，例如 2026-12-01T00:00:00+08:00。
open311-error-key = 需要有效的 api_key（请向县安委办申请）。
open311-error-body = 无法读取请求内容：请用 application/x-www-form-urlencoded 或 JSON。
open311-error-too-large = 请求内容过大。
open311-error-service-code-missing = 缺少 service_code：请见 services.json。
open311-error-service-code = 未知的 service_code "{ $code }"：请见 services.json。
open311-error-location = lat 和 long 须同时提供，为十进制经纬度（WGS84）。
open311-error-place = 请提供地点：lat 和 long，或 address_string。
open311-error-ref = attribute[ref] 最多 64 个字母、数字或 _ . / : # -
open311-error-phone = 实名诉求须提供有效电话（如 13812345678）；匿名诉求请不要填 first_name、last_name 和 phone。
open311-error-rate = 此密钥提交过于频繁，请 { $minutes } 分钟后再试。
open311-error-unavailable = 服务暂时不可用，未保存任何内容，请稍后再试。

## Staff intake (/new): a case that reached the office another way
ask-source = 这件事项是从哪个渠道收到的？
ask-reference = { $required ->
        [yes] 请输入{ $source }编号（必填）：
       *[no] 请输入{ $source }的文号或编号，没有请按“跳过”：
    }
reference-invalid = 编号格式不对：只能包含字母、数字和 - _ . / : #，最多 { $max } 个字符。
ask-kind-intake = 反映的是什么问题？
ask-identity-intake = 反映人要求匿名，还是留下姓名和电话？
identity-caller-named = 👤 实名
ask-caller = 请输入反映人的姓名：
name-too-long = 姓名太长了，请控制在 { $max } 个字以内。
ask-caller-phone = 请输入反映人的电话号码（例如 13812345678）：
ask-reward-intake = 反映人是否申请有奖举报？
summary-title-intake = 请在登记前核对事项：
field-source = 来源
field-reference = 编号
value-caller = 实名：{ $name }，{ $phone }
problem-source-missing = • 请选择事项来源
problem-reference-missing = • 12345 工单需要填写工单编号
intake-submitted = ✅ 已登记为事项 { $number }（{ $source }），将和其他事项一样分派办理；发送 /case { $number } 查看。
intake-claim = 🔑 反映人的有奖举报领奖码：{ $code }。请转告反映人；此码只显示这一次。
ledger-source = 来源：{ $source }{ $ref }
ledger-source-ref = {" "}编号 { $ref }
ledger-col-source = 来源
stats-sources = 按来源：{ $sources }
stats-source = { $source } { $count }
`;
