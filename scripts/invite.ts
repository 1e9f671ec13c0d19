/**
 * npm run invite -- UNIT ROLES — makes a one-time invite link for a new staff member, the
 * way /invite does in chat: the way in for the first administrator, before anyone can use
 * /invite. UNIT is a unit's id or its name; ROLES a comma-separated list of roles in Chinese
 * or English (联络员/liaison, 调度员/dispatcher, 领导/leader, 管理员/admin). It answers in
 * Chinese with English beside, like the bot.
 */

import { Api } from "grammy";
import { createDb } from "../db/client";
import { openClient } from "../db/node-client";
import { ConfigError, createConfig } from "../src/config";
import { translator } from "../src/i18n";
import { systemClock } from "../src/services/clock";
import { INVITE_TTL_MS, parseRoles, staffService } from "../src/services/staff";

// The roles come last; the unit before them may be a name with spaces.
const args = process.argv.slice(2);
const rolesArg = args.length > 1 ? args.pop() : undefined;
const unitRef = args.join(" ");
const roles = rolesArg ? parseRoles(rolesArg) : null;
if (!unitRef || !roles) {
  console.error(
    "用法 usage: npm run invite -- 单位编号或名称 角色   (角色 roles: 联络员/liaison, 调度员/dispatcher, 领导/leader, 管理员/admin，用逗号分隔 comma-separated)",
  );
  process.exit(2);
}

try {
  const config = createConfig(process.env);
  const client = openClient(config.database.url, config.database.authToken);
  const invite = await staffService({ db: createDb(client), clock: systemClock }).createInvite(unitRef, roles, null);
  client.close();
  if (!invite.ok) {
    console.error(
      `invite: 没有这个单位（或有多个单位同名）："${unitRef}"；请先导入名录：npm run directory -- import FILE / there is no unit "${unitRef}" (or several share the name); load the directory first`,
    );
    process.exit(1);
  }
  const username =
    config.botInfo?.username ?? (await new Api(config.botToken, config.apiRoot ? { apiRoot: config.apiRoot } : undefined).getMe()).username;
  console.log(`https://t.me/${username}?start=${invite.code}`);
  const days = INVITE_TTL_MS / 86_400_000;
  const zh = translator("zh-CN");
  const zhRoles = roles.map((r) => zh(`role-${r}`)).join("、");
  console.log(`限一人使用，${days} 天内有效：${invite.unit.nameZh}（${invite.unit.id}），角色：${zhRoles}`);
  console.log(`One person, within ${days} days: ${invite.unit.nameEn} (${invite.unit.id}) as ${roles.join(", ")}.`);
} catch (err) {
  console.error(err instanceof ConfigError ? `invite: ${err.problems.join("; ")}` : err);
  process.exit(1);
}
