/**
 * The directory file: an office's whole directory (regions, sectors, units, routes, and
 * optionally members, chats, recurring reminders and the office's time settings: calendar,
 * deadlines, escalation chain) as one YAML file that people edit by hand. Parses and checks it
 * into flat rows ready for the database, reporting every problem at once with the file, line
 * and column of the node at fault, and writes a directory back out in the same shape.
 *
 * Pure: text in, values out. The CLI (scripts/directory.ts) does the reading and writing.
 */

import { Document, isMap, isNode, isPair, isScalar, LineCounter, type Node, parseDocument, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { z } from "zod";
import { isIsoDate } from "./calendar";
import { DEADLINE_STAGES, type EscalationLevel } from "./deadlines";
import { DIRECTORY_ID } from "./directory-id";
import { EARTH_RADIUS_M, parseRegionArea } from "./geo";
import {
  type CalendarSettings,
  type DeadlineSettings,
  durationFromFile,
  durationToFile,
  ESCALATION_LEVELS,
  type FileDuration,
  formatClock,
  type KindDeadlines,
  type PublicationSettings,
  parseClock,
  type RetentionSettings,
  type StageDurations,
} from "./office-settings";
import { HOLIDAY_RULES, type HolidayRule, MAX_SCHEDULE_TEXT, parsePattern } from "./recurring";
import { PERIOD_KINDS, type PeriodKind } from "./reports";
import { CASE_KINDS, ROLES, type Role, SEVERITIES } from "./workflow";

// ── The directory as the database holds it ───────────────────────────────────────────────

export const REGION_LEVELS = ["county", "town", "village"] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];
export const UNIT_KINDS = ["territorial", "sectoral", "office"] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export const CHAT_PURPOSES = ["unit", "dispatchers", "leaders", "public"] as const;
export type ChatPurpose = (typeof CHAT_PURPOSES)[number];

/** A region's area in the forms src/domain/geo.ts reads: a circle, or a GeoJSON Polygon ([lng, lat], closed ring). */
export type StoredArea = { lat: number; lng: number; radiusM: number } | { type: "Polygon"; coordinates: number[][][] };

export interface DirectoryRegion {
  id: string;
  parentId: string | null;
  level: RegionLevel;
  nameZh: string;
  nameEn: string;
  area: StoredArea | null;
}
export interface DirectorySector {
  id: string;
  nameZh: string;
  nameEn: string;
  sort: number;
}
export interface DirectoryUnit {
  id: string;
  kind: UnitKind;
  nameZh: string;
  nameEn: string;
  regionId: string | null;
  sectorId: string | null;
}
export interface DirectoryRoute {
  regionId: string | null;
  sectorId: string | null;
  unitId: string;
}
export interface DirectoryMember {
  telegramId: number;
  unitId: string;
  name: string;
  roles: Role[];
  /**
   * Only as read from the database: false for a membership an import with --prune turned off
   * (the person left, but cases still name them). Such a member is not written to a file.
   */
  active?: boolean;
}
export interface DirectoryChat {
  chatId: number;
  title: string;
  purpose: ChatPurpose;
  unitId: string | null;
}

/** A recurring group reminder the file keeps, by its `id` (stored as `schedules.key`). */
export interface DirectorySchedule {
  key: string;
  chatId: number;
  /** Five fields, single spaces. */
  cron: string;
  text: string;
  holidays: HolidayRule;
  paused: boolean;
  /** Set: the slot posts the units' ranking for this period just ended, under `text` as a heading. */
  ranking: PeriodKind | null;
}

/**
 * The key under which a reminder made with /schedule (#N, no key of its own) is exported and
 * matched on import, so an exported file imports back without making a second one.
 */
export const chatScheduleKey = (id: number) => `schedule-${id}`;
/** N for "schedule-N", else null. */
export function chatScheduleId(key: string): number | null {
  const m = /^schedule-(\d{1,15})$/.exec(key);
  return m ? Number(m[1]) : null;
}

/**
 * Flat rows, regions parents first. `members`, `chats` and `schedules` are undefined when the
 * file leaves the section out: staff mostly join by invite link, the bot learns its groups as
 * it is added and groups make reminders with /schedule, so a file that does not list them must
 * not claim those tables. Likewise `calendar`, `deadlines` and `escalation`: a section the file
 * leaves out leaves the office's stored setting as it is.
 */
export interface Directory {
  regions: DirectoryRegion[];
  sectors: DirectorySector[];
  units: DirectoryUnit[];
  routes: DirectoryRoute[];
  members?: DirectoryMember[];
  chats?: DirectoryChat[];
  schedules?: DirectorySchedule[];
  calendar?: CalendarSettings;
  deadlines?: DeadlineSettings;
  escalation?: EscalationLevel[];
  retention?: RetentionSettings;
  publication?: PublicationSettings;
}

export interface DirectoryError {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Where in the file, e.g. `units[3].region`; empty for a YAML syntax error. */
  field: string;
  message: string;
}

export type ParseDirectoryResult = { ok: true; directory: Directory } | { ok: false; errors: DirectoryError[] };

/** `directory.yaml:12:7 units[3].region: no region "chengguan2"` */
export function formatDirectoryError(e: DirectoryError): string {
  return `${e.file}:${e.line}:${e.column} ${e.field ? `${e.field}: ` : ""}${e.message}`;
}

/** Sectors are shown in list order; without an explicit `sort`, the n-th (0-based) gets (n + 1) * 10, as the default sectors do. */
export const sortForPosition = (index: number) => (index + 1) * 10;

// ── The file's shape ─────────────────────────────────────────────────────────────────────

// Ids travel in button data (src/domain/directory-id.ts).
const ID = DIRECTORY_ID;
const id = z.string().regex(ID, "must be 1-40 characters of a-z, 0-9, _ and -, starting with a letter or digit");
const name = z.string().regex(/\S/, "must not be empty");
const MAX_RADIUS_M = Math.PI * EARTH_RADIUS_M;
const lat = z.number().min(-90, "must be a latitude, -90 to 90").max(90, "must be a latitude, -90 to 90");
const lng = z.number().min(-180, "must be a longitude, -180 to 180").max(180, "must be a longitude, -180 to 180");

/** `street` is a town-level region and `community` a village-level one: the database knows only county, town and village. */
const FILE_LEVELS = { county: "county", town: "town", street: "town", village: "village", community: "village" } as const;
type FileLevel = keyof typeof FILE_LEVELS;

const circle = z.strictObject({
  lat,
  lng,
  radius_m: z.number().positive("must be more than 0").max(MAX_RADIUS_M, "is larger than the earth"),
});
const polygon = z.array(z.tuple([lat, lng])).refine((points) => distinctCorners(points) >= 3, "needs at least 3 distinct corners");

type FileRegion = {
  id: string;
  name_zh: string;
  name_en: string;
  level: FileLevel;
  area?: z.infer<typeof circle>;
  polygon?: z.infer<typeof polygon>;
  children?: FileRegion[] | null;
};
const region: z.ZodType<FileRegion> = z.strictObject({
  id,
  name_zh: name,
  name_en: name,
  level: z.enum(Object.keys(FILE_LEVELS) as [FileLevel, ...FileLevel[]]),
  area: circle.optional(),
  polygon: polygon.optional(),
  // `children:` left empty (say, after deleting the last village) means none, not an error.
  get children() {
    return z.array(region).nullish();
  },
});

// ── Time settings and recurring reminders ──

const clockTime = z.string().refine((t) => parseClock(t) !== null, 'must be a time of day as "HH:MM", e.g. "08:30"');
const isoDate = z.string().refine(isIsoDate, "must be a date as YYYY-MM-DD, e.g. 2027-02-10");
// An emptied list (`holidays:` after deleting its last date) means none, not an error.
const dateList = z.array(isoDate).nullish();

const DURATION_UNITS = ["working_hours", "working_days", "calendar_days"] as const;
// Exactly one unit: checked with the cross-references, so that a misspelt unit is one error, not two.
const duration = z.strictObject({
  working_hours: z.number().positive("must be more than 0").max(2000, "must be at most 2000").optional(),
  working_days: z.number().int("must be a whole number").min(0, "must be 0 or more").max(250, "must be at most 250").optional(),
  calendar_days: z.number().int("must be a whole number").min(0, "must be 0 or more").max(365, "must be at most 365").optional(),
});
const stages = z.strictObject({ accept: duration.optional(), resolve: duration.optional(), verify: duration.optional() });
const kindDeadlines = stages.extend({ ordinary: stages.optional(), urgent: stages.optional(), major: stages.optional() });

const calendarSection = z.strictObject({
  work_hours: z.strictObject({ start: clockTime, end: clockTime, lunch: z.strictObject({ start: clockTime, end: clockTime }).optional() }).optional(),
  workdays: dateList,
  holidays: dateList,
});
const deadlinesSection = z.strictObject({
  hazard: kindDeadlines.optional(),
  violation: kindDeadlines.optional(),
  consultation: kindDeadlines.optional(),
  task: kindDeadlines.optional(),
  verify: duration.optional(),
});
const schedule = z.strictObject({
  id,
  chat: z
    .number()
    .int("must be a whole number")
    .refine((n) => n !== 0, "must be a Telegram chat id"),
  cron: z
    .string()
    .refine((c) => parsePattern(c, "UTC") !== null, 'must be a five-field cron pattern (minute hour day month weekday) that runs, e.g. "0 15 * * 5"'),
  text: name.refine((t) => [...t.trim()].length <= MAX_SCHEDULE_TEXT, `must be at most ${MAX_SCHEDULE_TEXT} characters`),
  holidays: z.enum(HOLIDAY_RULES).optional(),
  paused: z.boolean().optional(),
  ranking: z.enum(PERIOD_KINDS).optional(),
});

/** The fields each mapping of the time sections may hold, for a clearer "not a known field". */
function knownFields(path: Path): readonly string[] | undefined {
  const [section, a, b, c] = path;
  if (section === "calendar") return path.length === 1 ? ["work_hours", "workdays", "holidays"] : undefined;
  if (section !== "deadlines") return undefined;
  const kinds = [...CASE_KINDS, "verify"];
  const stageOrSeverity = [...DEADLINE_STAGES, ...SEVERITIES];
  if (path.length === 1) return kinds;
  if (a === "verify") return DURATION_UNITS;
  if (path.length === 2) return stageOrSeverity;
  if (path.length === 3) return (SEVERITIES as readonly unknown[]).includes(b) ? DEADLINE_STAGES : DURATION_UNITS;
  return c !== undefined ? DURATION_UNITS : undefined;
}

const FileSchema = z.strictObject({
  regions: z.array(region),
  sectors: z.array(z.strictObject({ id, name_zh: name, name_en: name, sort: z.number().int("must be a whole number").optional() })),
  units: z.array(
    z.strictObject({
      id,
      kind: z.enum(UNIT_KINDS),
      name_zh: name,
      name_en: name,
      region: id.optional(),
      sector: id.optional(),
    }),
  ),
  routes: z.array(z.strictObject({ region: id.optional(), sector: id.optional(), unit: id })),
  members: z
    .array(
      z.strictObject({
        telegram_id: z.number().int("must be a whole number").positive("must be a Telegram user id (a positive number)"),
        name,
        unit: id,
        roles: z.array(z.enum(ROLES)).min(1, "must list at least one role"),
      }),
    )
    .optional(),
  chats: z
    .array(
      z.strictObject({
        chat_id: z.number().int("must be a whole number"),
        title: name,
        purpose: z.enum(CHAT_PURPOSES),
        unit: id.optional(),
      }),
    )
    .optional(),
  // An emptied `schedules:` means none, as for `children:`.
  schedules: z.array(schedule).nullish(),
  calendar: calendarSection.nullish(),
  deadlines: deadlinesSection.nullish(),
  escalation: z.array(z.enum(ESCALATION_LEVELS as [EscalationLevel, ...EscalationLevel[]])).optional(),
  // An emptied `retention:` means the default period (DEFAULT_REPORTER_IDENTITY_DAYS), as when it was never given.
  retention: z.strictObject({ reporter_identity_days: z.number().int().min(1).optional() }).nullish(),
  // An emptied `publication:` means nothing is shown to the public, as when it was never given.
  publication: z.strictObject({ public_page: z.boolean().optional() }).nullish(),
});
type FileDirectory = z.infer<typeof FileSchema>;

const TYPE_NAMES: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  array: "a list",
  object: "a mapping (field: value)",
  tuple: "a [lat, lng] pair",
};

// Plain words for zod's own issues; checks that carry their own message keep it.
const errorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, not ${describe(issue.input)}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => String(v)).join(", ")}, not ${describe(issue.input)}`;
    case "too_small":
      return issue.origin === "array" ? `must have at least ${String(issue.minimum)} items` : `must be at least ${String(issue.minimum)}`;
    case "too_big":
      return issue.origin === "array" ? `must have at most ${String(issue.maximum)} items` : `must be at most ${String(issue.maximum)}`;
    default:
      return undefined;
  }
};

function describe(value: unknown): string {
  if (value === null) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

// ── Parsing ──────────────────────────────────────────────────────────────────────────────

type Path = (string | number)[];

export function parseDirectory(text: string, fileName: string): ParseDirectoryResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: fileName, line, column: col };
  };

  // After a syntax error the tree is a guess, so nothing else is checked.
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        ...(e.linePos ? { file: fileName, line: e.linePos[0].line, column: e.linePos[0].col } : at(e.pos[0])),
        field: "",
        // The library appends " at line L, column C:" and a picture of the line; we print our own position.
        message: e.message.split(/ at line \d+, column \d+/)[0] ?? e.message,
      })),
    };
  }

  const errors: DirectoryError[] = [];
  const report = (path: Path, message: string, keyOf?: string) => {
    errors.push({ ...at(offsetOf(doc, path, keyOf)), field: fieldName(keyOf === undefined ? path : [...path, keyOf]), message });
  };

  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) {
    report([], "the file is empty: expected regions, sectors, units and routes");
    return { ok: false, errors };
  }
  const parsed = FileSchema.safeParse(raw, { error: errorMap });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
      if (issue.code === "unrecognized_keys") {
        const known = knownFields(path);
        for (const key of issue.keys)
          report(path, known ? `is not a known field here (expected ${known.join(", ")})` : "is not a known field here", key);
      } else {
        report(path, issue.message);
      }
    }
  }
  // Cross-references run on the raw tree, whatever zod thought of it, so one run shows everything.
  checkReferences(raw, report);

  if (errors.length > 0 || !parsed.success) {
    errors.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, errors };
  }
  return { ok: true, directory: toDirectory(parsed.data) };
}

function toDirectory(file: FileDirectory): Directory {
  const regions: DirectoryRegion[] = [];
  const walk = (list: FileRegion[], parentId: string | null) => {
    for (const r of list) {
      regions.push({
        id: r.id,
        parentId,
        level: FILE_LEVELS[r.level],
        nameZh: r.name_zh,
        nameEn: r.name_en,
        area: r.area ? { lat: r.area.lat, lng: r.area.lng, radiusM: r.area.radius_m } : r.polygon ? polygonToGeoJson(r.polygon) : null,
      });
      walk(r.children ?? [], r.id);
    }
  };
  walk(file.regions, null);
  return {
    regions,
    sectors: file.sectors.map((s, i) => ({ id: s.id, nameZh: s.name_zh, nameEn: s.name_en, sort: s.sort ?? sortForPosition(i) })),
    units: file.units.map((u) => ({
      id: u.id,
      kind: u.kind,
      nameZh: u.name_zh,
      nameEn: u.name_en,
      regionId: u.region ?? null,
      sectorId: u.sector ?? null,
    })),
    routes: file.routes.map((r) => ({ regionId: r.region ?? null, sectorId: r.sector ?? null, unitId: r.unit })),
    members: file.members?.map((m) => ({
      telegramId: m.telegram_id,
      unitId: m.unit,
      name: m.name,
      roles: canonicalRoles(m.roles),
    })),
    chats: file.chats?.map((c) => ({ chatId: c.chat_id, title: c.title, purpose: c.purpose, unitId: c.unit ?? null })),
    ...(file.schedules !== undefined
      ? {
          schedules: (file.schedules ?? []).map((s) => ({
            key: s.id,
            chatId: s.chat,
            cron: s.cron.trim().split(/\s+/).join(" "),
            text: s.text.trim(),
            // A ranking due on a day off goes out on the next working day unless the file says otherwise.
            holidays: s.holidays ?? (s.ranking ? "shift" : "skip"),
            paused: s.paused ?? false,
            ranking: s.ranking ?? null,
          })),
        }
      : {}),
    ...(file.calendar !== undefined ? { calendar: calendarFromFile(file.calendar ?? {}) } : {}),
    ...(file.deadlines !== undefined ? { deadlines: deadlinesFromFile(file.deadlines ?? {}) } : {}),
    ...(file.escalation !== undefined ? { escalation: file.escalation } : {}),
    ...(file.retention !== undefined
      ? { retention: file.retention?.reporter_identity_days === undefined ? {} : { reporterIdentityDays: file.retention.reporter_identity_days } }
      : {}),
    ...(file.publication !== undefined
      ? { publication: file.publication?.public_page === undefined ? {} : { publicPage: file.publication.public_page } }
      : {}),
  };
}

type FileCalendar = z.infer<typeof calendarSection>;
type FileStages = z.infer<typeof stages>;
type FileKind = z.infer<typeof kindDeadlines>;

const sortedDates = (list: string[] | null | undefined) => [...new Set(list ?? [])].sort();

function calendarFromFile(c: FileCalendar): CalendarSettings {
  const clock = (t: string) => parseClock(t)!;
  const w = c.work_hours;
  return {
    ...(w
      ? {
          workHours: {
            start: clock(w.start),
            end: clock(w.end),
            ...(w.lunch ? { lunch: { start: clock(w.lunch.start), end: clock(w.lunch.end) } } : {}),
          },
        }
      : {}),
    workdays: sortedDates(c.workdays),
    holidays: sortedDates(c.holidays),
  };
}

function stagesFromFile(s: FileStages): StageDurations {
  const out: StageDurations = {};
  for (const stage of DEADLINE_STAGES) {
    const d = s[stage];
    if (d) out[stage] = durationFromFile(d as FileDuration);
  }
  return out;
}

function deadlinesFromFile(d: z.infer<typeof deadlinesSection>): DeadlineSettings {
  const out: DeadlineSettings = {};
  for (const kind of CASE_KINDS) {
    const k: FileKind | undefined = d[kind];
    if (!k) continue;
    const kd: KindDeadlines = stagesFromFile(k);
    for (const severity of SEVERITIES) {
      const sv = k[severity];
      if (sv) kd[severity] = stagesFromFile(sv);
    }
    out[kind] = kd;
  }
  if (d.verify) out.verify = durationFromFile(d.verify as FileDuration);
  return out;
}

/** Roles in one fixed order, so [leader, liaison] and [liaison, leader] are the same. */
export function canonicalRoles(roles: readonly string[]): Role[] {
  return ROLES.filter((r) => roles.includes(r));
}

/** The file's [lat, lng] corners as a GeoJSON Polygon: [lng, lat] positions, the ring closed as GeoJSON requires. */
function polygonToGeoJson(points: [number, number][]): StoredArea {
  const ring = points.map(([la, ln]) => [ln, la]);
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push([...first]);
  return { type: "Polygon", coordinates: [ring] };
}

function distinctCorners(points: [number, number][]): number {
  return new Set(points.map(([la, ln]) => `${la},${ln}`)).size;
}

// ── Cross-references ─────────────────────────────────────────────────────────────────────

type Report = (path: Path, message: string, keyOf?: string) => void;
type Item = Record<string, unknown>;

const isItem = (v: unknown): v is Item => typeof v === "object" && v !== null && !Array.isArray(v);
const items = (v: unknown): [Item, number][] => (Array.isArray(v) ? v.flatMap((x, i): [Item, number][] => (isItem(x) ? [[x, i]] : [])) : []);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

// What each level may hold; `street` and `community` are checked as the level they are stored as.
const CHILD_LEVEL: Record<RegionLevel, RegionLevel | null> = { county: "town", town: "village", village: null };
const LEVEL_WORDS: Record<RegionLevel, string> = {
  county: "county",
  town: "town or street",
  village: "village or community",
};

function checkReferences(raw: unknown, report: Report): void {
  if (!isItem(raw)) return;

  const regionIds = new Set<string>();
  const walk = (list: unknown, path: Path, parentLevel: RegionLevel | null | "top") => {
    for (const [r, i] of items(list)) {
      const here = [...path, i];
      const rid = str(r.id);
      if (rid !== undefined) {
        if (regionIds.has(rid)) report([...here, "id"], `region "${rid}" is listed twice`);
        regionIds.add(rid);
      }
      const fileLevel = str(r.level);
      const level = fileLevel !== undefined && fileLevel in FILE_LEVELS ? FILE_LEVELS[fileLevel as FileLevel] : undefined;
      // Under a village the children themselves are the error, reported below for the village.
      let misplaced = false;
      if (level !== undefined && parentLevel !== null && parentLevel !== "village") {
        const expected = parentLevel === "top" ? "county" : CHILD_LEVEL[parentLevel];
        if (expected !== level) {
          misplaced = true;
          report(
            [...here, "level"],
            parentLevel === "top"
              ? `a top-level region must be a county, not "${fileLevel}"`
              : `a ${parentLevel}'s regions must be ${LEVEL_WORDS[expected ?? "village"]}, not "${fileLevel}"`,
          );
        }
      }
      if (level === "village" && Array.isArray(r.children) && r.children.length > 0) {
        report([...here, "children"], "a village or community has no regions under it");
      }
      if (r.area !== undefined && r.polygon !== undefined) report([...here, "polygon"], "give either area or polygon, not both");
      // Under a region whose level is wrong, nothing is judged by that level: one mistake, one error.
      walk(r.children, [...here, "children"], misplaced ? null : (level ?? null));
    }
  };
  walk(raw.regions, ["regions"], "top");

  const sectorIds = new Set<string>();
  for (const [s, i] of items(raw.sectors)) {
    const sid = str(s.id);
    if (sid === undefined) continue;
    if (sectorIds.has(sid)) report(["sectors", i, "id"], `sector "${sid}" is listed twice`);
    sectorIds.add(sid);
  }

  const mustBeRegion = (path: Path, v: unknown) => {
    const value = str(v);
    if (value !== undefined && ID.test(value) && !regionIds.has(value)) report(path, `no region "${value}"`);
  };
  const mustBeSector = (path: Path, v: unknown) => {
    const value = str(v);
    if (value !== undefined && ID.test(value) && !sectorIds.has(value)) report(path, `no sector "${value}"`);
  };

  const unitIds = new Set<string>();
  for (const [u] of items(raw.units)) {
    const uid = str(u.id);
    if (uid !== undefined) unitIds.add(uid);
  }
  const mustBeUnit = (path: Path, v: unknown) => {
    const value = str(v);
    if (value !== undefined && ID.test(value) && !unitIds.has(value)) report(path, `no unit "${value}"`);
  };

  const seenUnits = new Set<string>();
  for (const [u, i] of items(raw.units)) {
    const here: Path = ["units", i];
    const uid = str(u.id);
    if (uid !== undefined) {
      if (seenUnits.has(uid)) report([...here, "id"], `unit "${uid}" is listed twice`);
      seenUnits.add(uid);
    }
    mustBeRegion([...here, "region"], u.region);
    mustBeSector([...here, "sector"], u.sector);
    // Routing and the "my area" views read these: a station without its town routes nothing.
    if (u.kind === "territorial" && u.region === undefined) report([...here, "region"], "is required for a territorial unit");
    if (u.kind === "sectoral" && u.sector === undefined) report([...here, "sector"], "is required for a sectoral unit");
  }

  const routeKeys = new Map<string, number>();
  for (const [r, i] of items(raw.routes)) {
    const here: Path = ["routes", i];
    mustBeRegion([...here, "region"], r.region);
    mustBeSector([...here, "sector"], r.sector);
    mustBeUnit([...here, "unit"], r.unit);
    const key = JSON.stringify([str(r.region) ?? null, str(r.sector) ?? null]);
    const first = routeKeys.get(key);
    if (first !== undefined) {
      const what = r.region === undefined && r.sector === undefined ? "the catch-all route" : "a route for the same region and sector";
      report(here, `${what} is already given at routes[${first}]`);
    } else routeKeys.set(key, i);
  }

  const memberKeys = new Set<string>();
  for (const [m, i] of items(raw.members)) {
    const here: Path = ["members", i];
    mustBeUnit([...here, "unit"], m.unit);
    if (typeof m.telegram_id === "number" && typeof m.unit === "string") {
      const key = `${m.telegram_id}@${m.unit}`;
      if (memberKeys.has(key)) report(here, `telegram_id ${m.telegram_id} is already a member of "${m.unit}"`);
      memberKeys.add(key);
    }
    if (Array.isArray(m.roles)) {
      const seen = new Set<unknown>();
      m.roles.forEach((role, j) => {
        if (seen.has(role)) report([...here, "roles", j], `role "${String(role)}" is listed twice`);
        seen.add(role);
      });
    }
  }

  const chatIds = new Set<number>();
  for (const [c, i] of items(raw.chats)) {
    const here: Path = ["chats", i];
    if (typeof c.chat_id === "number") {
      if (chatIds.has(c.chat_id)) report([...here, "chat_id"], `chat ${c.chat_id} is listed twice`);
      chatIds.add(c.chat_id);
    }
    mustBeUnit([...here, "unit"], c.unit);
    if (c.purpose === "unit" && c.unit === undefined) report([...here, "unit"], 'is required when purpose is "unit"');
    if (typeof c.purpose === "string" && c.purpose !== "unit" && c.unit !== undefined) {
      report([...here, "unit"], `only a chat with purpose "unit" belongs to a unit (this one is "${c.purpose}")`);
    }
  }

  const scheduleIds = new Set<string>();
  for (const [s, i] of items(raw.schedules)) {
    const sid = str(s.id);
    if (sid === undefined) continue;
    if (scheduleIds.has(sid)) report(["schedules", i, "id"], `schedule "${sid}" is listed twice`);
    scheduleIds.add(sid);
  }

  if (Array.isArray(raw.escalation)) {
    const seen = new Set<unknown>();
    raw.escalation.forEach((level, j) => {
      if (seen.has(level)) report(["escalation", j], `"${String(level)}" is listed twice`);
      seen.add(level);
    });
  }

  if (isItem(raw.calendar)) checkCalendar(raw.calendar, report);
  if (isItem(raw.deadlines)) checkDurations(raw.deadlines, report);
}

/** Each duration names exactly one unit (one with a field of its own that is not a unit is reported by the schema). */
function checkDurations(deadlines: Item, report: Report): void {
  const check = (d: unknown, path: Path) => {
    if (!isItem(d)) return;
    const keys = Object.keys(d);
    if (keys.some((k) => !(DURATION_UNITS as readonly string[]).includes(k))) return;
    if (keys.length !== 1) report(path, "give exactly one of working_hours, working_days or calendar_days");
  };
  const stagesOf = (st: unknown, path: Path) => {
    if (!isItem(st)) return;
    for (const stage of DEADLINE_STAGES) check(st[stage], [...path, stage]);
  };
  check(deadlines.verify, ["deadlines", "verify"]);
  for (const kind of CASE_KINDS) {
    const k = deadlines[kind];
    if (!isItem(k)) continue;
    stagesOf(k, ["deadlines", kind]);
    for (const severity of SEVERITIES) stagesOf(k[severity], ["deadlines", kind, severity]);
  }
}

/** Working hours in order, and each override date once, never both a workday and a holiday. */
function checkCalendar(cal: Item, report: Report): void {
  const minutes = (v: unknown) => {
    const t = typeof v === "string" ? parseClock(v) : null;
    return t ? t[0] * 60 + t[1] : undefined;
  };
  if (isItem(cal.work_hours)) {
    const w = cal.work_hours;
    const here: Path = ["calendar", "work_hours"];
    const [start, end] = [minutes(w.start), minutes(w.end)];
    if (start !== undefined && end !== undefined && end <= start) report([...here, "end"], `must be after start (${String(w.start)})`);
    if (isItem(w.lunch)) {
      const [ls, le] = [minutes(w.lunch.start), minutes(w.lunch.end)];
      if (ls !== undefined && le !== undefined && le <= ls)
        report([...here, "lunch", "end"], `must be after the lunch break's start (${String(w.lunch.start)})`);
      else if (start !== undefined && end !== undefined && end > start && ls !== undefined && le !== undefined && (ls <= start || le >= end)) {
        report([...here, "lunch"], `must lie inside the working day (${String(w.start)} to ${String(w.end)})`);
      }
    }
  }
  const seen = new Map<string, "workdays" | "holidays">();
  for (const list of ["workdays", "holidays"] as const) {
    const dates = cal[list];
    if (!Array.isArray(dates)) continue;
    dates.forEach((d, j) => {
      if (typeof d !== "string" || !isIsoDate(d)) return;
      const first = seen.get(d);
      if (first === list) report(["calendar", list, j], `${d} is listed twice`);
      else if (first !== undefined) report(["calendar", list, j], `${d} is also listed under ${first}: a day is either a workday or a holiday`);
      else seen.set(d, list);
    });
  }
}

// ── Positions ────────────────────────────────────────────────────────────────────────────

/** Where the node at `path` starts; a field that is missing points at the nearest thing that is there. */
function offsetOf(doc: Document, path: Path, keyOf?: string): number {
  if (keyOf !== undefined) {
    const parent = nodeAt(doc, path);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === keyOf);
      if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
    }
  }
  for (let n = path.length; n >= 0; n--) {
    const node = nodeAt(doc, path.slice(0, n));
    if (node?.range) return node.range[0];
  }
  return 0;
}

function nodeAt(doc: Document, path: Path): Node | undefined {
  const found: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
  return isNode(found) ? found : undefined;
}

/** ["units", 3, "region"] → `units[3].region` */
function fieldName(path: Path): string {
  return path.reduce<string>((s, p) => (typeof p === "number" ? `${s}[${p}]` : s ? `${s}.${p}` : p), "");
}

// ── Writing ──────────────────────────────────────────────────────────────────────────────

/**
 * The directory as YAML in the file's shape: regions as a tree (children in list order),
 * everything else one line per row. A sector's `sort` is written only where it differs from
 * what its place in the list gives, so a database whose sorts were set elsewhere survives an
 * export and re-import unchanged. `members`, `chats`, `schedules` and the time settings
 * (`calendar`, `deadlines`, `escalation`) are written when present.
 */
export function serializeDirectory(directory: Directory): string {
  const doc = new Document<YAMLMap>(new YAMLMap());
  const root = doc.contents as YAMLMap;
  const flow = (value: unknown) => doc.createNode(value, { flow: true });
  // Times ("08:30" reads as a number in YAML 1.1 tools), cron patterns and texts (which may
  // hold line breaks: "\n" keeps a row on one line) are written in double quotes.
  const quoted = (node: Node, keys: string[]): YAMLMap => {
    const map = node as YAMLMap;
    for (const key of keys) {
      const value = map.get(key, true);
      if (isScalar(value)) value.type = Scalar.QUOTE_DOUBLE;
    }
    return map;
  };
  const seq = (nodes: Node[]) => {
    const s = new YAMLSeq();
    s.items.push(...nodes);
    return s;
  };

  const byParent = new Map<string | null, DirectoryRegion[]>();
  const ids = new Set(directory.regions.map((r) => r.id));
  for (const r of directory.regions) {
    // A parent that is not in the list (a dangling row) leaves its region at the top.
    const parent = r.parentId !== null && ids.has(r.parentId) ? r.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), r]);
  }
  const regionNode = (r: DirectoryRegion, depth: number): YAMLMap => {
    const map = new YAMLMap();
    map.set("id", r.id);
    map.set("name_zh", r.nameZh);
    map.set("name_en", r.nameEn);
    map.set("level", r.level);
    const area = r.area ? parseRegionArea(r.area) : null;
    if (area?.kind === "circle") map.set("area", flow({ lat: area.center.lat, lng: area.center.lng, radius_m: area.radiusM }));
    if (area?.kind === "polygon") map.set("polygon", flow(area.points.map((p) => [p.lat, p.lng])));
    // The depth guard stops a parent cycle in a damaged database from recursing forever.
    const children = depth < 16 ? (byParent.get(r.id) ?? []) : [];
    if (children.length > 0) map.set("children", seq(children.map((c) => regionNode(c, depth + 1))));
    return map;
  };

  const sections: [string, Node][] = [
    ["regions", seq((byParent.get(null) ?? []).map((r) => regionNode(r, 0)))],
    [
      "sectors",
      seq(
        directory.sectors.map((s, i) =>
          flow({ id: s.id, name_zh: s.nameZh, name_en: s.nameEn, ...(s.sort === sortForPosition(i) ? {} : { sort: s.sort }) }),
        ),
      ),
    ],
    [
      "units",
      seq(
        directory.units.map((u) =>
          // The shape people write: a department's sector beside its kind, a station's region last.
          flow({
            id: u.id,
            kind: u.kind,
            ...(u.sectorId !== null ? { sector: u.sectorId } : {}),
            name_zh: u.nameZh,
            name_en: u.nameEn,
            ...(u.regionId !== null ? { region: u.regionId } : {}),
          }),
        ),
      ),
    ],
    [
      "routes",
      seq(
        directory.routes.map((r) =>
          flow({
            ...(r.regionId !== null ? { region: r.regionId } : {}),
            ...(r.sectorId !== null ? { sector: r.sectorId } : {}),
            unit: r.unitId,
          }),
        ),
      ),
    ],
  ];
  if (directory.members) {
    sections.push([
      "members",
      seq(
        directory.members
          .filter((m) => m.active !== false)
          .map((m) => flow({ telegram_id: m.telegramId, name: m.name, unit: m.unitId, roles: m.roles })),
      ),
    ]);
  }
  if (directory.chats) {
    sections.push([
      "chats",
      seq(
        directory.chats.map((c) => flow({ chat_id: c.chatId, title: c.title, purpose: c.purpose, ...(c.unitId !== null ? { unit: c.unitId } : {}) })),
      ),
    ]);
  }
  if (directory.calendar) {
    const c = directory.calendar;
    const map = new YAMLMap();
    const w = c.workHours;
    if (w) {
      const hours = quoted(flow({ start: formatClock(w.start), end: formatClock(w.end) }), ["start", "end"]);
      if (w.lunch) hours.set("lunch", quoted(flow({ start: formatClock(w.lunch.start), end: formatClock(w.lunch.end) }), ["start", "end"]));
      map.set("work_hours", hours);
    }
    if (c.workdays.length > 0) map.set("workdays", flow(c.workdays));
    if (c.holidays.length > 0) map.set("holidays", flow(c.holidays));
    sections.push(["calendar", map.items.length > 0 ? map : flow({})]);
  }
  if (directory.deadlines) {
    const d = directory.deadlines;
    const map = new YAMLMap();
    const fileStages = (st: StageDurations) =>
      Object.fromEntries(DEADLINE_STAGES.flatMap((stage) => (st[stage] ? [[stage, durationToFile(st[stage])]] : [])));
    for (const kind of CASE_KINDS) {
      const k = d[kind];
      if (!k) continue;
      const kindMap = new YAMLMap();
      for (const [stage, value] of Object.entries(fileStages(k))) kindMap.set(stage, flow(value));
      for (const severity of SEVERITIES) {
        const sv = k[severity];
        if (sv) kindMap.set(severity, flow(fileStages(sv)));
      }
      map.set(kind, kindMap.items.length > 0 ? kindMap : flow({}));
    }
    if (d.verify) map.set("verify", flow(durationToFile(d.verify)));
    sections.push(["deadlines", map.items.length > 0 ? map : flow({})]);
  }
  if (directory.escalation) sections.push(["escalation", flow(directory.escalation)]);
  if (directory.retention) {
    const days = directory.retention.reporterIdentityDays;
    sections.push(["retention", flow(days === undefined ? {} : { reporter_identity_days: days })]);
  }
  if (directory.publication) {
    const on = directory.publication.publicPage;
    sections.push(["publication", flow(on === undefined ? {} : { public_page: on })]);
  }
  if (directory.schedules) {
    sections.push([
      "schedules",
      seq(
        directory.schedules.map((s) =>
          quoted(
            flow({
              id: s.key,
              chat: s.chatId,
              cron: s.cron,
              holidays: s.holidays,
              ...(s.paused ? { paused: true } : {}),
              ...(s.ranking ? { ranking: s.ranking } : {}),
              text: s.text,
            }),
            ["cron", "text"],
          ),
        ),
      ),
    ]);
  }
  sections.forEach(([key, value], i) => {
    const keyNode = doc.createNode(key);
    if (i > 0) keyNode.spaceBefore = true;
    root.add(doc.createPair(keyNode, value));
  });
  // lineWidth 0: one row stays on one line however long its names are.
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}
