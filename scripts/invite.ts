/**
 * npm run invite -- UNIT ROLES — makes a one-time invite link for a new staff member, the
 * way /invite does in chat: the way in for the first administrator, before anyone can use
 * /invite. UNIT is a unit's id or its name; ROLES a comma-separated list of roles in Chinese
 * or English (their names in the locale files, or liaison, dispatcher, leader, admin). Like
 * the bot it answers in Chinese with English beside: every message from the locale files
 * (`invite-cli-*`), in Chinese, then in English on the next line.
 */

import { Api } from "grammy";
import { createDb } from "../db/client";
import { openClient } from "../db/node-client";
import { ConfigError, createConfig } from "../src/config";
import { type Locale, localName } from "../src/domain/locale";
import { type TranslateArgs, translator } from "../src/i18n";
import { systemClock } from "../src/services/clock";
import { INVITE_TTL_MS, parseRoles, staffService } from "../src/services/staff";

const SHOWN: readonly Locale[] = ["zh-CN", "en"];

/** A message in Chinese, then in English on the next line; `args` per language, for what has a name in each (a unit). */
function bilingual(key: string, args: (locale: Locale) => TranslateArgs = () => ({})): string {
  return SHOWN.map((locale) => translator(locale)(key, args(locale))).join("\n");
}

/** Each line of a message prefixed with the script's name, as the other scripts report a failure. */
const failure = (text: string) =>
  text
    .split("\n")
    .map((line) => `invite: ${line}`)
    .join("\n");

// The roles come last; the unit before them may be a name with spaces.
const args = process.argv.slice(2);
const rolesArg = args.length > 1 ? args.pop() : undefined;
const unitRef = args.join(" ");
const roles = rolesArg ? parseRoles(rolesArg) : null;
if (!unitRef || !roles) {
  console.error(bilingual("invite-cli-usage"));
  process.exit(2);
}

try {
  const config = createConfig(process.env);
  const client = openClient(config.database.url, config.database.authToken);
  const invite = await staffService({ db: createDb(client), clock: systemClock }).createInvite(unitRef, roles, null);
  client.close();
  if (!invite.ok) {
    console.error(failure(bilingual("invite-cli-unknown-unit", () => ({ unit: unitRef }))));
    process.exit(1);
  }
  const username =
    config.botInfo?.username ?? (await new Api(config.botToken, config.apiRoot ? { apiRoot: config.apiRoot } : undefined).getMe()).username;
  console.log(`https://t.me/${username}?start=${invite.code}`);
  console.log(
    bilingual("invite-cli-created", (locale) => ({
      days: INVITE_TTL_MS / 86_400_000,
      unit: localName(locale, invite.unit),
      id: invite.unit.id,
      // In Chinese by their names; in English as the script takes them (admin, dispatcher). Listed
      // the way each language lists (the narrow form: no "and"), so the code holds no separator.
      roles: new Intl.ListFormat(locale, { style: "narrow", type: "conjunction" }).format(
        locale === "en" ? roles : roles.map((r) => translator(locale)(`role-${r}`)),
      ),
    })),
  );
} catch (err) {
  // A configuration problem is in the configuration's own words, the same on every entry point: said once, under the heading.
  console.error(err instanceof ConfigError ? `${failure(bilingual("invite-cli-bad-config"))}\n${err.problems.map((p) => `  ${p}`).join("\n")}` : err);
  process.exit(1);
}
