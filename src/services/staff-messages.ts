/**
 * Messages to staff that more than one service writes: a case card for each recipient in
 * the recipient's language (the workflow's notices and the deadline reminders both send
 * one), and who the recipients are (a unit's group and liaisons, the dispatchers, the
 * leaders). Every function takes an executor, so the messages commit with their cause.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { chatsFor, membersWithRole } from "../../db/queries/staff";
import { caseCardData } from "../../db/queries/staff-cases";
import { members, units, users } from "../../db/schema";
import { miniAppBase } from "../domain/console-links";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../domain/locale";
import { type Translate, type TranslateArgs, translator } from "../i18n";
import { type Audience, cardKeyboard, renderCard } from "./case-cards";
import type { OutboxMessage } from "./outbox";

/** The language to write to a person in; groups (negative ids) get the office's default. */
export async function localeOf(ex: Executor, chatId: number): Promise<Locale> {
  if (chatId < 0) return DEFAULT_LOCALE;
  const [row] = await ex.select({ locale: users.locale }).from(users).where(eq(users.telegramId, chatId));
  return isLocale(row?.locale) ? row.locale : DEFAULT_LOCALE;
}

export interface CardHeader {
  /** A locale key. */
  key: string;
  /** Its arguments, per language (a note inside them may need translating too). */
  args?: (t: Translate) => TranslateArgs;
}

/** What every card is written with: the office's time zone, and the console's address for "open in console". */
export interface CardSettings {
  officeTz: string;
  consoleUrl?: string;
}

/**
 * A staff card for each recipient (each chat once), in the recipient's language, with the
 * buttons for the audience; `dedupeKey` names each message so that it is written once. A card
 * to a person (not a group: Telegram takes web_app buttons in private chats only) also opens
 * the case in the console, when it is served as a Mini App.
 */
export async function cardMessages(
  ex: Executor,
  { officeTz, consoleUrl }: CardSettings,
  caseId: number,
  header: CardHeader,
  audience: Audience,
  chatIds: number[],
  dedupeKey: (chatId: number) => string,
): Promise<OutboxMessage[]> {
  if (chatIds.length === 0) return [];
  const data = await caseCardData(ex, caseId);
  if (!data) return [];
  const out: OutboxMessage[] = [];
  const miniApp = miniAppBase(consoleUrl);
  for (const chatId of [...new Set(chatIds)]) {
    const locale = await localeOf(ex, chatId);
    const t = translator(locale);
    out.push({
      chatId,
      method: "sendMessage",
      dedupeKey: dedupeKey(chatId),
      payload: {
        text: renderCard(t, locale, officeTz, data, header.key, header.args?.(t)),
        reply_markup: cardKeyboard(t, data, audience, chatId > 0 ? miniApp : null),
      },
    });
  }
  return out;
}

/** A unit's bound groups. */
export async function unitGroups(ex: Executor, unitId: string): Promise<number[]> {
  return (await chatsFor(ex, "unit", unitId)).map((c) => c.chatId);
}

/** A unit's bound groups and its liaisons (only the assignee, when the case has one). */
export async function unitRecipients(ex: Executor, unitId: string, assigneeId: number | null): Promise<number[]> {
  const groups = await unitGroups(ex, unitId);
  const liaisons = (await membersWithRole(ex, "liaison", unitId)).filter((m) => assigneeId === null || m.id === assigneeId);
  return [...groups, ...liaisons.map((m) => m.telegramId)];
}

/** The person a case is assigned to, privately; the unit's liaisons when it has none (or they left). */
export async function assigneeOrLiaisons(ex: Executor, unitId: string, assigneeId: number | null): Promise<number[]> {
  if (assigneeId !== null) {
    const [assignee] = await ex
      .select({ telegramId: members.telegramId })
      .from(members)
      .where(and(eq(members.id, assigneeId), eq(members.active, true)));
    if (assignee) return [assignee.telegramId];
  }
  return (await membersWithRole(ex, "liaison", unitId)).map((m) => m.telegramId);
}

/** The dispatchers' groups; if none is bound, each dispatcher privately. */
export async function dispatcherRecipients(ex: Executor): Promise<number[]> {
  const groups = (await chatsFor(ex, "dispatchers")).map((c) => c.chatId);
  if (groups.length > 0) return groups;
  return (await membersWithRole(ex, "dispatcher")).map((m) => m.telegramId);
}

/** A unit's head: its members with the leader role, privately (none when it has none). */
export async function unitHeads(ex: Executor, unitId: string): Promise<number[]> {
  return (await membersWithRole(ex, "leader", unitId)).map((m) => m.telegramId);
}

/**
 * The county's leaders: the leaders' groups; if none is bound, the members with the leader
 * role in the office's own units (kind "office"), or failing those every leader.
 */
export async function leaderRecipients(ex: Executor): Promise<number[]> {
  const groups = (await chatsFor(ex, "leaders")).map((c) => c.chatId);
  if (groups.length > 0) return groups;
  const leaders = await membersWithRole(ex, "leader");
  if (leaders.length === 0) return [];
  const offices = new Set(
    (
      await ex
        .select({ id: units.id })
        .from(units)
        .where(and(eq(units.kind, "office"), inArray(units.id, [...new Set(leaders.map((l) => l.unitId))])))
    ).map((u) => u.id),
  );
  const county = leaders.filter((l) => offices.has(l.unitId));
  return (county.length > 0 ? county : leaders).map((m) => m.telegramId);
}
