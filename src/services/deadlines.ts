/**
 * Deadlines follow the workflow. Called by case-actions inside the transaction that records
 * an event (with that transaction as its executor), it sets the case's due date when a unit
 * first gets the case, and keeps the case's reminders in step with its stage: planned when
 * a deadline starts, cancelled when the stage ends, planned anew when the deadline moves.
 * The arithmetic is pure (src/domain/deadlines.ts over src/domain/calendar.ts); this only
 * stores its results. Each reminder's key names its case, stage, kind, level and deadline,
 * so a plan stored twice is stored once and a moved deadline gives new keys.
 *
 * The rules (calendar, policies, chain) are the defaults under the office's settings from the
 * directory file, read from the database (one row) each time they are needed, in the
 * caller's transaction: an import takes effect at once, on every runtime, without a restart.
 */
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { cancelReminders, insertReminders } from "../../db/queries/reminders";
import { readOfficeSettings } from "../../db/queries/settings";
import { cases } from "../../db/schema";
import { calendarProblems, defaultCalendar } from "../domain/calendar";
import { capDeadline, DEFAULT_CHAIN, DEFAULT_POLICIES, type DeadlineStage, dueFor, planReminders, policyFor, reminderKey } from "../domain/deadlines";
import { applySettings, type TimeRules } from "../domain/office-settings";
import type { CaseStatus, DecidedEvent } from "../domain/workflow";
import type { Logger } from "../log";

export type { TimeRules } from "../domain/office-settings";

/** The rules in force now: the base rules under the office's stored settings. */
export type TimeRulesSource = (ex: Executor) => Promise<TimeRules>;

/**
 * Reads the office's settings (one row) and lays them over `base` on every call; nothing is
 * cached, so an import takes effect at once. A stored calendar that makes no sense (hand-edited
 * in the database) is logged and the base calendar used, so deadlines still get computed.
 */
export function timeRulesSource(base: TimeRules, log?: Logger): TimeRulesSource {
  return async (ex) => {
    const rules = applySettings(base, await readOfficeSettings(ex));
    if (rules.calendar === base.calendar) return rules;
    const problems = calendarProblems(rules.calendar);
    if (problems.length === 0) return rules;
    log?.warn("office calendar settings ignored", { problems });
    return { ...rules, calendar: base.calendar };
  };
}

export function defaultTimeRules(officeTz: string, overrides: Partial<TimeRules> = {}): TimeRules {
  return {
    calendar: overrides.calendar ?? defaultCalendar(officeTz),
    policies: overrides.policies ?? DEFAULT_POLICIES,
    chain: overrides.chain ?? DEFAULT_CHAIN,
  };
}

const WORKING: readonly CaseStatus[] = ["assigned", "in_progress"];

/** The case's verification deadline (null: not waiting for verification), beside its verify reminders. */
const setVerifyDue = (ex: Executor, caseId: number, at: number | null) => ex.update(cases).set({ verifyDueAt: at }).where(eq(cases.id, caseId));

export function deadlineService(rulesNow: TimeRulesSource) {
  /**
   * Stores the reminders for one deadline started now. Reminders whose time has already
   * passed when they are planned (a case handed on after its deadline) are left out: only
   * what is still ahead is announced. Verification is the dispatchers' own step, so it is
   * reminded but not escalated.
   */
  async function plan(ex: Executor, rules: TimeRules, caseId: number, stage: DeadlineStage, now: number, dueMs: number): Promise<void> {
    const items = planReminders(rules.calendar, { stage, startMs: now, dueMs }, stage === "verify" ? [] : rules.chain).filter((i) => i.fireAt >= now);
    await insertReminders(
      ex,
      items.map((i) => ({ key: reminderKey(caseId, i, dueMs), caseId, stage, kind: i.kind, level: i.level, fireAt: i.fireAt, dueAt: dueMs })),
      now,
    );
  }

  return {
    /** Keeps the case's deadline and reminders in step with an event just recorded on it. */
    async onEvent(ex: Executor, caseId: number, event: DecidedEvent, now: number): Promise<void> {
      /** The case as it now stands and the rules in force, for the events that plan reminders. */
      const read = async () => {
        const [row] = await ex
          .select({ status: cases.status, kind: cases.kind, severity: cases.severity, dueAt: cases.dueAt, createdAt: cases.createdAt })
          .from(cases)
          .where(eq(cases.id, caseId));
        if (!row) return null;
        const rules = await rulesNow(ex);
        return { row, rules, policy: policyFor(row.kind, row.severity, rules.policies) };
      };
      switch (event.action) {
        case "assigned":
        case "transfer_accepted":
        case "reopened": {
          const c = await read();
          if (!c) return;
          await cancelReminders(ex, caseId);
          // The due date is the policy's time, never past the national cap counted from
          // receipt, unless one was set already; the accept deadline is kept on the case for
          // rankings. Written here, in the same transaction; not a workflow action, so the
          // version stays.
          // A reopened case is a new round of work: its cap counts from the reopen, not from a receipt long past.
          const from = event.action === "reopened" ? now : c.row.createdAt;
          const dueAt = c.row.dueAt ?? capDeadline(from, dueFor(c.rules.calendar, c.policy, "resolve", now), false);
          const acceptDueAt = dueFor(c.rules.calendar, c.policy, "accept", now);
          await ex.update(cases).set({ dueAt, acceptDueAt }).where(eq(cases.id, caseId));
          await plan(ex, c.rules, caseId, "accept", now, acceptDueAt);
          await plan(ex, c.rules, caseId, "resolve", now, dueAt);
          return;
        }
        case "accepted":
          await cancelReminders(ex, caseId, ["accept"]);
          return;
        case "deadline_set":
        case "extension_granted":
        case "severity_set": {
          // A new deadline (or a new severity, which keeps the deadline it has): the resolve
          // reminders start again from now for the deadline the case has now.
          const c = await read();
          if (!c) return;
          await cancelReminders(ex, caseId, ["resolve"]);
          if (WORKING.includes(c.row.status) && c.row.dueAt !== null) await plan(ex, c.rules, caseId, "resolve", now, c.row.dueAt);
          return;
        }
        case "resolved":
        case "answered": {
          // The verification deadline is kept on the case too, as due_at is, so that "overdue
          // now" at this stage is read by an index (cases_status_verify_due_idx) and agrees
          // with the verify reminders.
          const c = await read();
          if (!c) return;
          await cancelReminders(ex, caseId);
          const verifyDueAt = dueFor(c.rules.calendar, c.policy, "verify", now);
          await setVerifyDue(ex, caseId, verifyDueAt);
          await plan(ex, c.rules, caseId, "verify", now, verifyDueAt);
          return;
        }
        case "follow_up_asked": {
          // A new round of answering: its deadline counts from the question, as a reopen's
          // does, not from an old due date the unit may have met long ago.
          const c = await read();
          if (!c) return;
          await cancelReminders(ex, caseId);
          await setVerifyDue(ex, caseId, null);
          const dueAt = capDeadline(now, dueFor(c.rules.calendar, c.policy, "resolve", now), false);
          await ex.update(cases).set({ dueAt }).where(eq(cases.id, caseId));
          await plan(ex, c.rules, caseId, "resolve", now, dueAt);
          return;
        }
        case "sent_back": {
          // Verification is over, so is its deadline: back with the unit, a case is judged by due_at.
          const c = await read();
          if (!c) return;
          await cancelReminders(ex, caseId, ["verify"]);
          await setVerifyDue(ex, caseId, null);
          if (c.row.dueAt !== null && c.row.dueAt > now) await plan(ex, c.rules, caseId, "resolve", now, c.row.dueAt);
          return;
        }
        case "closed":
        case "rejected":
        case "merged":
          await cancelReminders(ex, caseId);
          await setVerifyDue(ex, caseId, null);
          return;
        case "supervised":
        case "duplicate_dismissed":
        case "transfer_requested":
        case "transfer_refused":
        case "progress":
        case "extension_requested":
        case "extension_refused":
        case "reporter_asked":
          return; // no deadline moves, no stage ends
        default:
          event satisfies never;
      }
    },
  };
}

export type DeadlineService = ReturnType<typeof deadlineService>;
