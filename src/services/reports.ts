/**
 * Submitting a report or question: the whole-draft check, the guards against floods and
 * double submissions, the possible-duplicate test, and storing the case with its number in
 * one transaction. One use case with several doors (src/domain/doors.ts): the bot's submit
 * button, the web form, Open311, and a dispatcher recording a call, a letter or a work order.
 * The doors differ only in who the reporter is and what a flood is counted by.
 */
import type { Db } from "../../db/client";
import { insertReport, openReportsInSector, repeatedCase, replaceClaimHash } from "../../db/queries/cases";
import { generateClaimCode, hashClaimCode } from "../domain/claim-code";
import { DOORS, type StaffSource } from "../domain/doors";
import { findPossibleDuplicates } from "../domain/duplicates";
import { sha256Hex } from "../domain/hash";
import { counterScope } from "../domain/numbering";
import { type Draft, draftFingerprint, MAX_DESCRIPTION, MAX_MEDIA, MIN_DESCRIPTION, type Problem, validateDraft } from "../domain/report-draft";
import type { Translate } from "../i18n";
import type { Logger } from "../log";
import type { Clock } from "./clock";
import type { HotState } from "./hot-state";
import type { intakeService } from "./intake";
import { hitRateLimit, RATE_RULES, type RateRule } from "./rate-limit";

/** An identical report from the same person within this time is the same report. */
export const RESUBMISSION_WINDOW_MS = 10 * 60_000;
/** How far back the possible-duplicate check looks. */
const DUPLICATE_LOOKBACK_MS = 90 * 24 * 60 * 60_000;

/** Who submits, by door. */
export type Reporter =
  | {
      door: "telegram";
      telegramId: number;
      chatId: number;
      /** The name Telegram shows, kept only for a named report. */
      displayName: string;
    }
  | {
      door: "web";
      /** The client's address, hashed: what floods are counted by (and the phone, when one is given). */
      client: string;
      /** The name typed on the form, kept only for a named report. */
      name?: string;
    }
  | {
      door: "open311";
      /** The partner system's key (api_keys.id): its own flood limit. */
      partnerId: number;
      /** The partner's own number for the request. */
      ref?: string;
      name?: string;
    }
  | {
      door: StaffSource;
      /** The dispatcher who recorded it (members.id): the `submitted` event is theirs. */
      memberId: number;
      /** A 12345 work order's number, a letter's reference. */
      ref?: string;
      /** The caller's name as they gave it, for a named report. */
      name?: string;
    };

/** What the same person's identical report, and a flood, are counted by. */
function subjectOf(reporter: Reporter): string {
  switch (reporter.door) {
    case "telegram":
      return String(reporter.telegramId);
    case "web":
      return `web:${reporter.client}`;
    case "open311":
      return `open311:${reporter.partnerId}`;
    default:
      return `staff:${reporter.memberId}`;
  }
}

/**
 * What a submission is counted against, each with its limit: a person in chat; a web client's
 * address and, when they give one, their phone (a new address does not make a second person
 * of the same phone); a partner system's key. Staff record what reached them, unlimited.
 */
function floodLimits(reporter: Reporter, subject: string, phone: string | undefined): Array<[string, RateRule]> {
  switch (reporter.door) {
    case "telegram":
      return [[subject, RATE_RULES.submissions]];
    case "web":
      return [[subject, RATE_RULES.webSubmissions], ...(phone ? [[`phone:${phone}`, RATE_RULES.submissions] as [string, RateRule]] : [])];
    case "open311":
      return [[subject, RATE_RULES.partnerSubmissions]];
    default:
      return [];
  }
}

/** One problem of a draft in the person's words, as a bulleted line ("• ..."): the chat, the web form and the console say it alike. */
export function problemText(t: Translate, p: Problem): string {
  return t(`problem-${p.code}`, { min: MIN_DESCRIPTION, max: p.code === "media-too-many" ? MAX_MEDIA : MAX_DESCRIPTION });
}

/** Every problem of a draft under the heading that says it cannot be submitted yet. */
export function problemsText(t: Translate, problems: Problem[]): string {
  return [t("problems-title"), ...problems.map((p) => problemText(t, p))].join("\n");
}

export type SubmitResult =
  | { status: "created"; caseId: number; number: string; claimCode?: string }
  /**
   * A repeat of a submission already stored. `claimCode` is a new code for an anonymous
   * reporter who is owed one (see `reissueClaimCode`): the door shows it as it shows a new one.
   */
  | { status: "already-submitted"; number: string; claimCode?: string }
  | { status: "invalid"; problems: Problem[] }
  | { status: "rate-limited"; retryAfterMs: number };

export function reportService(deps: {
  db: Db;
  kv: HotState;
  clock: Clock;
  officeTz: string;
  claimSecret: string;
  intake: ReturnType<typeof intakeService>;
  log?: Logger;
}) {
  const { db, kv, clock } = deps;

  /**
   * A repeat of a submission whose case is already stored, from the same reporter with the
   * same draft: the first attempt stored the case and its code's hash, then failed before its
   * answer got out (the hot state or the database down just after the commit, the request
   * answered 5xx and sent again). Its code was only ever stored as a hash, so unless a new one
   * is given now the reporter never gets one, and can neither claim the reward nor follow the
   * case. A code is a bearer secret, so the new code's hash replaces the old one in one
   * statement: at most one code works, and only the last one shown.
   *
   * How a repeat is known to follow an answer that was not delivered: in chat the draft is
   * dropped by the update that answers the submit, so a press of submit that still finds it is
   * a redelivery of an update that never finished; on the web it is the same page (its token is
   * the draft id) posted again, and from a partner the same request (its ref). A browser's
   * resend of a post that was answered, or a partner's retry after a lost answer, cannot be
   * told apart from a lost first answer, and then the code is re-issued too: the one shown last
   * works, and a code never shown cannot be kept from the reporter. The ledger has no event for
   * this (it would show staff a line about an anonymous reporter), so it is only logged.
   */
  async function reissueClaimCode(draft: Draft, reporter: Reporter, caseId: number): Promise<string | undefined> {
    if (reporter.door !== "telegram" && reporter.door !== "web" && reporter.door !== "open311") return undefined;
    if (draft.anonymous !== true || !(draft.reward === true || DOORS[reporter.door].lookupCode)) return undefined;
    const claimCode = generateClaimCode();
    if (!(await replaceClaimHash(db, caseId, await hashClaimCode(claimCode, deps.claimSecret)))) return undefined;
    deps.log?.info("claim code re-issued for a repeated submission", { caseId, door: reporter.door });
    return claimCode;
  }

  return {
    async submit(draft: Draft, reporter: Reporter): Promise<SubmitResult> {
      const problems = validateDraft(draft);
      if (problems.length > 0) return { status: "invalid", problems };

      const subject = subjectOf(reporter);
      // A partner's own id tells its requests apart: two with the same words and other refs are two reports.
      const partnerRef = reporter.door === "open311" && reporter.ref ? `|ref:${reporter.ref}` : "";
      // Per person: another person's draft with the same random id is another report.
      const submissionId = `${subject}:${draft.id}`;
      const fingerprintKey = `submitted:${await sha256Hex(`${subject}${partnerRef}|${draftFingerprint(draft)}`)}`;
      const recent = await kv.get(fingerprintKey);
      if (recent !== null) {
        // The first press may have stored the case and died before routing it: finish that now.
        const earlier = await repeatedCase(db, recent);
        if (!earlier) return { status: "already-submitted", number: recent };
        deps.intake.routeSoon(earlier.id);
        // The fingerprint is by the words, so it also finds another draft with the same words,
        // whose code was shown: only the same draft (or a partner's request without a ref,
        // which cannot be told apart) is owed a new one.
        const same = earlier.submissionId === submissionId || (reporter.door === "open311" && !reporter.ref);
        const claimCode = same ? await reissueClaimCode(draft, reporter, earlier.id) : undefined;
        return { status: "already-submitted", number: recent, ...(claimCode ? { claimCode } : {}) };
      }

      const now = clock.now();
      for (const [counted, rule] of floodLimits(reporter, subject, draft.phone)) {
        const limit = await hitRateLimit(kv, "submit", counted, rule, now);
        if (!limit.allowed) return { status: "rate-limited", retryAfterMs: limit.retryAfterMs };
      }

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
      const door = DOORS[reporter.door];
      const claimCode = anonymous && (draft.reward === true || door.lookupCode) ? generateClaimCode() : undefined;
      const telegram = reporter.door === "telegram" ? reporter : null;
      const name = telegram ? telegram.displayName : "name" in reporter ? reporter.name : undefined;
      const stored = await insertReport(db, {
        caseRow: {
          submissionId,
          kind,
          source: reporter.door,
          sourceRef: "ref" in reporter ? reporter.ref : undefined,
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
        reporter: {
          telegramId: telegram?.telegramId ?? null,
          chatId: telegram?.chatId ?? null,
          name: anonymous ? null : (name ?? null),
          phone: anonymous ? null : (draft.phone ?? null),
          claimHash: claimCode ? await hashClaimCode(claimCode, deps.claimSecret) : null,
        },
        media: draft.media,
        possibleDuplicates: possibleDuplicates.map(({ id, ...detail }) => ({ otherCaseId: id, detail })),
        by: "memberId" in reporter ? { kind: "member", memberId: reporter.memberId } : { kind: "citizen" },
        at: now,
      });
      if (stored.created) await kv.set(fingerprintKey, stored.number, RESUBMISSION_WINDOW_MS);
      // After the answer (intake.ts). Also for a retried submit: if the process died before
      // routing it the first time, the case is still marked for intake, and this finishes it
      // (once).
      deps.intake.routeSoon(stored.id);
      if (!stored.created) {
        // The same draft's case, stored by an attempt that failed before its fingerprint and answer.
        const again = await reissueClaimCode(draft, reporter, stored.id);
        return { status: "already-submitted", number: stored.number, ...(again ? { claimCode: again } : {}) };
      }
      return { status: "created", caseId: stored.id, number: stored.number, claimCode };
    },
  };
}

export type ReportService = ReturnType<typeof reportService>;
