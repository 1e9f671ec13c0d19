/**
 * A staff member's own command menu (and their menu button, the console), set from a handler: when they join by invite, start the
 * bot (a member the directory import added before the bot knew their chat), or change
 * language. Best effort: a refusal is logged and changes nothing else.
 */
import type { BotContext } from "../../src/bot/context";
import { setStaffMenu } from "../../src/services/command-menus";

/** Sets the menu of the person the update is from, in the update's language, if they are staff. */
export async function refreshStaffMenu(ctx: BotContext, why: string): Promise<void> {
  const userId = ctx.from?.id;
  if (userId === undefined) return;
  const member = await ctx.services.staff.member(userId);
  if (!member) return;
  await setStaffMenu(ctx.api, userId, member.roles, ctx.locale, ctx.services.consoleUrl).catch((err: unknown) =>
    ctx.services.log.warn("setting a staff member's menu failed", { telegramId: userId, why, err }),
  );
}
