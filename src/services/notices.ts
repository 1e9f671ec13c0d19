/**
 * Notices (see docs/glossary.md): the dispatchers or leaders write to units; every copy carries a "read"
 * button; who pressed it is recorded once; members who have not read a notice are reminded
 * privately once, a set number of working hours after it went out.
 *
 * A copy goes to each group bound to a target unit; a unit without a group gets a private
 * copy for each member. The notice, its copies (outbox rows) and its reminder time are
 * written in one transaction, so a notice is never half sent. The button carries only the
 * notice's id: whether a press counts is decided here, from the membership in the database.
 */

import type { Db, Executor } from "../../db/client";
import { queueForArchive } from "../../db/queries/archive";
import {
  claimNoticeReminder,
  insertNotice,
  insertReceipt,
  noticeById,
  noticesToRemind,
  receiptsOf,
  recentNotices,
  unitGroups,
  unitMembers,
  unitNames,
} from "../../db/queries/notices";
import { listUnits } from "../../db/queries/staff";
import type { Notice } from "../../db/schema";
import { NOTICE_READ } from "../domain/buttons";
import { addWorkingHours } from "../domain/calendar";
import type { NoticeMedia } from "../domain/conversation";
import { DEFAULT_LOCALE, isLocale, type Locale, localName } from "../domain/locale";
import { translator } from "../i18n";
import type { Clock } from "./clock";
import type { TimeRulesSource } from "./deadlines";
import { enqueue, type OutboxMessage } from "./outbox";

export const DEFAULT_NOTICE_REMIND_HOURS = 4;
const EXCERPT_CHARS = 80;

/** A notice ready to send. */
export interface NoticeDraft {
  text: string;
  media?: NoticeMedia;
  unitIds: string[];
}

/** Who signs a notice: their unit's name, in each reader's language, else their own name. */
export interface NoticeAuthor {
  memberId: number;
  name: string;
  unit?: { nameZh: string; nameEn: string };
}

export type ReadOutcome = "recorded" | "again" | "not-for-you" | "unknown";

export interface UnitReceipts {
  unitId: string;
  unit: { nameZh: string; nameEn: string } | undefined;
  groups: string[];
  read: Array<{ name: string; at: number }>;
  unread: string[];
}

const readKeyboard = (noticeId: number, locale: Locale) => ({
  inline_keyboard: [[{ text: translator(locale)("notice-read-button"), callback_data: NOTICE_READ.encode({ noticeId }) }]],
});

/** One copy of a notice as an outbox message: text, or the photo or file with the text as its caption. */
function copy(notice: Pick<Notice, "id" | "text" | "media">, chatId: number, locale: Locale, from: NoticeAuthor, dedupeKey: string): OutboxMessage {
  const author = from.unit ? localName(locale, from.unit) : from.name;
  const body = translator(locale)("notice-copy", { id: String(notice.id), text: notice.text, author });
  const reply_markup = readKeyboard(notice.id, locale);
  if (notice.media?.type === "photo")
    return { chatId, method: "sendPhoto", payload: { photo: notice.media.fileId, caption: body, reply_markup }, dedupeKey };
  if (notice.media?.type === "document")
    return { chatId, method: "sendDocument", payload: { document: notice.media.fileId, caption: body, reply_markup }, dedupeKey };
  return { chatId, method: "sendMessage", payload: { text: body, reply_markup }, dedupeKey };
}

const localeOrDefault = (locale: string | null | undefined): Locale => (isLocale(locale) ? locale : DEFAULT_LOCALE);

export function noticeService(deps: { db: Db; clock: Clock; rules: TimeRulesSource; remindAfterHours?: number }) {
  const { db, clock } = deps;
  const remindAfterHours = deps.remindAfterHours ?? DEFAULT_NOTICE_REMIND_HOURS;

  /** Where the copies go: the units' groups, and the members of units that have none. */
  async function audience(ex: Executor, unitIds: string[]) {
    const [groups, people] = await Promise.all([unitGroups(ex, unitIds), unitMembers(ex, unitIds)]);
    const withGroup = new Set(groups.map((g) => g.unitId));
    const privately = people.filter((p) => !withGroup.has(p.unitId) && p.blockedAt == null);
    return { groups, privately, members: people };
  }

  return {
    /** The units a notice can be addressed to. */
    units: () => listUnits(db),

    audience: async (unitIds: string[]) => {
      const a = await audience(db, unitIds);
      return {
        groups: a.groups.length,
        privately: new Set(a.privately.map((p) => p.telegramId)).size,
        members: new Set(a.members.map((p) => p.telegramId)).size,
      };
    },

    /** Sends a notice: the row, every copy and the reminder time, in one transaction. */
    async send(author: NoticeAuthor, draft: NoticeDraft): Promise<{ id: number; copies: number }> {
      const now = clock.now();
      const unitIds = [...new Set(draft.unitIds)];
      return db.transaction(async (tx) => {
        const rules = await deps.rules(tx);
        const { groups, privately } = await audience(tx, unitIds);
        const notice = { text: draft.text, media: draft.media ?? null };
        const id = await insertNotice(tx, {
          authorId: author.memberId,
          ...notice,
          unitIds,
          sentAt: now,
          remindAt: addWorkingHours(rules.calendar, now, remindAfterHours),
        });
        const messages = new Map<number, OutboxMessage>();
        for (const g of groups) messages.set(g.chatId, copy({ id, ...notice }, g.chatId, DEFAULT_LOCALE, author, `notice:${id}:${g.chatId}`));
        for (const p of privately) {
          if (!messages.has(p.telegramId))
            messages.set(p.telegramId, copy({ id, ...notice }, p.telegramId, localeOrDefault(p.locale), author, `notice:${id}:${p.telegramId}`));
        }
        await enqueue(tx, [...messages.values()], now);
        if (draft.media?.fileUniqueId)
          await queueForArchive(tx, [{ kind: draft.media.type, fileId: draft.media.fileId, fileUniqueId: draft.media.fileUniqueId }], now);
        return { id, copies: messages.size };
      });
    },

    /** A press of "read": recorded once, and only for a member of a unit the notice is for. */
    async read(noticeId: number, telegramId: number, chatId: number): Promise<ReadOutcome> {
      const notice = await noticeById(db, noticeId);
      if (!notice) return "unknown";
      const people = await unitMembers(db, notice.unitIds);
      if (!people.some((p) => p.telegramId === telegramId)) return "not-for-you";
      return (await insertReceipt(db, { noticeId, telegramId, chatId, readAt: clock.now() })) ? "recorded" : "again";
    },

    /** Who has read a notice and who has not, per target unit, with the unit's groups. */
    async receipts(noticeId: number): Promise<{ notice: Notice; units: UnitReceipts[] } | undefined> {
      const notice = await noticeById(db, noticeId);
      if (!notice) return undefined;
      const [{ groups, members }, reads, names] = await Promise.all([
        audience(db, notice.unitIds),
        receiptsOf(db, noticeId),
        unitNames(db, notice.unitIds),
      ]);
      const readAt = new Map(reads.map((r) => [r.telegramId, r.readAt]));
      const units = notice.unitIds.map((unitId) => {
        const own = members.filter((m) => m.unitId === unitId);
        return {
          unitId,
          unit: names.find((n) => n.id === unitId),
          groups: groups.filter((g) => g.unitId === unitId).map((g) => g.title),
          read: own.filter((m) => readAt.has(m.telegramId)).map((m) => ({ name: m.name, at: readAt.get(m.telegramId)! })),
          unread: own.filter((m) => !readAt.has(m.telegramId)).map((m) => m.name),
        };
      });
      return { notice, units };
    },

    recent: (limit = 5) => recentNotices(db, limit),

    /**
     * Reminds, privately and once, each member of a target unit who has not read a notice
     * whose reminder time has come. The claim and the messages commit together, so two
     * ticks at once remind once, and a failed write leaves the reminder for the next tick.
     */
    async remindDue(now: number): Promise<number> {
      let written = 0;
      for (const notice of await noticesToRemind(db, now)) {
        written += await db.transaction(async (tx) => {
          if (!(await claimNoticeReminder(tx, notice.id, now))) return 0;
          const [people, reads] = await Promise.all([unitMembers(tx, notice.unitIds), receiptsOf(tx, notice.id)]);
          const done = new Set(reads.map((r) => r.telegramId));
          const messages = new Map<number, OutboxMessage>();
          for (const p of people) {
            if (done.has(p.telegramId) || p.blockedAt != null || messages.has(p.telegramId)) continue;
            const locale = localeOrDefault(p.locale);
            const excerpt = notice.text.replace(/\s+/g, " ").slice(0, EXCERPT_CHARS);
            messages.set(p.telegramId, {
              chatId: p.telegramId,
              method: "sendMessage",
              payload: {
                text: translator(locale)("notice-remind", { id: String(notice.id), excerpt }),
                reply_markup: readKeyboard(notice.id, locale),
              },
              dedupeKey: `notice-remind:${notice.id}:${p.telegramId}`,
            });
          }
          await enqueue(tx, [...messages.values()], now);
          return messages.size;
        });
      }
      return written;
    },
  };
}

export type NoticeService = ReturnType<typeof noticeService>;

/** A unit's name in a language, or its id when the directory no longer has it. */
export const unitLabel = (r: UnitReceipts, locale: Locale) => (r.unit ? localName(locale, r.unit) : r.unitId);
