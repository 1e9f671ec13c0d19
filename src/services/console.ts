/**
 * The office's console, as use cases over the database: the lists, the map, a case with its
 * ledger, files and the actions this person may take, an action taken, the leaders'
 * dashboard. Who sees what is decided here, on the server, by the same rules as the chat:
 * an office-wide role (dispatcher, leader, admin) sees every case; a liaison the cases of
 * their units, as owner or as a transfer's target. An action is the chat button's own
 * service call (caseActions.perform), built by the same rule (wordsAction), so it makes the
 * same checks, events and messages. The HTTP layer is src/console/api.ts.
 */
import type { Db } from "../../db/client";
import { ledgerOf } from "../../db/queries/case-events";
import {
  archivedFileOfCase,
  type CaseQuery,
  caseSummary,
  casesWithWords,
  dailyTrend,
  duplicateSummaries,
  filesOfCase,
  filterCounts,
  listCases,
  mapCases,
  type SummaryRow,
} from "../../db/queries/console";
import { listRegions, listSectors } from "../../db/queries/directory";
import {
  type AreaFilter,
  casesHandedOver,
  casesReceived,
  countClosed,
  countOpen,
  countOverdue,
  newlyOverdue,
  overdueByUnit,
  reportRegions,
  reportUnits,
} from "../../db/queries/reports";
import { findUnit, listUnits } from "../../db/queries/staff";
import { caseRow } from "../../db/queries/staff-cases";
import {
  type ActionRequest,
  type CaseDetailResponse,
  type CaseFilter,
  type CaseListResponse,
  type CaseSummary,
  type ConsoleAction,
  type DashboardPeriod,
  type DashboardResponse,
  type DirectoryResponse,
  type EvidenceFile,
  type FormField,
  MAP_LIMIT,
  type MapResponse,
  PAGE_SIZE,
  SEARCH_LIMIT,
  seesWholeOffice,
  type TimelineStep,
  type Viewer,
} from "../console/contract";
import type { OfficeCalendar } from "../domain/calendar";
import { addDays } from "../domain/calendar";
import { CARD_BUTTONS, type CardCode, cardCodes, isAskCode } from "../domain/case-buttons";
import { isFutureDate, wordsAction } from "../domain/case-input";
import { parseRegionArea } from "../domain/geo";
import { type Locale, localName } from "../domain/locale";
import { contentTypeOf } from "../domain/media";
import { parseCaseNumber } from "../domain/numbering";
import { parseOfficeDate, zonedTime } from "../domain/office-time";
import type { MediaItem } from "../domain/report-draft";
import {
  MIN_RANKED_CASES,
  officeDateOf,
  officeDay,
  periodRange,
  type Range,
  rankUnits,
  regionAndBelow,
  statsFigures,
  type UnitFigures,
} from "../domain/reports";
import { type Action, isOpen, needsEvidence } from "../domain/workflow";
import { type Translate, translator } from "../i18n";
import type { ArchiveService } from "./archive";
import type { CaseActionService } from "./case-actions";
import { refusalText, renderCard, toState, wordsOf } from "./case-cards";
import type { Clock } from "./clock";
import type { StaffService } from "./staff";

/** A list's filters as the HTTP layer read them (checked: known values, real dates). */
export type ListFilter = Omit<CaseFilter, "page"> & { page: number };

/** Why a request about one case is not answered: it does not exist, or this person may not see it. */
export type CaseProblem = "not-found" | "forbidden";

/** What an action request comes to: its HTTP status and body. */
export type ActionAnswer =
  | { status: 200; body: { ok: true; version: number } }
  | { status: 400 | 403 | 404 | 409 | 422; body: { ok: false; code: string; message: string } };

/** The units whose cases this person sees; null: all of them. */
const visibleUnits = (viewer: Viewer): string[] | null => (seesWholeOffice(viewer) ? null : viewer.unitIds);

/** Whether this person may see the case: the same rule the lists apply in SQL (ofUnits). */
export function maySee(viewer: Viewer, row: { unitId: string | null; pendingTransfer: { toUnitId: string } | null }): boolean {
  const units = visibleUnits(viewer);
  return (
    units === null ||
    (row.unitId !== null && units.includes(row.unitId)) ||
    (row.pendingTransfer !== null && units.includes(row.pendingTransfer.toUnitId))
  );
}

export function toSummary(row: SummaryRow, now: number): CaseSummary {
  const { supervision, ...rest } = row;
  return { ...rest, overdue: isOpen(row.status) && row.dueAt !== null && row.dueAt < now, supervised: supervision === "listed" };
}

/** Office dates (YYYY-MM-DD), from one's start to the day after the other's: the creation range a list's from/to mean. */
function createdRange(filter: Pick<CaseFilter, "from" | "to">, tz: string): Partial<Range> {
  return {
    ...(filter.from ? { from: officeDay(filter.from, tz).from } : {}),
    ...(filter.to ? { to: officeDay(filter.to, tz).to } : {}),
  };
}

/** The form fields of a card button, in the order the chat asks for them. */
function formOf(code: CardCode): { field: WordField; prompt: string }[] {
  const next = CARD_BUTTONS[code].next;
  switch (next.does) {
    case "act":
      return [];
    case "choose-severity":
      return [{ field: "severity", prompt: "ask-severity" }];
    case "choose-unit":
      return next.chosen === "au"
        ? [
            { field: "unit", prompt: next.prompt },
            { field: "member", prompt: "ask-assign-liaison" },
          ]
        : [
            { field: "unit", prompt: next.prompt },
            { field: "text", prompt: "ask-transfer-reason" },
          ];
    case "ask":
      if (code === "dup") return [{ field: "case-number", prompt: next.prompt }];
      switch (next.step) {
        case "text":
          return [{ field: "text", prompt: next.prompt }];
        case "date":
          return code === "ext"
            ? [
                { field: "date", prompt: next.prompt },
                { field: "text", prompt: "ask-extension-reason" },
              ]
            : [{ field: "date", prompt: next.prompt }];
        case "measures":
          return [
            { field: "measures", prompt: next.prompt },
            { field: "responsible", prompt: "ask-responsible" },
          ];
      }
  }
}

/** The fields typed into the request; photos come as the post's files. */
type WordField = Exclude<FormField, "photos">;

const FIELD_KEY: Record<WordField, keyof ActionRequest> = {
  text: "text",
  date: "date",
  unit: "unitId",
  member: "memberId",
  severity: "severity",
  measures: "measures",
  responsible: "responsible",
  "case-number": "caseNumber",
};

/** Why a form does not make an action: a field it needs is missing (400), or what was typed is not a date after today or no case's number (422, in the chat's words). */
type FormProblem = "incomplete" | "bad-date" | "unknown-case";

/** Refusals that say the person may not do this at all, rather than that the case or the input is wrong. */
const FORBIDDEN = new Set(["CASE.NOT_ALLOWED", "CASE.NOT_YOUR_UNIT"]);

export function consoleService(deps: {
  db: Db;
  clock: Clock;
  officeTz: string;
  caseActions: CaseActionService;
  staff: StaffService;
  archive: Pick<ArchiveService, "read">;
  calendar: () => Promise<OfficeCalendar>;
}) {
  const { db, clock, officeTz } = deps;

  async function regionIdsOf(regionId: string | undefined): Promise<string[] | undefined> {
    if (regionId === undefined) return undefined;
    return regionAndBelow(await reportRegions(db), regionId);
  }

  async function caseQuery(viewer: Viewer, filter: Omit<CaseFilter, "sort" | "page">, now: number): Promise<CaseQuery> {
    const q = filter.q?.trim() ?? "";
    const number = q === "" ? null : parseCaseNumber(q);
    return {
      visibleUnits: visibleUnits(viewer),
      ownUnits: viewer.unitIds,
      view: filter.view,
      status: filter.status,
      kind: filter.kind,
      sector: filter.sector,
      regionIds: await regionIdsOf(filter.region),
      unit: filter.unit,
      created: createdRange(filter, officeTz),
      overdue: filter.overdue,
      supervised: filter.supervised,
      ...(number !== null
        ? { number }
        : q !== ""
          ? { ids: await casesWithWords(db, q.split(/\s+/).slice(0, 8), visibleUnits(viewer), SEARCH_LIMIT) }
          : {}),
      now,
    };
  }

  /** A case this person may look at, or why not: 404 for none, 403 for one they may not see. */
  async function visibleCase(viewer: Viewer, caseId: number) {
    const row = await caseRow(db, caseId);
    if (row === null) return "not-found" as const;
    if (!maySee(viewer, row)) return "forbidden" as const;
    return row;
  }

  function actionsFor(t: Translate, codes: CardCode[], kind: Parameters<typeof needsEvidence>[0]): ConsoleAction[] {
    return codes.map((code) => {
      const button = CARD_BUTTONS[code];
      const fields: ConsoleAction["fields"] = formOf(code).map((f) => ({ field: f.field, prompt: t(f.prompt), required: f.field !== "member" }));
      // The photos a resolution must carry (a hazard's), or may (a progress note, another resolution), as in chat.
      if (code === "res")
        fields.push({ field: "photos", prompt: t(needsEvidence(kind) ? "ask-evidence" : "ask-evidence-optional"), required: needsEvidence(kind) });
      if (code === "pg") fields.push({ field: "photos", prompt: t("console-form-photos"), required: false });
      return { code, action: button.action, label: t(button.label), fields };
    });
  }

  /** The action a form asks for, built as the chat builds it, or the answer that refuses the form. */
  async function formAction(
    code: CardCode,
    req: ActionRequest,
    files: number,
  ): Promise<{ ok: true; action: Action } | { ok: false; problem: FormProblem; detail?: string }> {
    const bad = (detail: string) => ({ ok: false as const, problem: "incomplete" as const, detail });
    const fields = formOf(code);
    const missing = fields.filter((f) => f.field !== "member" && req[FIELD_KEY[f.field]] === undefined).map((f) => FIELD_KEY[f.field]);
    if (missing.length > 0) return bad(`the action ${code} needs ${missing.join(", ")}`);
    const next = CARD_BUTTONS[code].next;
    switch (next.does) {
      case "act":
        return { ok: true, action: next.action };
      case "choose-severity":
        return { ok: true, action: { type: "set_severity", severity: req.severity! } };
      case "choose-unit":
        return next.chosen === "au"
          ? { ok: true, action: { type: "assign", unitId: req.unitId!, assigneeId: req.memberId ?? null } }
          : { ok: true, action: wordsAction("tu", { text: req.text, toUnitId: req.unitId, files: 0 }) };
      case "ask": {
        if (code === "dup") {
          const number = parseCaseNumber(req.caseNumber!);
          const other = number ? await deps.caseActions.byNumber(number) : null;
          if (!other) return { ok: false, problem: "unknown-case" };
          return { ok: true, action: { type: "mark_duplicate", ofCaseId: other.id, ofCaseOpen: isOpen(other.status) } };
        }
        if (code === "dl" || code === "ext") {
          const { timeZone, workHours } = await deps.calendar();
          const date = parseOfficeDate(req.date!, timeZone, workHours.end);
          if (!isFutureDate(date, clock.now())) return { ok: false, problem: "bad-date" };
          return { ok: true, action: wordsAction(code, { text: req.text, date, files: 0 }) };
        }
        if (!isAskCode(code)) return bad(`unknown action ${code}`);
        return { ok: true, action: wordsAction(code, { text: req.text, measures: req.measures, responsible: req.responsible, files }) };
      }
    }
  }

  return {
    /** What the filters and forms offer: sectors, regions with their areas (those without one are left off the map), units. */
    async directory(locale: Locale): Promise<DirectoryResponse> {
      const [sectors, regions, units] = await Promise.all([listSectors(db), listRegions(db), listUnits(db)]);
      return {
        sectors: sectors.map((s) => ({ id: s.id, name: localName(locale, s) })),
        regions: regions.flatMap((r) => {
          const area = parseRegionArea(r.area);
          return area === null ? [] : [{ id: r.id, name: localName(locale, r), parentId: r.parentId, level: r.level, area }];
        }),
        units: units.map((u) => ({ id: u.id, name: localName(locale, u) })),
      };
    },

    async list(viewer: Viewer, filter: ListFilter): Promise<CaseListResponse> {
      const now = clock.now();
      const q = await caseQuery(viewer, filter, now);
      const page = Math.max(1, filter.page);
      const [{ items, total }, counts] = await Promise.all([
        listCases(db, q, { sort: filter.sort ?? "due", offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }),
        filterCounts(db, q),
      ]);
      const searchCapped = q.ids !== undefined && q.ids.length >= SEARCH_LIMIT;
      return { items: items.map((r) => toSummary(r, now)), total, page, pageSize: PAGE_SIZE, counts, ...(searchCapped ? { searchCapped } : {}) };
    },

    async map(viewer: Viewer, filter: Omit<CaseFilter, "sort" | "page">): Promise<MapResponse> {
      const now = clock.now();
      const { markers, total } = await mapCases(db, await caseQuery(viewer, filter, now), MAP_LIMIT);
      return { markers: markers.map((r) => toSummary(r, now)), total };
    },

    /** The case as this person may see it, with a signed link for each archived file. */
    async detail(
      viewer: Viewer,
      caseId: number,
      fileUrl: (fileUniqueId: string) => Promise<string>,
    ): Promise<{ ok: true; body: CaseDetailResponse } | { ok: false; problem: CaseProblem }> {
      const row = await visibleCase(viewer, caseId);
      if (typeof row === "string") return { ok: false, problem: row };
      const now = clock.now();
      const t = translator(viewer.locale);
      const [data, summary, ledger, files, duplicates, actor] = await Promise.all([
        deps.caseActions.card(caseId),
        caseSummary(db, caseId),
        ledgerOf(db, caseId),
        filesOfCase(db, caseId),
        duplicateSummaries(db, caseId, visibleUnits(viewer)),
        deps.staff.actor(viewer.telegramId, row.unitId),
      ]);
      if (!data || !summary) return { ok: false, problem: "not-found" };
      const timeline: TimelineStep[] = ledger.map((e) => ({
        at: e.at,
        action: e.event?.action ?? "other",
        label: t(e.event ? `event-${e.event.action}` : "event-other"),
        by: e.actorKind === "member" ? (e.memberName ?? "") : e.actorKind === "system" ? t("actor-system") : t("console-by-citizen"),
        text: (e.event && wordsOf(t, e.event)) ?? "",
      }));
      const evidence: EvidenceFile[] = await Promise.all(
        files.map(async (f) => ({ kind: f.kind, step: f.step, at: f.at, url: f.status === "archived" ? await fileUrl(f.fileUniqueId) : null })),
      );
      const codes = actor ? cardCodes(toState(data.row, data.duplicates), actor) : [];
      const name = (r: { nameZh: string; nameEn: string } | null) => (r ? localName(viewer.locale, r) : null);
      return {
        ok: true,
        body: {
          case: {
            ...toSummary(summary, now),
            version: data.row.version,
            description: data.row.description,
            address: data.row.address,
            unitName: name(data.unit),
            sectorName: name(data.sector),
            regionName: name(data.region),
          },
          card: renderCard(t, viewer.locale, officeTz, data, "card-header-current"),
          timeline,
          files: evidence,
          duplicates: duplicates.map((d) => toSummary(d, now)),
          actions: actionsFor(t, codes, data.row.kind),
        },
      };
    },

    /** The bytes of one of the case's archived files, for a person who may see the case now. */
    async file(viewer: Viewer, caseId: number, fileUniqueId: string) {
      const row = await visibleCase(viewer, caseId);
      if (typeof row === "string") return row;
      const file = await archivedFileOfCase(db, caseId, fileUniqueId);
      const bytes = file ? await deps.archive.read(file.sha256) : null;
      if (!file || !bytes) return "not-found" as const;
      return { bytes, contentType: contentTypeOf(file.ext) ?? "application/octet-stream" };
    },

    /** An action from the console's form: the chat button's own service call, answered as the contract says. */
    async act(viewer: Viewer, caseId: number, req: ActionRequest, media: MediaItem[] = []): Promise<ActionAnswer> {
      const t = translator(viewer.locale);
      const refuse = (status: 403 | 404 | 409 | 422, code: string, message: string): ActionAnswer => ({ status, body: { ok: false, code, message } });
      const row = await visibleCase(viewer, caseId);
      if (row === "not-found") return refuse(404, "CASE.NOT_FOUND", refusalText(t, { code: "CASE.NOT_FOUND" }));
      if (row === "forbidden") return refuse(403, "CASE.NOT_ALLOWED", refusalText(t, { code: "CASE.NOT_ALLOWED" }));
      if (!Object.hasOwn(CARD_BUTTONS, req.code))
        return { status: 400, body: { ok: false, code: "BAD_REQUEST", message: `unknown action ${req.code}` } };
      const code = req.code as CardCode;
      // As a member of the unit the action concerns: the transfer's target for its answers (as the chat's press does).
      const forTarget = code === "tra" || code === "trr";
      const actor = await deps.staff.actor(viewer.telegramId, forTarget ? row.pendingTransfer?.toUnitId : row.unitId);
      if (!actor) return refuse(403, "CASE.NOT_ALLOWED", refusalText(t, { code: "CASE.NOT_ALLOWED" }));
      const built = await formAction(code, req, media.length);
      if (!built.ok) {
        if (built.problem === "bad-date") return refuse(422, "INPUT.BAD_DATE", t("input-bad-date"));
        if (built.problem === "unknown-case") return refuse(422, "INPUT.UNKNOWN_CASE", t("input-unknown-case"));
        return { status: 400, body: { ok: false, code: "BAD_REQUEST", message: built.detail ?? "incomplete form" } };
      }
      const outcome = await deps.caseActions.perform(caseId, built.action, actor, req.version, media);
      if (outcome.ok) return { status: 200, body: { ok: true, version: outcome.version } };
      const status = outcome.code === "CASE.STALE" ? 409 : FORBIDDEN.has(outcome.code) ? 403 : outcome.code === "CASE.NOT_FOUND" ? 404 : 422;
      return refuse(status, outcome.code, refusalText(t, outcome));
    },

    /** A unit's active liaisons, for the assign form; null when there is no such unit. */
    async liaisons(unitId: string) {
      if ((await findUnit(db, unitId)) === null) return null;
      const people = await deps.caseActions.liaisonsOf(unitId);
      return people.map((m) => ({ memberId: m.id, name: m.name }));
    },

    /** The leaders' dashboard for the current week, month or year, in a region if asked. */
    async dashboard(viewer: Viewer, kind: DashboardPeriod, regionId: string | null): Promise<DashboardResponse> {
      const now = clock.now();
      const range = dashboardRange(kind, now, officeTz);
      const regionIds = regionId === null ? null : ((await regionIdsOf(regionId)) ?? null);
      const area: AreaFilter = regionIds === null ? null : { regionIds };
      const days = daysOf(range, now, officeTz);
      const supervisedQuery: CaseQuery = { visibleUnits: null, ownUnits: [], view: "supervised", regionIds: regionIds ?? undefined, now };
      const [received, closed, openNow, overdueNow, missed, trend, units, handed, overdue, listed] = await Promise.all([
        casesReceived(db, range, area),
        countClosed(db, range, area),
        countOpen(db, area),
        countOverdue(db, now, area),
        newlyOverdue(db, range),
        dailyTrend(db, days, regionIds),
        reportUnits(db),
        casesHandedOver(db, range),
        overdueByUnit(db, now),
        listCases(db, supervisedQuery, { sort: "due", offset: 0, limit: PAGE_SIZE }),
      ]);
      const stats = statsFigures({ received, closed, openNow, overdueNow }, now);
      const ranking = rankUnits(
        { unitIds: units.filter((u) => u.kind !== "office").map((u) => u.id), cases: handed, overdue },
        { now, minCases: MIN_RANKED_CASES },
      );
      const unitName = (id: string) => {
        const u = units.find((x) => x.id === id);
        return u ? localName(viewer.locale, u) : id;
      };
      const last = officeDateOf(Math.min(now, range.to - 1), officeTz);
      return {
        period: { kind, from: range.from, to: range.to, first: officeDateOf(range.from, officeTz), last },
        regionId,
        figures: {
          received: stats.receivedAll,
          byKind: stats.byKind,
          closed: stats.closed,
          openNow: stats.openNow,
          overdueNow: stats.overdueNow,
          newlyOverdue: missed,
          supervisedOpen: listed.total,
          acceptedOnTime: stats.acceptedOnTime.rate,
          resolvedOnTime: stats.resolvedOnTime.rate,
          avgHandlingHours: stats.avgHandlingHours,
          satisfaction: stats.satisfaction.mean,
          reopened: stats.reopened,
        },
        trend: days.map((d, i) => ({ date: d.date, opened: trend[i]?.opened ?? 0, closed: trend[i]?.closed ?? 0 })),
        ranking: [
          ...ranking.ranked.map((u) => ({ ...rankingRow(u), name: unitName(u.unitId), rank: u.rank, list: u.list })),
          ...ranking.unranked.map((u) => ({ ...rankingRow(u), name: unitName(u.unitId), rank: null, list: null })),
        ],
        supervised: listed.items.map((r) => toSummary(r, now)),
      };
    },
  };
}

function rankingRow(u: UnitFigures) {
  return {
    unitId: u.unitId,
    received: u.received,
    acceptedOnTime: u.acceptedOnTime.rate,
    resolvedOnTime: u.resolvedOnTime.rate,
    overdueNow: u.overdueNow,
    reopened: u.reopened,
  };
}

/** The current week or month as /ranking reads it, or the current calendar year, in office time. */
export function dashboardRange(kind: DashboardPeriod, now: number, tz: string): Range {
  if (kind !== "year") return periodRange(kind, now, tz, "current");
  const year = Number(officeDateOf(now, tz).slice(0, 4));
  return { from: zonedTime(year, 1, 1, 0, 0, tz), to: zonedTime(year + 1, 1, 1, 0, 0, tz) };
}

/** The office days of the range up to today's. */
function daysOf(range: Range, now: number, tz: string) {
  const last = officeDateOf(Math.min(now, range.to - 1), tz);
  const days = [];
  for (let date = officeDateOf(range.from, tz); date <= last; date = addDays(date, 1)) days.push(officeDay(date, tz));
  return days;
}

export type ConsoleService = ReturnType<typeof consoleService>;
