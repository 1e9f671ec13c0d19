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
 *
 * A submission is routed after its answer, not before (`routeSoon`, then `routeQueued` in the
 * update's background work, src/hazardline.ts): the routing's transaction is a score of
 * statements, one round trip each on Workers, and the person waiting for their tracking number
 * need not wait for it. The mark keeps the promise if the background work dies.
 */
import { asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { listRegions } from "../../db/queries/directory";
import { caseRow } from "../../db/queries/staff-cases";
import { cases, routes } from "../../db/schema";
import { regionPath, routeCase } from "../domain/routing";
import type { Logger } from "../log";
import type { CaseActionService } from "./case-actions";
import { retryOnBusy } from "./errors";

/** How many cases one call of `finishPending` takes at most; the next tick takes the rest. */
const PENDING_BATCH = 100;

export function intakeService(deps: { db: Db; caseActions: CaseActionService; log: Logger }) {
  const { db, caseActions, log } = deps;
  /** Cases stored by this process and not yet routed (routeSoon); in memory, since the mark in the database is the promise. */
  const queued = new Set<number>();
  /** The background routings under way, for settle(). */
  const inFlight = new Set<Promise<void>>();

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

  async function routeEach(ids: number[]): Promise<void> {
    for (const id of ids) {
      try {
        await retryOnBusy(() => route(id));
      } catch (err) {
        log.warn("a new case's routing failed: the next tick routes it", { caseId: id, err });
      }
    }
  }

  return {
    route,

    /** Routes the stored case after the answer: when the update's background work calls routeQueued. */
    routeSoon(caseId: number): void {
      queued.add(caseId);
    },

    /** Routes the cases routeSoon queued. Never throws: a case it could not route stays marked, and the next tick routes it. */
    routeQueued(): Promise<void> {
      if (queued.size === 0) return Promise.resolve();
      const ids = [...queued];
      queued.clear();
      const running = routeEach(ids).finally(() => inFlight.delete(running));
      inFlight.add(running);
      return running;
    },

    /** Resolves when no background routing is under way (for a clean stop, and for tests). */
    async settle(): Promise<void> {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },

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
