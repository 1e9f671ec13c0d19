/**
 * The command catalog (src/domain/commands.ts) enforced, in two pieces that every handler
 * goes through:
 *
 * - `commandGate`, before every feature: a command of the catalog sent in a kind of chat it
 *   does not work in is answered with where it does work ("in a private chat with me", with a
 *   link; "in the group"), or refused when it is a staff command the sender may not use. No
 *   handler sees it.
 * - `asStaff(command, handler)`, around every staff command and every button a staff command
 *   leads to: the sender's roles are read from the database, the catalog decides, and the
 *   handler runs with the member or the sender is told they may not, where they are looking.
 */
import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context";
import { type CommandName, isCommandName, isStaffCommand, mayUse, type Place, usableIn } from "../src/domain/commands";
import type { StaffMember } from "../src/services/staff";
import { privateLink } from "./citizen/render";

/** "/name" or "/name@bot" at the start of a message, as Telegram marks a bot command. */
const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s|$)/;

const placeOf = (type: string): Place | null => (type === "private" ? "private" : type === "group" || type === "supergroup" ? "group" : null);

const inReply = (ctx: BotContext) =>
  ctx.msg && ctx.chat?.type !== "private" ? { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } } : {};

/** Tells the sender they may not, as an alert on a button or a reply to a message. */
export async function notAllowed(ctx: BotContext): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true });
  else await ctx.reply(ctx.t("not-allowed"), inReply(ctx));
}

/** The sender, read from the database, when their roles allow the staff command; otherwise null. */
export async function allowedMember(ctx: BotContext, name: CommandName): Promise<StaffMember | null> {
  const me = ctx.from ? await ctx.services.staff.member(ctx.from.id) : null;
  return me && mayUse(name, me.roles) ? me : null;
}

/** Runs the handler for a member whose roles allow the command; refuses everyone else. */
export function asStaff<C extends BotContext>(name: CommandName, handler: (ctx: C, me: StaffMember) => unknown) {
  return async (ctx: C): Promise<void> => {
    const me = await allowedMember(ctx, name);
    if (me) await handler(ctx, me);
    else await notAllowed(ctx);
  };
}

/** The catalog's command a message's text is, if it is one. */
export function commandOf(text: string | undefined): CommandName | null {
  const name = text === undefined ? undefined : COMMAND.exec(text)?.[1];
  return name !== undefined && isCommandName(name) ? name : null;
}

export const commandGate = new Composer<BotContext>();

commandGate.on("message:text", async (ctx, next) => {
  const found = COMMAND.exec(ctx.msg.text);
  const place = placeOf(ctx.chat.type);
  const name = found?.[1];
  const addressee = found?.[2];
  if (!name || !isCommandName(name) || place === null || usableIn(name, place)) return next();
  // "/report@some_other_bot" in a group is someone else's business.
  if (addressee !== undefined && addressee.toLowerCase() !== ctx.me.username.toLowerCase()) return next();
  if (isStaffCommand(name) && !(await allowedMember(ctx, name))) return notAllowed(ctx);
  await ctx.reply(
    place === "group" ? ctx.t("private-only", { link: privateLink(ctx.me.username) }) : ctx.t("group-only", { command: name }),
    inReply(ctx),
  );
});
