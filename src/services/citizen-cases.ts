/**
 * What citizens may look up about their own cases: the list (/my) and one case's status and
 * public timeline (/status), by tracking number (only the person who reported it) or by the
 * claim code of an anonymous reward report (whoever holds the code).
 */
import type { Db } from "../../db/client";
import { eventsOfCase } from "../../db/queries/case-events";
import { type CitizenCaseView, caseByClaimHash, caseOfProof, caseOfReporter, casesOfReporter } from "../../db/queries/cases";
import { unitNames } from "../../db/queries/directory";
import { publicTimeline, type TimelineEntry } from "../domain/case-status";
import { claimCodeHashes, normalizeClaimCode } from "../domain/claim-code";
import { parseCaseNumber } from "../domain/numbering";
import { parsePhone } from "../domain/report-draft";

export interface CaseStatus {
  case: CitizenCaseView;
  timeline: TimelineEntry[];
  /** Office names by unit id, for the entries that name one. */
  units: Map<string, { nameZh: string; nameEn: string }>;
}

/** The names of the offices a timeline names, by unit id. */
export async function unitsNamedIn(db: Db, timeline: readonly TimelineEntry[]): Promise<CaseStatus["units"]> {
  const ids = [...new Set(timeline.flatMap((e) => (e.unitId ? [e.unitId] : [])))];
  return new Map((await unitNames(db, ids)).map((u) => [u.id, u]));
}

export function citizenCaseService(db: Db, claimSecret: string) {
  async function withTimeline(found: CitizenCaseView | null): Promise<CaseStatus | null> {
    if (found === null) return null;
    const timeline = publicTimeline(await eventsOfCase(db, found.id));
    return { case: found, timeline, units: await unitsNamedIn(db, timeline) };
  }

  return {
    mine: (telegramId: number, limit = 10) => casesOfReporter(db, telegramId, limit),

    /** A tracking number or a claim code, as typed; null when nothing this person may see matches. */
    async lookup(query: string, telegramId: number): Promise<CaseStatus | null> {
      const number = parseCaseNumber(query);
      if (number !== null) return withTimeline(await caseOfReporter(db, { number }, telegramId));
      if (normalizeClaimCode(query) !== null) return withTimeline(await caseByClaimHash(db, await claimCodeHashes(query, claimSecret)));
      return null;
    },

    /**
     * The web's lookup: a tracking number with the reporter's code (anonymous) or phone
     * (named); null when they do not belong together. The caller limits failed tries.
     */
    async lookupWithProof(numberText: string, proofText: string): Promise<CaseStatus | null> {
      const number = parseCaseNumber(numberText);
      if (number === null) return null;
      const code = normalizeClaimCode(proofText);
      const phone = parsePhone(proofText);
      return withTimeline(
        await caseOfProof(db, number, {
          claimHashes: code === null ? undefined : await claimCodeHashes(code, claimSecret),
          phone: phone ?? undefined,
        }),
      );
    },

    byId: async (caseId: number, telegramId: number) => withTimeline(await caseOfReporter(db, { id: caseId }, telegramId)),
  };
}

export type CitizenCaseService = ReturnType<typeof citizenCaseService>;
