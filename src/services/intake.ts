/**
 * What happens to a new case right after it is stored: the most specific route takes it to a
 * unit (assignment, as the system), or, with no route, it waits in the dispatchers' triage
 * queue and they are told.
 *
 * Exactly once, whenever the process dies. A stored case carries `intake_pending` until the
 * transaction that routes it (the workflow's `route`, or any action that takes it out of
 * `new`) or announces it to the dispatchers clears it; the announcement claims the mark with a
 * conditional update, so two callers at once send one card. Whoever finds a case still marked
 * finishes it: the submit that stored it, the same citizen pressing submit again, every tick,
 * and the Node server at start-up. The routing decision itself is pure (src/domain/routing.ts)
 * and is taken again by whoever finishes: the directory may have changed meanwhile.
 */
import { asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { listRegions } from "../../db/queries/directory";
import { caseRow } from "../../db/queries/staff-cases";
import { cases, routes } from "../../db/schema";
import { regionPath, routeCase } from "../domain/routing";
import type { CaseActionService } from "./case-actions";
import { retryOnBusy } from "./errors";

/** How many cases one call of `finishPending` takes at most; the next tick takes the rest. */
const PENDING_BATCH = 100;

export function intakeService(deps: { db: Db; caseActions: CaseActionService }) {
  const { db, caseActions } = deps;

  async function route(caseId: number): Promise<{ unitId: string | null }> {
    const row = await caseRow(db, caseId);
    if (!row?.intakePending) return { unitId: row?.unitId ?? null };
    if (row.status === "new") {
      const unitId = routeCase(await db.select().from(routes), regionPath(await listRegions(db), row.regionId), row.sectorId);
      if (unitId !== null) {
        const outcome = await caseActions.perform(caseId, { type: "route", unitId }, { kind: "system" }, row.version);
        if (outcome.ok) return { unitId };
      }
    }
    // No route, a route that was refused (its unit gone), or someone else acted first: the
    // dispatchers hear of it unless the case has left `new` (then the mark is simply cleared).
    await caseActions.announceNewCase(caseId);
    return { unitId: null };
  }

  return {
    route,

    /** Finishes the intake of every case still marked: after a crash, at start-up and at every tick. */
    async finishPending(): Promise<number> {
      const pending = await retryOnBusy(() =>
        db.select({ id: cases.id }).from(cases).where(eq(cases.intakePending, true)).orderBy(asc(cases.id)).limit(PENDING_BATCH),
      );
      for (const { id } of pending) await retryOnBusy(() => route(id));
      return pending.length;
    },
  };
}

export type IntakeService = ReturnType<typeof intakeService>;
