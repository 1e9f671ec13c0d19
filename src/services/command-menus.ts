/**
 * The command menus Telegram shows, from the command catalog (src/domain/commands.ts).
 * Everyone gets the citizen's commands (set once for the bot, per language); groups get the
 * group commands; a staff member's private chat gets the staff commands their roles allow
 * and then the citizen's, in their language,
 * through a chat-scoped list (Telegram's most specific scope wins, so it replaces the
 * default list there). A member's list is set when they join by invite or change language
 * (a direct call), and queued in the outbox when an import adds them or changes their roles.
 *
 * The same two paths set a staff member's menu button: the console, opened as a Mini App,
 * when it has an https address (Telegram opens web_app URLs over https only); someone no
 * longer staff gets Telegram's default button back.
 */
import type { Api } from "grammy";
import type { BotCommand, MenuButton } from "grammy/types";
import { membershipsOf } from "../../db/queries/staff";
import { CITIZEN_COMMANDS, type CommandName, commandsFor } from "../domain/commands";
import { consolePage, miniAppBase } from "../domain/console-links";
import type { Locale } from "../domain/locale";
import { ROLES, type Role } from "../domain/workflow";
import { type Translate, translator } from "../i18n";
import { enqueue, type OutboxMessage } from "./outbox";
import { localeOf } from "./staff-messages";

/** The group menu: every command that works in a group, for whoever may use it (each checks the sender's roles). */
export const GROUP_COMMANDS = commandsFor(ROLES, "group").filter((name) => name !== "start");

export function commandList(names: readonly CommandName[], locale: Locale): BotCommand[] {
  const t = translator(locale);
  return names.map((command) => ({ command, description: t(`command-${command}`) }));
}

/** Roles by their names in the reader's language, in the roles' own order. */
export const rolesText = (t: Translate, roles: readonly Role[]) =>
  ROLES.filter((r) => roles.includes(r))
    .map((r) => t(`role-${r}`))
    .join(t("list-separator"));
const helpLines = (t: Translate, names: readonly CommandName[]) => names.map((name) => t(`help-${name}`));

/**
 * /help for someone holding these roles (none for a citizen), one line a command: their staff
 * commands, the ones for a work group, then the citizen's that everyone has.
 */
export function helpText(t: Translate, roles: readonly Role[]): string {
  const parts = [t("help-title")];
  const staff = commandsFor(roles, "private", true);
  if (staff.length > 0) parts.push("", t("help-staff", { roles: rolesText(t, roles) }), ...helpLines(t, staff));
  const group = commandsFor(roles, "group", true);
  if (group.length > 0) parts.push("", t("help-group"), ...helpLines(t, group));
  parts.push("", ...helpLines(t, CITIZEN_COMMANDS), "", t("help-anonymous"));
  return parts.join("\n");
}

/** The welcome after joining by invite: the unit and roles, what each role does here, and where the rest is. */
export function joinedText(t: Translate, unit: string, roles: readonly Role[]): string {
  const held = ROLES.filter((r) => roles.includes(r));
  return [t("staff-joined", { unit, roles: rolesText(t, held) }), ...held.map((r) => t(`joined-${r}`)), t("joined-help")].join("\n\n");
}

/** A staff member's private menu: their staff commands first, then the citizen's. */
export function staffMenu(roles: readonly Role[], locale: Locale): BotCommand[] {
  return commandList(commandsFor(roles, "private"), locale);
}

/**
 * A person's menu button: the console for staff when it can open as a Mini App, Telegram's
 * default for someone who is not staff (any more); null when there is nothing to change
 * (staff, but the console has no https address).
 */
export function staffMenuButton(roles: readonly Role[], locale: Locale, consoleUrl: string | undefined): MenuButton | null {
  if (roles.length === 0) return { type: "default" };
  const base = miniAppBase(consoleUrl);
  return base === null ? null : { type: "web_app", text: translator(locale)("menu-button-console"), web_app: { url: consolePage(base) } };
}

const chatScope = (telegramId: number) => ({ type: "chat" as const, chat_id: telegramId });

/** Sets a member's private menu and menu button now (at invite time, on a change of language). No roles: back to the defaults. */
export async function setStaffMenu(api: Api, telegramId: number, roles: readonly Role[], locale: Locale, consoleUrl?: string): Promise<void> {
  if (roles.length === 0) await api.deleteMyCommands({ scope: chatScope(telegramId) });
  else await api.setMyCommands(staffMenu(roles, locale), { scope: chatScope(telegramId) });
  const button = staffMenuButton(roles, locale, consoleUrl);
  if (button !== null) await api.setChatMenuButton({ chat_id: telegramId, menu_button: button });
}

/** The roles someone holds across their active memberships. */
export async function rolesOf(ex: Parameters<typeof membershipsOf>[0], telegramId: number): Promise<Role[]> {
  return [...new Set((await membershipsOf(ex, telegramId)).flatMap((m) => m.roles))];
}

/**
 * Queues each person's private menu and menu button as they now are (staff: their commands
 * and the console; no longer staff: the defaults again), in their language; for an import,
 * in its transaction.
 */
export async function queueStaffMenus(
  ex: Parameters<typeof membershipsOf>[0],
  telegramIds: number[],
  now: number,
  consoleUrl?: string,
): Promise<void> {
  const messages: OutboxMessage[] = [];
  for (const telegramId of telegramIds) {
    const roles = await rolesOf(ex, telegramId);
    const scope = chatScope(telegramId);
    const locale = await localeOf(ex, telegramId);
    messages.push(
      roles.length === 0
        ? { chatId: telegramId, method: "deleteMyCommands", payload: { scope } }
        : { chatId: telegramId, method: "setMyCommands", payload: { commands: staffMenu(roles, locale), scope } },
    );
    const button = staffMenuButton(roles, locale, consoleUrl);
    if (button !== null) messages.push({ chatId: telegramId, method: "setChatMenuButton", payload: { chat_id: telegramId, menu_button: button } });
  }
  await enqueue(ex, messages, now);
}
