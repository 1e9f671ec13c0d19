/**
 * How long a reporter's identity is kept: the directory file's `retention:
 * reporter_identity_days: N`, 1095 (three years) when it says none. Once a day (claimed in `job_runs` as `retention:<date>`), every
 * case closed or rejected more than N days ago loses its `case_reporters` rows (the reporter's
 * Telegram id and chat, name, phone and the claim code's hash) and gains a `reporter_erased`
 * event in its ledger, in one transaction a batch of cases at a time. The row goes whole: its
 * Telegram id is part of its primary key, and nothing of it is worth keeping without the
 * person. Afterwards the case is no longer under the reporter's /my, nor found by the claim
 * code.
 */
import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { readOfficeSettings } from "../../db/queries/settings";
import { caseEvents, caseReporters, cases, jobRuns } from "../../db/schema";
import { reporterIdentityDays } from "../domain/office-settings";
import { officeDateOf } from "../domain/reports";

const BATCH = 200;
const DAY_MS = 86_400_000;

export function retentionService(deps: { db: Db; officeTz: string }) {
  const { db } = deps;
  return {
    /** Erases the reporters whose retention ran out, once a day; returns how many cases lost theirs. */
    async eraseDue(now: number): Promise<number> {
      // Every tick asks; once today's run is done, one indexed read answers.
      const key = `retention:${officeDateOf(now, deps.officeTz)}`;
      const [done] = await db.select({ key: jobRuns.key }).from(jobRuns).where(eq(jobRuns.key, key));
      if (done) return 0;
      const days = reporterIdentityDays(await readOfficeSettings(db));
      const cutoff = now - days * DAY_MS;
      let erased = 0;
      for (;;) {
        const batch = await db.transaction(async (tx) => {
          const due = await tx
            .selectDistinct({ caseId: caseReporters.caseId })
            .from(caseReporters)
            .innerJoin(cases, eq(cases.id, caseReporters.caseId))
            .where(
              and(
                inArray(cases.status, ["closed", "rejected"]),
                isNotNull(sql`coalesce(${cases.closedAt}, ${cases.updatedAt})`),
                lt(sql`coalesce(${cases.closedAt}, ${cases.updatedAt})`, cutoff),
              ),
            )
            .limit(BATCH);
          const ids = due.map((d) => d.caseId);
          if (ids.length === 0) {
            await tx.insert(jobRuns).values({ key, at: now }).onConflictDoNothing();
            return 0;
          }
          await tx.delete(caseReporters).where(inArray(caseReporters.caseId, ids));
          await tx
            .insert(caseEvents)
            .values(ids.map((caseId) => ({ caseId, at: now, actorKind: "system" as const, action: "reporter_erased", data: { days } })));
          return ids.length;
        });
        erased += batch;
        if (batch < BATCH) return erased;
      }
    },
  };
}

export type RetentionService = ReturnType<typeof retentionService>;
