/**
 * Deadlines follow the workflow. Called by case-actions inside the transaction that records
 * an event (with that transaction as its executor), it sets the case's due date when a unit
 * first gets the case, and keeps the case's reminders in step with its stage: planned when
 * a deadline starts, cancelled when the stage ends, planned anew when the deadline moves.
 * The arithmetic is pure (src/domain/deadlines.ts over src/domain/calendar.ts); this only
 * stores its results. Each reminder's key names its case, stage, kind, level and deadline,
 * so a plan stored twice is stored once and a moved deadline gives new keys.
 */
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { cancelReminders, insertReminders } from "../../db/queries/reminders";
import { cases } from "../../db/schema";
import { defaultCalendar, type OfficeCalendar } from "../domain/calendar";
import {
  capDeadline,
  DEFAULT_CHAIN,
  DEFAULT_POLICIES,
  type DeadlinePolicies,
  type DeadlineStage,
  dueFor,
  type EscalationLevel,
  planReminders,
  policyFor,
  reminderKey,
} from "../domain/deadlines";
import type { CaseStatus, WorkflowEvent } from "../domain/workflow";

/** The office's calendar, its deadline policies and its escalation chain: what deadlines are computed from. */
export interface TimeRules {
  calendar: OfficeCalendar;
  policies: DeadlinePolicies;
  chain: readonly EscalationLevel[];
}

export function defaultTimeRules(officeTz: string, overrides: Partial<TimeRules> = {}): TimeRules {
  return {
    calendar: overrides.calendar ?? defaultCalendar(officeTz),
    policies: overrides.policies ?? DEFAULT_POLICIES,
    chain: overrides.chain ?? DEFAULT_CHAIN,
  };
}

const WORKING: readonly CaseStatus[] = ["assigned", "in_progress"];

export function deadlineService(rules: TimeRules) {
  const { calendar, policies, chain } = rules;

  /**
   * Stores the reminders for one deadline started now. Reminders whose time has already
   * passed when they are planned (a case handed on after its deadline) are left out: only
   * what is still ahead is announced. Verification is the dispatchers' own step, so it is
   * reminded but not escalated.
   */
  async function plan(ex: Executor, caseId: number, stage: DeadlineStage, now: number, dueMs: number): Promise<void> {
    const items = planReminders(calendar, { stage, startMs: now, dueMs }, stage === "verify" ? [] : chain).filter((i) => i.fireAt >= now);
    await insertReminders(
      ex,
      items.map((i) => ({ key: reminderKey(caseId, i, dueMs), caseId, stage, kind: i.kind, level: i.level, fireAt: i.fireAt, dueAt: dueMs })),
      now,
    );
  }

  return {
    rules,

    /** Keeps the case's deadline and reminders in step with an event just recorded on it. */
    async onEvent(ex: Executor, caseId: number, event: WorkflowEvent, now: number): Promise<void> {
      const [row] = await ex
        .select({ status: cases.status, kind: cases.kind, severity: cases.severity, dueAt: cases.dueAt, createdAt: cases.createdAt })
        .from(cases)
        .where(eq(cases.id, caseId));
      if (!row) return;
      const policy = policyFor(row.kind, row.severity, policies);
      switch (event.action) {
        case "assigned":
        case "transfer_accepted": {
          await cancelReminders(ex, caseId);
          let dueAt = row.dueAt;
          if (dueAt === null) {
            // The policy's time, never past the national cap counted from receipt. Written
            // here, in the same transaction; not a workflow action, so the version stays.
            dueAt = capDeadline(row.createdAt, dueFor(calendar, policy, "resolve", now), false);
            await ex.update(cases).set({ dueAt }).where(eq(cases.id, caseId));
          }
          await plan(ex, caseId, "accept", now, dueFor(calendar, policy, "accept", now));
          await plan(ex, caseId, "resolve", now, dueAt);
          return;
        }
        case "accepted":
          await cancelReminders(ex, caseId, ["accept"]);
          return;
        case "deadline_set":
        case "extension_granted":
        case "severity_set":
          // A new deadline (or a new severity, which keeps the deadline it has): the resolve
          // reminders start again from now for the deadline the case has now.
          await cancelReminders(ex, caseId, ["resolve"]);
          if (WORKING.includes(row.status) && row.dueAt !== null) await plan(ex, caseId, "resolve", now, row.dueAt);
          return;
        case "resolved":
        case "answered":
          await cancelReminders(ex, caseId);
          await plan(ex, caseId, "verify", now, dueFor(calendar, policy, "verify", now));
          return;
        case "sent_back":
          await cancelReminders(ex, caseId, ["verify"]);
          if (row.dueAt !== null && row.dueAt > now) await plan(ex, caseId, "resolve", now, row.dueAt);
          return;
        case "closed":
        case "rejected":
        case "merged":
          await cancelReminders(ex, caseId);
          return;
      }
    },
  };
}

export type DeadlineService = ReturnType<typeof deadlineService>;
