/**
 * Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) in our terms, pure: the sectors as
 * services, a public case as a service request, a partner's POST read into the same draft the
 * chat and the web form build, and the spec's two formats (JSON, and XML, which the spec
 * requires). The HTTP door is src/web/open311.ts.
 *
 * Our choices where the spec leaves room: service_request_id is the case number; the partner's
 * own id for a request goes in `attribute[ref]` (a retried POST with the same ref makes no
 * second case); `attribute[urgent]=true` marks it urgent; email and media_url are not taken
 * (we keep no e-mail, and fetch nothing from elsewhere).
 */
import { parseReference } from "./doors";
import { isValidLatLng, type LatLng } from "./geo";
import { cleanText, type Draft, MAX_ADDRESS, MAX_DESCRIPTION, MAX_NAME, parsePhone } from "./report-draft";
import { type CaseStatus, OPEN_STATUSES } from "./workflow";
import { escapeXml } from "./xml";

export type Open311Format = "json" | "xml";

/** Without dates, GET requests looks this far back (the spec's default window). */
export const DEFAULT_WINDOW_MS = 90 * 24 * 60 * 60_000;
/** The most requests one GET returns. */
export const MAX_REQUESTS = 1000;

/** W3C date-time in UTC, to the second: 2026-12-06T02:59:10Z. */
export const w3cTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: false;
  type: "realtime";
  keywords: string;
  group: string;
}

export function serviceOf(sector: { id: string; nameZh: string; nameEn: string }, group: string): Open311Service {
  return {
    service_code: sector.id,
    service_name: sector.nameZh,
    description: sector.nameEn,
    metadata: false,
    type: "realtime",
    keywords: "",
    group,
  };
}

/** What a service request shows of a public case (already masked and clipped by the caller's service). */
export interface PublicRequestInput {
  number: string;
  status: CaseStatus;
  statusNotes: string;
  sectorId: string | null;
  sectorName: string | null;
  unitName: string | null;
  regionName: string | null;
  location: LatLng | null;
  description: string;
  createdAt: number;
  updatedAt: number;
  dueAt: number | null;
}

export function requestOf(c: PublicRequestInput) {
  return {
    service_request_id: c.number,
    status: OPEN_STATUSES.includes(c.status) ? "open" : "closed",
    status_notes: c.statusNotes,
    service_name: c.sectorName,
    service_code: c.sectorId,
    description: c.description,
    agency_responsible: c.unitName,
    service_notice: null,
    requested_datetime: w3cTime(c.createdAt),
    updated_datetime: w3cTime(c.updatedAt),
    expected_datetime: c.dueAt === null ? null : w3cTime(c.dueAt),
    // The town, not the street: a public list names no one's door.
    address: c.regionName,
    address_id: null,
    zipcode: null,
    lat: c.location?.lat ?? null,
    long: c.location?.lng ?? null,
    media_url: null,
  };
}

export type Open311Request = ReturnType<typeof requestOf>;

// ── GET requests' filters ──────────────────────────────────────────────────────────────

export interface RequestQuery {
  numbers?: string[];
  serviceCodes?: string[];
  status?: "open" | "closed";
  from?: number;
  to?: number;
}

/** Why a query or a post is refused: the locale key of its description, with its arguments. */
export interface Open311Problem {
  key: string;
  args?: Record<string, string | number>;
}

/** The most ids or codes one query may list: more is not a query a partner means. */
const MAX_LISTED = 100;

const list = (v: string | undefined) =>
  v === undefined
    ? undefined
    : v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "")
        .slice(0, MAX_LISTED);

/** A W3C / ISO 8601 date-time; a bare date is midnight UTC. */
function readTime(v: string | undefined): number | null | undefined {
  if (v === undefined || v.trim() === "") return undefined;
  const ms = Date.parse(v.trim());
  return Number.isFinite(ms) ? ms : null;
}

/**
 * GET requests' query: service_request_id (comma list, numbers as `parseNumber` reads them),
 * service_code (comma list), status (open, closed, or both), start_date and end_date on
 * requested_datetime. Without ids and dates, the last 90 days (the spec's default).
 */
export function readRequestQuery(
  q: Readonly<Record<string, string | undefined>>,
  now: number,
  parseNumber: (s: string) => string | null,
): { ok: true; query: RequestQuery } | { ok: false; problem: Open311Problem } {
  const ids = list(q.service_request_id);
  const numbers = ids?.map(parseNumber);
  if (numbers?.some((n) => n === null)) return { ok: false, problem: { key: "open311-error-request-id" } };
  const statuses = list(q.status);
  if (statuses?.some((s) => s !== "open" && s !== "closed")) return { ok: false, problem: { key: "open311-error-status" } };
  const from = readTime(q.start_date);
  const to = readTime(q.end_date);
  if (from === null || to === null) return { ok: false, problem: { key: "open311-error-date" } };
  const query: RequestQuery = {
    numbers: numbers as string[] | undefined,
    serviceCodes: list(q.service_code),
    status: statuses?.length === 1 ? (statuses[0] as "open" | "closed") : undefined,
    from,
    to,
  };
  // Asked by id, a request is found whenever it was made; otherwise the default window.
  if (numbers === undefined && from === undefined) query.from = (to ?? now) - DEFAULT_WINDOW_MS;
  return { ok: true, query };
}

// ── POST requests ──────────────────────────────────────────────────────────────────────

export interface ReadPost {
  draft: Draft;
  /** The partner's own id for the request (`attribute[ref]`). */
  ref?: string;
  /** first_name and last_name, for a named request. */
  name?: string;
}

/** The name a request gives: a Chinese name family name first without a space, others as written. */
function fullName(first: string | undefined, last: string | undefined): string | undefined {
  const han = /^\p{Script=Han}+$/u;
  const parts = first && last && han.test(first) && han.test(last) ? [`${last}${first}`] : [first, last].filter((p) => p);
  const name = parts.join(" ").slice(0, MAX_NAME);
  return name === "" ? undefined : name;
}

/**
 * A partner's POST read into a draft: a hazard report in `service_code`'s sector at lat/long
 * or address_string, ordinary unless `attribute[urgent]` says otherwise, no reward; anonymous
 * unless a name or phone is given, and then named with that phone, which must be a valid one.
 * The draft's id comes from `attribute[ref]` when given, so a retried post makes one case.
 * Whether the description is long enough is the draft's own check (validateDraft).
 */
export function readRequestPost(
  f: Readonly<Record<string, string | undefined>>,
  sectorIds: ReadonlySet<string>,
  now: number,
  newId: () => string,
): { ok: true; post: ReadPost } | { ok: false; problem: Open311Problem } {
  const text = (name: string, max: number) => cleanText(f[name], max);
  const code = text("service_code", 100);
  if (code === undefined) return { ok: false, problem: { key: "open311-error-service-code-missing" } };
  if (!sectorIds.has(code)) return { ok: false, problem: { key: "open311-error-service-code", args: { code } } };

  let location: LatLng | undefined;
  const [lat, lng] = [text("lat", 40), text("long", 40)];
  if (lat !== undefined || lng !== undefined) {
    const point = { lat: Number(lat), lng: Number(lng) };
    if (lat === undefined || lng === undefined || !isValidLatLng(point)) return { ok: false, problem: { key: "open311-error-location" } };
    location = point;
  }
  const address = text("address_string", MAX_ADDRESS);
  if (location === undefined && address === undefined) return { ok: false, problem: { key: "open311-error-place" } };

  const rawRef = text("attribute[ref]", 200);
  const ref = rawRef === undefined ? undefined : parseReference(rawRef);
  if (ref === null) return { ok: false, problem: { key: "open311-error-ref" } };

  const name = fullName(text("first_name", MAX_NAME), text("last_name", MAX_NAME));
  const typedPhone = text("phone", 40);
  const named = name !== undefined || typedPhone !== undefined;
  const phone = typedPhone === undefined ? undefined : (parsePhone(typedPhone) ?? undefined);
  if (named && phone === undefined) return { ok: false, problem: { key: "open311-error-phone" } };

  const urgent = ["true", "yes", "1"].includes((f["attribute[urgent]"] ?? "").trim().toLowerCase());
  const draft: Draft = {
    id: ref === undefined ? newId() : `ref:${ref}`,
    flow: "report",
    step: "summary",
    editing: false,
    kind: "hazard",
    sectorId: code,
    location,
    address,
    // Kept whole (up to one over the limit), so the draft's check says it is too long rather than cutting it.
    description: text("description", MAX_DESCRIPTION + 1),
    media: [],
    urgent,
    anonymous: !named,
    phone: named ? phone : undefined,
    reward: false,
    startedAt: now,
  };
  return { ok: true, post: { draft, ref, name: named ? name : undefined } };
}

// ── Formats ────────────────────────────────────────────────────────────────────────────

/**
 * A list of flat records as the spec's XML: `<root><item><field>value</field>…</item></root>`;
 * a null is an empty element.
 */
export function toXml(root: string, item: string, records: ReadonlyArray<Readonly<Record<string, unknown>>>): string {
  const fields = (r: Readonly<Record<string, unknown>>) =>
    Object.entries(r)
      .map(([k, v]) => (v === null || v === undefined ? `<${k}/>` : `<${k}>${escapeXml(String(v))}</${k}>`))
      .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}>${records.map((r) => `<${item}>${fields(r)}</${item}>`).join("")}</${root}>\n`;
}
