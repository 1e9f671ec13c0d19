/**
 * A case's ledger (`case_events`), in and out. Every event is written through `eventRow`, so
 * its data is its type's, and read back through the workflow's `readEvent`, so every reader
 * gets the typed union of src/domain/workflow.ts and none parses a row of its own.
 */
import { and, asc, eq } from "drizzle-orm";
import type { TimedEvent } from "../../src/domain/case-status";
import { type CaseStatus, readEvent, type WorkflowEvent } from "../../src/domain/workflow";
import type { Executor } from "../client";
import { caseEvents, members } from "../schema";

/** Who wrote an event: a citizen stays unnamed here (their identity lives in case_reporters). */
export type EventActor = { kind: "citizen" } | { kind: "system" } | { kind: "member"; memberId: number };

/** The statuses an event moved the case between, when it moved it (`decide`'s events say). */
type Moved = { fromStatus?: CaseStatus | null; toStatus?: CaseStatus | null };

export function eventRow(caseId: number, at: number, actor: EventActor, event: WorkflowEvent & Moved): typeof caseEvents.$inferInsert {
  return {
    caseId,
    at,
    actorKind: actor.kind,
    actorId: actor.kind === "member" ? actor.memberId : null,
    action: event.action,
    fromStatus: event.fromStatus ?? null,
    toStatus: event.toStatus ?? null,
    data: event.data,
  };
}

/** The case's events, oldest first, for the citizen's timeline; a row `readEvent` cannot read is left out. */
export async function eventsOfCase(db: Executor, caseId: number): Promise<TimedEvent[]> {
  const rows = await db
    .select({ at: caseEvents.at, action: caseEvents.action, data: caseEvents.data })
    .from(caseEvents)
    .where(eq(caseEvents.caseId, caseId))
    .orderBy(asc(caseEvents.id));
  return rows.flatMap((row) => {
    const event = readEvent(row);
    return event === null ? [] : [{ ...event, at: row.at }];
  });
}

/**
 * The case's events with the staff member who acted (citizens stay unnamed), oldest first,
 * for the staff ledger: a row `readEvent` cannot read is kept, as `event: null`.
 */
export async function ledgerOf(db: Executor, caseId: number) {
  const rows = await db
    .select({ at: caseEvents.at, action: caseEvents.action, actorKind: caseEvents.actorKind, data: caseEvents.data, memberName: members.name })
    .from(caseEvents)
    .leftJoin(members, and(eq(caseEvents.actorKind, "member"), eq(members.id, caseEvents.actorId)))
    .where(eq(caseEvents.caseId, caseId))
    .orderBy(asc(caseEvents.id));
  return rows.map(({ action, data, ...row }) => ({ ...row, event: readEvent({ action, data }) }));
}

export type LedgerEntry = Awaited<ReturnType<typeof ledgerOf>>[number];
