/**
 * The console's new-case form: a dispatcher or admin records a case that reached the office
 * another way, as the chat's /new does, in one form. The form is read into the same intake
 * draft (src/domain/report-draft.ts) and submitted through the same intake service, so the
 * whole-draft check, routing and cards are the chat's. Who may is the command catalog's rule
 * for /new. The HTTP layer is src/console/api.ts.
 */
import type { IntakeFormResponse, IntakeRequest, IntakeResponse, Viewer } from "../console/contract";
import { mayUse } from "../domain/commands";
import { DOORS, parseReference, STAFF_SOURCES } from "../domain/doors";
import { type Locale, localName } from "../domain/locale";
import { cleanText, type Draft, MAX_ADDRESS, MAX_NAME, newDraft, parsePhone } from "../domain/report-draft";
import { translator } from "../i18n";
import type { Clock } from "./clock";
import type { DirectoryService } from "./directory";
import { problemsText, type ReportService } from "./reports";

export type IntakeAnswer = { status: 200 | 422; body: IntakeResponse } | { status: 403; body: { ok: false; error: string } };

/** Whether this person may record a case for a caller: the rule of /new. */
export const mayRecord = (viewer: Pick<Viewer, "roles">) => mayUse("new", viewer.roles);

/**
 * The intake draft a posted form makes. A sector or town the office does not have, a reference
 * or phone that is not one, is as if not given: the whole-draft check then names what is missing.
 */
export function intakeDraftOf(req: IntakeRequest, known: { sectorIds: ReadonlySet<string>; townIds: ReadonlySet<string> }, now: number): Draft {
  const named = !req.anonymous;
  return {
    ...newDraft("intake", req.submission, now),
    step: "summary",
    source: req.source,
    reference: req.reference === undefined ? undefined : (parseReference(req.reference) ?? undefined),
    kind: req.kind,
    sectorId: known.sectorIds.has(req.sectorId) ? req.sectorId : undefined,
    regionId: req.regionId !== undefined && known.townIds.has(req.regionId) ? req.regionId : undefined,
    address: cleanText(req.address, MAX_ADDRESS),
    description: req.description.trim(),
    urgent: req.urgent,
    anonymous: req.anonymous,
    name: named ? cleanText(req.name, MAX_NAME) : undefined,
    phone: named && req.phone !== undefined ? (parsePhone(req.phone) ?? undefined) : undefined,
    reward: req.source === "superior" ? false : req.reward,
  };
}

export function consoleIntakeService(deps: { clock: Clock; directory: DirectoryService; reports: ReportService }) {
  const { directory } = deps;
  return {
    async form(locale: Locale): Promise<IntakeFormResponse> {
      const t = translator(locale);
      const [sectors, towns] = await Promise.all([directory.sectors(), directory.towns()]);
      return {
        sources: STAFF_SOURCES.map((id) => ({ id, name: t(`source-${id}`), reference: DOORS[id].reference })),
        sectors: sectors.map((s) => ({ id: s.id, name: localName(locale, s) })),
        towns: towns.map((r) => ({ id: r.id, name: localName(locale, r) })),
      };
    },

    async record(viewer: Viewer, req: IntakeRequest): Promise<IntakeAnswer> {
      if (!mayRecord(viewer)) return { status: 403, body: { ok: false, error: "only dispatchers and admins record cases" } };
      const [sectors, towns] = await Promise.all([directory.sectors(), directory.towns()]);
      const draft = intakeDraftOf(req, { sectorIds: new Set(sectors.map((s) => s.id)), townIds: new Set(towns.map((r) => r.id)) }, deps.clock.now());
      const result = await deps.reports.submit(draft, { door: req.source, memberId: viewer.memberId, ref: draft.reference, name: draft.name });
      switch (result.status) {
        case "created":
          return { status: 200, body: { ok: true, caseId: result.caseId, number: result.number, claimCode: result.claimCode } };
        case "already-submitted":
          return { status: 200, body: { ok: true, number: result.number } };
        case "invalid": {
          const t = translator(viewer.locale);
          const problems = result.problems.map((p) => ({ code: p.code, field: p.step }));
          const message = problemsText(t, result.problems);
          return { status: 422, body: { ok: false, code: "INVALID", problems, message } };
        }
        case "rate-limited":
          // Staff doors are not limited; should one ever be, the form says so as it would any refusal.
          return { status: 422, body: { ok: false, code: "INVALID", problems: [], message: "rate limited" } };
      }
    },
  };
}

export type ConsoleIntakeService = ReturnType<typeof consoleIntakeService>;
