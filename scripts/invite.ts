/**
 * npm run invite -- UNIT-ID ROLES — makes a one-time invite link for a new staff member, the
 * way /invite does in chat: the way in for the first administrator, before anyone can use
 * /invite. ROLES is a comma-separated list of liaison, dispatcher, leader, admin.
 */

import { Api } from "grammy";
import { createDb } from "../db/client";
import { openClient } from "../db/node-client";
import { ConfigError, createConfig } from "../src/config";
import { systemClock } from "../src/services/clock";
import { INVITE_TTL_MS, parseRoles, staffService } from "../src/services/staff";

const [unitId, rolesArg] = process.argv.slice(2);
const roles = rolesArg ? parseRoles(rolesArg) : null;
if (!unitId || !roles) {
  console.error("usage: npm run invite -- UNIT-ID ROLES   (ROLES: liaison,dispatcher,leader,admin)");
  process.exit(2);
}

try {
  const config = createConfig(process.env);
  const client = openClient(config.database.url, config.database.authToken);
  const invite = await staffService({ db: createDb(client), clock: systemClock }).createInvite(unitId, roles, null);
  client.close();
  if (!invite.ok) {
    console.error(`invite: there is no unit "${unitId}" (load the directory first: npm run directory -- import FILE)`);
    process.exit(1);
  }
  const username =
    config.botInfo?.username ?? (await new Api(config.botToken, config.apiRoot ? { apiRoot: config.apiRoot } : undefined).getMe()).username;
  console.log(`https://t.me/${username}?start=${invite.code}`);
  console.log(`One person, within ${INVITE_TTL_MS / 86_400_000} days: ${unitId} as ${roles.join(", ")}.`);
} catch (err) {
  console.error(err instanceof ConfigError ? `invite: ${err.problems.join("; ")}` : err);
  process.exit(1);
}
