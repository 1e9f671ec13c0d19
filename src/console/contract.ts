/**
 * The console's JSON API, one place: every route the page calls, and the shapes it answers
 * with. The server (api.ts), the page (page/console.js, by these names) and the tests read it.
 *
 * Everything under /console/api/ needs credentials, checked before routing (auth.ts): a Mini
 * App's launch data as `Authorization: tma <initData>`, or the session cookie a desktop login
 * link sets. No credentials, or bad ones: 401. A person who is no active staff member: 403.
 * What a member sees past that is decided per case by the same rules as the chat's buttons.
 */
import type { StaffSource } from "../domain/doors";
import type { RegionArea } from "../domain/geo";
import type { Locale } from "../domain/locale";
import type { ActionType, CaseKind, CaseStatus, Role, Severity } from "../domain/workflow";

/** Who is asking, once authenticated: a staff member, as the workflow sees them. */
export interface Viewer {
  telegramId: number;
  /** The first membership's id, recorded on what they do. */
  memberId: number;
  name: string;
  locale: Locale;
  roles: Role[];
  unitIds: string[];
}

/** Whether the viewer sees the whole office (dispatchers, leaders, admins) or only their units' cases (liaisons). */
export const OFFICE_WIDE_ROLES: readonly Role[] = ["dispatcher", "leader", "admin"];
export const seesWholeOffice = (viewer: Pick<Viewer, "roles">) => viewer.roles.some((r) => OFFICE_WIDE_ROLES.includes(r));

export const CONSOLE_API = "/console/api";

/** The session cookie a desktop login sets: HttpOnly, Secure, SameSite=Strict. */
export const SESSION_COOKIE = "hazardline_console";
/** POST: ends the session the cookie names and clears the cookie; answers `{ ok: true }`. */
export const LOGOUT = `${CONSOLE_API}/logout`;

/** GET /console/api/me */
export interface MeResponse {
  name: string;
  locale: Locale;
  roles: Role[];
  units: { id: string; name: string }[];
  /** The office's time zone (OFFICE_TZ, an IANA name): the page shows every time in it, wherever the browser is. */
  officeTz: string;
}

/** One case in a list or on the map. Never the reporter: a list is read by liaisons too. */
export interface CaseSummary {
  id: number;
  number: string;
  kind: CaseKind;
  status: CaseStatus;
  severity: Severity;
  sectorId: string | null;
  regionId: string | null;
  unitId: string | null;
  createdAt: number;
  dueAt: number | null;
  overdue: boolean;
  supervised: boolean;
  /** The first words of the description. */
  summary: string;
  lat: number | null;
  lon: number | null;
}

/** The lists a person starts from; each is a set of filters, narrowed further by the rest. */
export const CASE_VIEWS = ["queue", "mine", "supervised", "overdue", "open", "all"] as const;
export type CaseView = (typeof CASE_VIEWS)[number];
export const CASE_SORTS = ["due", "age"] as const;
export type CaseSort = (typeof CASE_SORTS)[number];
export const PAGE_SIZE = 50;
/** A word search looks at the newest this many matching cases: words common enough to match more say little, and a scan that stops early stays fast. */
export const SEARCH_LIMIT = 1000;

/**
 * GET /console/api/cases and /console/api/map take these as query parameters (all optional):
 * view, status, kind, sector, region, unit, from and to (YYYY-MM-DD, office time, on the
 * creation date), overdue=1, supervised=1, q (a tracking number or words of the description),
 * sort, page (from 1).
 */
export interface CaseFilter {
  view?: CaseView;
  status?: CaseStatus;
  kind?: CaseKind;
  sector?: string;
  region?: string;
  unit?: string;
  from?: string;
  to?: string;
  overdue?: boolean;
  supervised?: boolean;
  q?: string;
  sort?: CaseSort;
  page?: number;
}

/** How many cases each value of a filter would leave, the other filters applied: the number beside each choice. */
export interface FilterCounts {
  status: Record<string, number>;
  kind: Record<string, number>;
  sector: Record<string, number>;
  region: Record<string, number>;
  unit: Record<string, number>;
  overdue: number;
  supervised: number;
}

/** GET /console/api/cases */
export interface CaseListResponse {
  items: CaseSummary[];
  total: number;
  page: number;
  pageSize: number;
  counts: FilterCounts;
  /** Set when a word search matched more than SEARCH_LIMIT cases: only the newest of them are here. */
  searchCapped?: boolean;
}

/** One named thing of the directory, in the viewer's language. */
export interface Named {
  id: string;
  name: string;
}

/** A region and its area as the directory file draws it (a polygon or a circle): the map is drawn from these, no tiles. */
export interface RegionShape extends Named {
  parentId: string | null;
  level: string;
  area: RegionArea;
}

/** GET /console/api/directory: what the filters and forms offer. */
export interface DirectoryResponse {
  sectors: Named[];
  regions: RegionShape[];
  units: Named[];
}

/** GET /console/api/map: the filtered open cases that have a place (at most MAP_LIMIT, the most urgent first). */
export interface MapResponse {
  markers: CaseSummary[];
  /** How many matched, when more than the markers shown. */
  total: number;
}
export const MAP_LIMIT = 2000;

/** What a form field of an action asks for: the same words the chat asks after the button. */
export type FormField = "text" | "date" | "unit" | "member" | "severity" | "measures" | "responsible" | "case-number" | "photos";

/**
 * An action with photos (a resolution's evidence, a progress note's pictures) is posted as
 * multipart/form-data: the ActionRequest as JSON in this field, each picture in PHOTOS_FIELD.
 */
export const REQUEST_FIELD = "request";
export const PHOTOS_FIELD = "photos";
/** The most one action's post may carry: ten photos as a phone takes them. */
export const MAX_ACTION_BYTES = 40 * 1024 * 1024;

/** An action the viewer may take on the case now: a card button of the action catalog (src/domain/case-buttons.ts). */
export interface ConsoleAction {
  /** The card button's code (CARD_BUTTONS), e.g. "acc", "as", "rej". */
  code: string;
  action: ActionType;
  label: string;
  /** The field's prompt (a locale text) for each field the form has, in order; none: the action is taken at once. */
  fields: { field: FormField; prompt: string; required: boolean }[];
}

/** One step of the case's ledger, as staff see it. */
export interface TimelineStep {
  at: number;
  /** The event's type (src/domain/workflow.ts EVENT_TYPES), or "other" for a row this version cannot read. */
  action: string;
  /** The event as staff read it, in the viewer's language. */
  label: string;
  /** Who did it: a member's name, "system", or the reporter (never named). */
  by: string;
  text: string;
}

/** A file of the case: a short-lived signed URL into the office's archive, or null while it is not archived yet. */
export interface EvidenceFile {
  kind: string;
  url: string | null;
  /** The event the file came with (submitted, progress, resolved, reporter_replied, material_added). */
  step: string;
  at: number;
}

/** How long a signed file URL (GET /console/api/files/<token>) stays good. */
export const FILE_URL_TTL_MS = 10 * 60_000;

/** GET /console/api/cases/:id */
export interface CaseDetailResponse {
  case: CaseSummary & {
    version: number;
    description: string;
    address: string | null;
    unitName: string | null;
    sectorName: string | null;
    regionName: string | null;
  };
  /** The card as chat shows it, in the viewer's language. */
  card: string;
  timeline: TimelineStep[];
  files: EvidenceFile[];
  duplicates: CaseSummary[];
  actions: ConsoleAction[];
}

/**
 * POST /console/api/cases/:id/actions: one action, with the version the viewer saw and the
 * form's fields. Answers 200 `{ ok: true, version }`, or 409/422 `{ ok: false, code, message }`
 * with the workflow's refusal code and its text.
 */
export interface ActionRequest {
  code: string;
  version: number;
  text?: string;
  /** YYYY-MM-DD, read as the office's close of that day. */
  date?: string;
  unitId?: string;
  memberId?: number;
  severity?: Severity;
  measures?: string;
  responsible?: string;
  caseNumber?: string;
}

export type ActionResponse = { ok: true; version: number } | { ok: false; code: string; message: string };

/** GET /console/api/units/:id/liaisons: whom the assign form offers, besides the whole unit. */
export interface LiaisonsResponse {
  liaisons: { memberId: number; name: string }[];
}

/** GET /console/api/dashboard?period=week|month|year&region=: the digest's figures, the trend, the ranking, the listed cases. */
export const DASHBOARD_PERIODS = ["week", "month", "year"] as const;
export type DashboardPeriod = (typeof DASHBOARD_PERIODS)[number];

/** GET /console/api/dashboard: leaders, dispatchers and admins (a liaison gets 403). */
export interface DashboardResponse {
  /** The current week, month or year in office time, [from, to), and its first and last office dates so far. */
  period: { kind: DashboardPeriod; from: number; to: number; first: string; last: string };
  /** The region asked for (with those under it), or null for the whole county. */
  regionId: string | null;
  /** The digest's and /stats' figures for the period (in the region): rates from 0 to 1, null when nothing is judged yet. */
  figures: {
    received: number;
    byKind: Record<CaseKind, number>;
    closed: number;
    openNow: number;
    overdueNow: number;
    /** Deadlines that passed in the period unmet (the overdue notices sent; the whole county). */
    newlyOverdue: number;
    supervisedOpen: number;
    acceptedOnTime: number | null;
    resolvedOnTime: number | null;
    avgHandlingHours: number | null;
    satisfaction: number | null;
    reopened: number;
  };
  /** Opened and closed per office day of the period, up to today. */
  trend: { date: string; opened: number; closed: number }[];
  /** The units' ranking (red and black lists) for the period, as /ranking computes it; units with too few cases last, unranked. */
  ranking: {
    unitId: string;
    name: string;
    rank: number | null;
    list: "red" | "black" | null;
    received: number;
    acceptedOnTime: number | null;
    resolvedOnTime: number | null;
    overdueNow: number;
    reopened: number;
  }[];
  /** The open cases listed for supervision (in the region), the earliest deadline first. */
  supervised: CaseSummary[];
}

// ── Recording a case that reached the office another way (dispatchers and admins) ────────

/** GET: what the new-case form offers; POST: the form, recorded as a case (IntakeRequest → IntakeResponse). */
export const INTAKE = `${CONSOLE_API}/intake`;

/** GET /console/api/intake: the doors (and whether each needs, may take or has no reference number), the sectors and the towns. */
export interface IntakeFormResponse {
  sources: { id: StaffSource; name: string; reference: "none" | "optional" | "required" }[];
  sectors: Named[];
  towns: Named[];
}

/**
 * POST /console/api/intake: the chat's /new draft as one form. `submission` is a random id the
 * page writes when the form opens: posting it twice makes one case. An assignment from above
 * (source "superior") is a task, and every other door a hazard or a violation.
 */
export interface IntakeRequest {
  submission: string;
  source: StaffSource;
  reference?: string;
  kind: "hazard" | "violation" | "task";
  sectorId: string;
  regionId?: string;
  address?: string;
  description: string;
  urgent: boolean;
  anonymous: boolean;
  /** The caller's name and phone, for a named record. */
  name?: string;
  phone?: string;
  reward: boolean;
}

/**
 * 200 `{ ok: true, number }` (the same number again for a form posted twice; a claim code,
 * shown once, for an anonymous reward claim); 422 `{ ok: false, code: "INVALID", problems, message }`
 * with every problem of the draft at once, in the viewer's words.
 */
export type IntakeResponse =
  | { ok: true; caseId?: number; number: string; claimCode?: string }
  | { ok: false; code: "INVALID"; problems: { code: string; field: string }[]; message: string };
