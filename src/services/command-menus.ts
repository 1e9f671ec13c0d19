/**
 * The command menus Telegram shows. Everyone gets the citizen's commands (set once for the
 * bot, per language); groups get /schedule and /bind; a staff member's private chat gets
 * the citizen's commands plus the staff commands their roles allow, in their language,
 * through a chat-scoped list (Telegram's most specific scope wins, so it replaces the
 * default list there). A member's list is set when they join by invite or change language
 * (a direct call), and queued in the outbox when an import adds them or changes their roles.
 */
import type { Api } from "grammy";
import type { BotCommand } from "grammy/types";
import { membershipsOf } from "../../db/queries/staff";
import type { Locale } from "../domain/locale";
import type { Role } from "../domain/workflow";
import { translator } from "../i18n";
import { enqueue, type OutboxMessage } from "./outbox";
import { localeOf } from "./staff-messages";

export const CITIZEN_COMMANDS = ["report", "ask", "my", "status", "cancel", "start", "lang", "help"] as const;
/** In groups: recurring reminders and binding the group (both check the sender's roles). */
export const GROUP_COMMANDS = ["schedule", "bind"] as const;

/** The staff commands a member with these roles can use, in menu order. */
export function staffCommandNames(roles: readonly Role[]): string[] {
  const has = (...any: Role[]) => any.some((r) => roles.includes(r));
  if (roles.length === 0) return [];
  return [
    ...(has("dispatcher", "admin") ? ["queue", "publish"] : []),
    ...(has("liaison") ? ["mine"] : []),
    ...(has("leader", "dispatcher", "admin") ? ["supervised", "ranking", "stats"] : []),
    "case",
    ...(has("dispatcher", "leader", "admin") ? ["export", "notice", "receipts"] : []),
    ...(has("admin") ? ["invite"] : []),
  ];
}

export function commandList(names: readonly string[], locale: Locale): BotCommand[] {
  const t = translator(locale);
  return names.map((command) => ({ command, description: t(`command-${command}`) }));
}

/** A staff member's private menu: their staff commands first, then the citizen's. */
export function staffMenu(roles: readonly Role[], locale: Locale): BotCommand[] {
  return commandList([...staffCommandNames(roles), ...CITIZEN_COMMANDS], locale);
}

const chatScope = (telegramId: number) => ({ type: "chat" as const, chat_id: telegramId });

/** Sets a member's private menu now (at invite time, on a change of language). No roles: back to the default list. */
export async function setStaffMenu(api: Api, telegramId: number, roles: readonly Role[], locale: Locale): Promise<void> {
  if (roles.length === 0) await api.deleteMyCommands({ scope: chatScope(telegramId) });
  else await api.setMyCommands(staffMenu(roles, locale), { scope: chatScope(telegramId) });
}

/** The roles someone holds across their active memberships. */
export async function rolesOf(ex: Parameters<typeof membershipsOf>[0], telegramId: number): Promise<Role[]> {
  return [...new Set((await membershipsOf(ex, telegramId)).flatMap((m) => m.roles))];
}

/**
 * Queues each person's private menu as they now are (staff: their commands; no longer staff:
 * the default list again), in their language; for an import, in its transaction.
 */
export async function queueStaffMenus(ex: Parameters<typeof membershipsOf>[0], telegramIds: number[], now: number): Promise<void> {
  const messages: OutboxMessage[] = [];
  for (const telegramId of telegramIds) {
    const roles = await rolesOf(ex, telegramId);
    const scope = chatScope(telegramId);
    messages.push(
      roles.length === 0
        ? { chatId: telegramId, method: "deleteMyCommands", payload: { scope } }
        : { chatId: telegramId, method: "setMyCommands", payload: { commands: staffMenu(roles, await localeOf(ex, telegramId)), scope } },
    );
  }
  await enqueue(ex, messages, now);
}
