/**
 * What happens to a new case right after it is stored: the most specific route takes it to a
 * unit (assignment, as the system), or, with no route, it waits in the dispatchers' triage queue and
 * they are told. Kept apart from storing the report, so a failure here leaves a stored case
 * in the queue rather than losing it.
 */
import type { Db } from "../../db/client";
import { listRegions } from "../../db/queries/directory";
import { caseRow } from "../../db/queries/staff-cases";
import { routes } from "../../db/schema";
import { regionPath, routeCase } from "../domain/routing";
import type { CaseActionService } from "./case-actions";

export function intakeService(deps: { db: Db; caseActions: CaseActionService }) {
  const { db, caseActions } = deps;
  return {
    async route(caseId: number): Promise<{ unitId: string | null }> {
      const row = await caseRow(db, caseId);
      if (row?.status !== "new") return { unitId: row?.unitId ?? null };
      const unitId = routeCase(await db.select().from(routes), regionPath(await listRegions(db), row.regionId), row.sectorId);
      if (unitId !== null) {
        const outcome = await caseActions.perform(caseId, { type: "route", unitId }, { kind: "system" }, row.version);
        if (outcome.ok) return { unitId };
      }
      await caseActions.announceNewCase(caseId);
      return { unitId: null };
    },
  };
}
