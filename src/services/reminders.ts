/**
 * Firing deadline reminders, each exactly once. tick() calls fireDue(now), which reads only
 * the pending reminders whose time has come (reminders_due_idx), and for each one, in one
 * transaction: claims it (pending → sent, guarded by its status, so of two ticks one wins),
 * checks that it still applies to the case as it is now, and writes its messages to the
 * outbox. A failure anywhere rolls the claim back with the messages, and the next tick
 * tries again; there is no moment at which a reminder is recorded as sent but not queued.
 */
import { eq } from "drizzle-orm";
import type { Db, Executor } from "../../db/client";
import { claimReminder, dropReminder, dueReminders } from "../../db/queries/reminders";
import { cases, type Reminder } from "../../db/schema";
import { escalationTarget } from "../domain/deadlines";
import { formatOfficeTime } from "../domain/office-time";
import type { Translate } from "../i18n";
import type { Logger } from "../log";
import type { Audience } from "./case-cards";
import type { TimeRules, TimeRulesSource } from "./deadlines";
import { retryOnBusy } from "./errors";
import { enqueue, type OutboxMessage } from "./outbox";
import { assigneeOrLiaisons, cardMessages, dispatcherRecipients, leaderRecipients, unitGroups, unitHeads, unitRecipients } from "./staff-messages";

/** At most this many reminders per tick; the rest wait a minute, oldest first. */
export const REMINDER_BATCH = 200;
/** Sent this long after its time or later, a reminder says it comes late (the bot was down). */
export const LATE_AFTER_MS = 5 * 60_000;

export interface ReminderRun {
  /** Reminders claimed and written to the outbox. */
  sent: number;
  /** Claimed but no longer applying to the case: recorded as cancelled. */
  cancelled: number;
  /** Failed and rolled back: tried again next tick. */
  failed: number;
}

type CaseNow = { id: number; number: string; status: string; unitId: string | null; assigneeId: number | null; dueAt: number | null };

/** Whether a reminder still concerns the case as it is now (and, for an escalation, someone is still on that step of the chain). */
function applies(r: Reminder, c: CaseNow, chain: TimeRules["chain"]): boolean {
  if (r.kind === "escalate" && escalationTarget(chain, r.level) === null) return false; // the chain was shortened since the plan
  switch (r.stage) {
    case "accept":
      return c.status === "assigned";
    case "resolve":
      return (c.status === "assigned" || c.status === "in_progress") && c.dueAt === r.dueAt;
    case "verify":
      return c.status === "resolved" || c.status === "answered";
  }
}

const HEADER: Record<Reminder["kind"], string> = {
  half: "reminder-half",
  soon: "reminder-soon",
  due: "reminder-due",
  escalate: "reminder-escalate",
};

export function reminderService(deps: { db: Db; log: Logger; officeTz: string; consoleUrl?: string; rules: TimeRulesSource }) {
  const { db, log, officeTz } = deps;

  /** Who hears of a reminder, with the buttons each of them gets. */
  async function recipients(ex: Executor, rules: TimeRules, r: Reminder, c: CaseNow): Promise<Array<{ audience: Audience; chatIds: number[] }>> {
    if (r.stage === "verify") return [{ audience: "dispatcher", chatIds: await dispatcherRecipients(ex) }];
    if (c.unitId === null) return [];
    const unitId = c.unitId;
    switch (r.kind) {
      case "half":
      case "soon":
        return [{ audience: "unit", chatIds: await assigneeOrLiaisons(ex, unitId, c.assigneeId) }];
      case "due":
        // Overdue: the unit's group and its liaisons (the assignee, if any), and the dispatchers.
        return [
          { audience: "unit", chatIds: await unitRecipients(ex, unitId, c.assigneeId) },
          { audience: "dispatcher", chatIds: await dispatcherRecipients(ex) },
        ];
      case "escalate":
        switch (escalationTarget(rules.chain, r.level)) {
          case "liaison":
            return [{ audience: "unit", chatIds: await assigneeOrLiaisons(ex, unitId, c.assigneeId) }];
          case "unit_head": {
            // Its head; a unit without one hears in its group (or, with no group bound, its liaisons).
            const heads = await unitHeads(ex, unitId);
            if (heads.length > 0) return [{ audience: "leader", chatIds: heads }];
            const groups = await unitGroups(ex, unitId);
            return [{ audience: "unit", chatIds: groups.length > 0 ? groups : await assigneeOrLiaisons(ex, unitId, c.assigneeId) }];
          }
          case "dispatchers":
            return [{ audience: "dispatcher", chatIds: await dispatcherRecipients(ex) }];
          case "leaders":
            return [{ audience: "leader", chatIds: await leaderRecipients(ex) }];
          case null:
            return []; // not reached: applies() drops an escalation past the end of the chain
        }
    }
  }

  async function messagesFor(ex: Executor, rules: TimeRules, r: Reminder, c: CaseNow): Promise<OutboxMessage[]> {
    const seen = new Set<number>();
    const out: OutboxMessage[] = [];
    for (const { audience, chatIds } of await recipients(ex, rules, r, c)) {
      // A chat that is in two lists (a dispatcher who is also the unit's liaison) hears once.
      const fresh = chatIds.filter((id) => !seen.has(id));
      for (const id of fresh) seen.add(id);
      const header = {
        key: HEADER[r.kind],
        args: (t: Translate) => ({
          number: c.number,
          stage: r.stage,
          due: formatOfficeTime(r.dueAt, officeTz),
          days: r.level,
          late: r.late ? t("reminder-late") : "",
        }),
      };
      out.push(...(await cardMessages(ex, deps, c.id, header, audience, fresh, (chatId) => `rem:${r.key}:${chatId}`)));
    }
    return out;
  }

  /** One reminder, in one transaction: claim, check, queue. */
  async function fire(r: Reminder, rules: TimeRules, now: number): Promise<"sent" | "cancelled" | "taken"> {
    return db.transaction(async (tx) => {
      const claimed = await claimReminder(tx, r.key, now, LATE_AFTER_MS);
      if (!claimed) return "taken";
      const [c] = await tx
        .select({ id: cases.id, number: cases.number, status: cases.status, unitId: cases.unitId, assigneeId: cases.assigneeId, dueAt: cases.dueAt })
        .from(cases)
        .where(eq(cases.id, claimed.caseId));
      if (!c || !applies(claimed, c, rules.chain)) {
        await dropReminder(tx, claimed.key);
        return "cancelled";
      }
      const messages = await messagesFor(tx, rules, claimed, c);
      if (messages.length === 0) log.warn("reminder has no one to go to", { key: claimed.key });
      await enqueue(tx, messages, now);
      return "sent";
    });
  }

  return {
    /** tick(): every reminder whose time has come, once each, under the rules in force (read now unless given). */
    async fireDue(now: number, given?: TimeRules): Promise<ReminderRun> {
      const run: ReminderRun = { sent: 0, cancelled: 0, failed: 0 };
      const due = await retryOnBusy(() => dueReminders(db, now, REMINDER_BATCH));
      if (due.length === 0) return run;
      const rules = given ?? (await retryOnBusy(() => deps.rules(db)));
      for (const r of due) {
        try {
          const outcome = await retryOnBusy(() => fire(r, rules, now));
          if (outcome === "sent") run.sent++;
          else if (outcome === "cancelled") run.cancelled++;
        } catch (err) {
          run.failed++;
          log.error("reminder failed; it will be tried again", { key: r.key, err });
        }
      }
      if (run.sent > 0 || run.failed > 0) log.info("reminders fired", { ...run });
      return run;
    },
  };
}

export type ReminderService = ReturnType<typeof reminderService>;
