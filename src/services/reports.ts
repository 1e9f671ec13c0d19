/**
 * Submitting a citizen's report or question: the whole-draft check, the guards against
 * floods and double submissions, the possible-duplicate test, and storing the case with its
 * number in one transaction. One use case with several doors: the bot's submit button today,
 * a web form or an API tomorrow.
 */
import type { Db } from "../../db/client";
import { insertReport, openReportsInSector } from "../../db/queries/cases";
import { caseIdByNumber } from "../../db/queries/staff-cases";
import { generateClaimCode, hashClaimCode } from "../domain/claim-code";
import { findPossibleDuplicates } from "../domain/duplicates";
import { sha256Hex } from "../domain/hash";
import { counterScope, formatCaseNumber } from "../domain/numbering";
import { type Draft, draftFingerprint, type Problem, validateDraft } from "../domain/report-draft";
import type { Clock } from "./clock";
import type { HotState } from "./hot-state";
import type { intakeService } from "./intake";
import { hitRateLimit, RATE_RULES } from "./rate-limit";

/** An identical report from the same person within this time is the same report. */
export const RESUBMISSION_WINDOW_MS = 10 * 60_000;
/** How far back the possible-duplicate check looks. */
const DUPLICATE_LOOKBACK_MS = 90 * 24 * 60 * 60_000;

export interface Reporter {
  telegramId: number;
  chatId: number;
  /** The name Telegram shows, kept only for a named report. */
  displayName: string;
}

export type SubmitResult =
  | { status: "created"; caseId: number; number: string; claimCode?: string }
  | { status: "already-submitted"; number: string }
  | { status: "invalid"; problems: Problem[] }
  | { status: "rate-limited"; retryAfterMs: number };

export function reportService(deps: { db: Db; kv: HotState; clock: Clock; officeTz: string; intake: ReturnType<typeof intakeService> }) {
  const { db, kv, clock } = deps;

  return {
    async submit(draft: Draft, reporter: Reporter): Promise<SubmitResult> {
      const problems = validateDraft(draft);
      if (problems.length > 0) return { status: "invalid", problems };

      const fingerprintKey = `submitted:${await sha256Hex(`${reporter.telegramId}|${draftFingerprint(draft)}`)}`;
      const recent = await kv.get(fingerprintKey);
      if (recent !== null) {
        // The first press may have stored the case and died before routing it: finish that now.
        const earlier = await caseIdByNumber(db, recent);
        if (earlier) await deps.intake.route(earlier.id);
        return { status: "already-submitted", number: recent };
      }

      const now = clock.now();
      const limit = await hitRateLimit(kv, "submit", reporter.telegramId, RATE_RULES.submissions, now);
      if (!limit.allowed) return { status: "rate-limited", retryAfterMs: limit.retryAfterMs };

      const kind = draft.kind ?? "consultation";
      const location = draft.location ?? null;
      const possibleDuplicates =
        kind === "consultation" || draft.sectorId === undefined
          ? []
          : findPossibleDuplicates(
              { sectorId: draft.sectorId, regionId: draft.regionId ?? null, location, description: draft.description ?? "" },
              (await openReportsInSector(db, draft.sectorId, now - DUPLICATE_LOOKBACK_MS)).map((c) => ({
                id: c.id,
                sectorId: c.sectorId,
                regionId: c.regionId,
                location: c.latitude !== null && c.longitude !== null ? { lat: c.latitude, lng: c.longitude } : null,
                description: c.description,
              })),
            );

      const anonymous = draft.anonymous === true;
      const claimCode = anonymous && draft.reward === true ? generateClaimCode() : undefined;
      const stored = await insertReport(db, {
        caseRow: {
          // Per person: another person's draft with the same random id is another report.
          submissionId: `${reporter.telegramId}:${draft.id}`,
          kind,
          sectorId: draft.sectorId,
          regionId: draft.regionId,
          latitude: location?.lat,
          longitude: location?.lng,
          address: draft.address,
          description: draft.description!,
          severity: draft.urgent ? "urgent" : "ordinary",
          anonymous,
          rewardRequested: draft.reward === true,
        },
        counterScope: counterScope(kind, now, deps.officeTz),
        formatNumber: formatCaseNumber,
        reporter: {
          telegramId: reporter.telegramId,
          chatId: reporter.chatId,
          name: anonymous ? null : reporter.displayName,
          phone: anonymous ? null : (draft.phone ?? null),
          claimHash: claimCode ? await hashClaimCode(claimCode) : null,
        },
        media: draft.media,
        possibleDuplicates: possibleDuplicates.map(({ id, ...detail }) => ({ otherCaseId: id, detail })),
        at: now,
      });
      if (stored.created) await kv.set(fingerprintKey, stored.number, RESUBMISSION_WINDOW_MS);
      // Also for a retried submit: if the process died before routing it the first time, the
      // case is still marked for intake, and this finishes it (once; see intake.ts).
      await deps.intake.route(stored.id);
      if (!stored.created) return { status: "already-submitted", number: stored.number };
      return { status: "created", caseId: stored.id, number: stored.number, claimCode };
    },
  };
}

export type ReportService = ReturnType<typeof reportService>;
