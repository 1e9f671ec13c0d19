/**
 * The ledger export: the office's cases of a period as a table, one row per case with
 * its timeline in one cell, written as CSV or XLSX. Pure: the service reads the cases, this
 * module decides what each column says and how the files are laid out.
 *
 * Anonymity by construction: a `LedgerCase` has no reporter, only whether the report was
 * anonymous, so no column can carry a citizen's identity, named or not.
 *
 * Times are text in the office's time zone ("2026-11-25 14:30"), not spreadsheet dates: a
 * spreadsheet date has no zone, so a real date would have to be the office's wall clock
 * passed off as UTC; text reads the same in the CSV and the XLSX, sorts correctly as it
 * stands, and is what the office prints and files.
 */
import writeXlsxFile, { type Cell, type SheetData } from "write-excel-file/universal";
import type { Translate } from "../i18n";
import type { Source } from "./doors";
import { type Locale, localName } from "./locale";
import { formatOfficeTime } from "./office-time";
import { caseMilestones, type Milestones } from "./reports";
import { latestResolution } from "./resolution";
import { type CaseKind, type CaseStatus, isEventType, type Severity } from "./workflow";

export interface Named {
  nameZh: string;
  nameEn: string;
}

/**
 * One step of a case's timeline, as the ledger shows it: when, what, and the status it moved.
 * `action` is the stored type, unchecked: the export reads no data (what people wrote stays
 * out of it), so it checks the type alone (`isEventType`), and a type it does not know is "other".
 */
export interface LedgerEvent {
  at: number;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  /** A rectification's data (measures, who is responsible); the rest is not read. */
  data?: unknown;
}

/**
 * A file the case received, as the evidence archive holds it: when and with which step it
 * came, its kind, and its SHA-256 once archived (or why Telegram would not hand it out).
 */
export interface CaseFileEntry {
  at: number;
  /** The event it came with (submitted, progress, resolved), unchecked like `LedgerEvent.action`. */
  action: string;
  kind: string;
  /** null: not queued (a file older than the archive that it has not reached). */
  status: "pending" | "archived" | "unavailable" | null;
  sha256: string | null;
  ext: string | null;
  reason: "too_big" | "gone" | null;
}

/** A case as the ledger needs it, with its directory names resolved. */
export interface LedgerCase {
  number: string;
  kind: CaseKind;
  /** The door it came by, and the sender's own number for it (a 12345 order's, a letter's). */
  source: Source;
  sourceRef: string | null;
  status: CaseStatus;
  severity: Severity;
  sector: Named | null;
  region: Named | null;
  /** The owner unit (first-receiver responsibility). */
  unit: Named | null;
  address: string | null;
  description: string;
  supervision: "none" | "listed";
  createdAt: number;
  dueAt: number | null;
  /** The only thing the ledger knows of the reporter. */
  anonymous: boolean;
  rating: number | null;
  ratingComment: string | null;
  /** In the order they happened. */
  events: readonly LedgerEvent[];
  /** In the order they were received. */
  files?: readonly CaseFileEntry[];
}

export type LedgerColumnKey =
  | "number"
  | "kind"
  | "source"
  | "status"
  | "severity"
  | "sector"
  | "region"
  | "address"
  | "description"
  | "unit"
  | "supervision"
  | "createdAt"
  | "dueAt"
  | "resolvedAt"
  | "measures"
  | "responsible"
  | "closedAt"
  | "overdue"
  | "rating"
  | "ratingComment"
  | "reporter"
  | "timeline"
  | "files";

export interface LedgerColumn {
  key: LedgerColumnKey;
  header: string;
  /** In the spreadsheet's character widths (a CJK character takes about two). */
  width: number;
  /** Long text: wrapped in the XLSX rather than cut off at the column's edge. */
  wrap: boolean;
}

export type LedgerCell = string | number | null;

export interface Ledger {
  columns: LedgerColumn[];
  /** One per case, in the columns' order. */
  rows: LedgerCell[][];
}

/** The columns in order: their header's locale key and width. */
const COLUMNS: ReadonlyArray<{ key: LedgerColumnKey; header: string; width: number; wrap?: boolean }> = [
  { key: "number", header: "ledger-col-number", width: 18 },
  { key: "kind", header: "ledger-col-kind", width: 14 },
  { key: "source", header: "ledger-col-source", width: 18 },
  { key: "status", header: "ledger-col-status", width: 16 },
  { key: "severity", header: "ledger-col-severity", width: 10 },
  { key: "sector", header: "ledger-col-sector", width: 16 },
  { key: "region", header: "ledger-col-region", width: 16 },
  { key: "address", header: "ledger-col-address", width: 28, wrap: true },
  { key: "description", header: "ledger-col-description", width: 50, wrap: true },
  { key: "unit", header: "ledger-col-unit", width: 22 },
  { key: "supervision", header: "ledger-col-supervision", width: 10 },
  { key: "createdAt", header: "ledger-col-created", width: 17 },
  { key: "dueAt", header: "ledger-col-due", width: 17 },
  { key: "resolvedAt", header: "ledger-col-resolved", width: 17 },
  { key: "measures", header: "ledger-col-measures", width: 40, wrap: true },
  { key: "responsible", header: "ledger-col-responsible", width: 14 },
  { key: "closedAt", header: "ledger-col-closed", width: 17 },
  { key: "overdue", header: "ledger-col-overdue", width: 10 },
  { key: "rating", header: "ledger-col-rating", width: 10 },
  { key: "ratingComment", header: "ledger-col-rating-comment", width: 30, wrap: true },
  { key: "reporter", header: "ledger-col-reporter", width: 10 },
  { key: "timeline", header: "ledger-col-timeline", width: 60, wrap: true },
  { key: "files", header: "ledger-col-files", width: 60, wrap: true },
];

/** The step a file came with, as its archived copy is named (ASCII, the same in every locale). */
const STEP_NAMES: Record<string, string> = { submitted: "report", progress: "progress", resolved: "resolution", answered: "answer" };
const DEFAULT_EXT: Record<string, string> = { photo: "jpg", video: "mp4" };

/**
 * The folder a case's archived files are written to by `npm run export -- --with-files`: its
 * number, and nothing about who reported it.
 */
export const caseFolderName = (caseNumber: string): string => caseNumber.replace(/[^A-Za-z0-9_-]/g, "_");

/**
 * The name of a case's n-th file (from 1), by the step it came with: `01-report.jpg`,
 * `03-resolution.jpg`. Never anything about who sent it.
 */
export function caseFileName(file: Pick<CaseFileEntry, "action" | "kind" | "ext">, n: number): string {
  const ext = (file.ext ?? DEFAULT_EXT[file.kind] ?? "bin").replace(/[^A-Za-z0-9]/g, "");
  return `${String(n).padStart(2, "0")}-${STEP_NAMES[file.action] ?? "other"}.${ext || "bin"}`;
}

export interface LedgerOptions {
  t: Translate;
  locale: Locale;
  timeZone: string;
  /** "Overdue" of a case still being worked is judged at this instant. */
  now: number;
}

/** What a case's timeline says about its end: when it was last rectified or answered (and not sent back since), and closed. */
function outcome(events: readonly LedgerEvent[]): { resolvedAt: number | null; closedAt: number | null } {
  // The step times as the workflow keeps them on the case (caseMilestones), each event at its own time.
  let m: Milestones = { assignedAt: null, acceptedAt: null, resolvedAt: null, closedAt: null };
  for (const e of events) if (isEventType(e.action)) m = caseMilestones(m, [{ action: e.action }], e.at);
  return { resolvedAt: m.resolvedAt, closedAt: m.closedAt };
}

/**
 * Whether the case missed its deadline: a case still being worked is overdue once `now`
 * passes it; a finished one if it was finished (rectified or answered, else closed) after
 * it. A rejected case has no deadline to miss.
 */
export function isOverdue(c: Pick<LedgerCase, "status" | "dueAt">, finishedAt: number | null, now: number): boolean {
  if (c.dueAt === null || c.status === "rejected") return false;
  const working = c.status === "new" || c.status === "assigned" || c.status === "in_progress";
  return (working ? now : (finishedAt ?? now)) > c.dueAt;
}

/** The table for these cases, headers and labels in the locale's words. */
export function buildLedger(items: readonly LedgerCase[], { t, locale, timeZone, now }: LedgerOptions): Ledger {
  // A translator answers a missing key with the key itself, so `known` tells which exist.
  const known = (key: string): string | null => {
    const text = t(key);
    return text === key ? null : text;
  };
  const status = (s: string) => known(`status-${s}`) ?? s;
  const time = (at: number | null) => (at === null ? "" : formatOfficeTime(at, timeZone));
  const name = (row: Named | null) => (row ? localName(locale, row) : "");
  const yesNo = (yes: boolean) => t(yes ? "ledger-yes" : "ledger-no");

  const timeline = (events: readonly LedgerEvent[]) =>
    events
      .map((e) => {
        const moved =
          e.fromStatus !== null && e.toStatus !== null && e.fromStatus !== e.toStatus ? ` (${status(e.fromStatus)}\u2192${status(e.toStatus)})` : "";
        return `${time(e.at)} ${t(isEventType(e.action) ? `event-${e.action}` : "event-other")}${moved}`;
      })
      .join("\n");

  const files = (list: readonly CaseFileEntry[]) =>
    list
      .map((f, i) => {
        const state =
          f.status === "archived" && f.sha256 !== null
            ? `${caseFileName(f, i + 1)} sha256:${f.sha256}`
            : f.status === "unavailable"
              ? t(f.reason === "too_big" ? "ledger-file-too-big" : "ledger-file-gone")
              : t("ledger-file-pending");
        return `${time(f.at)} ${t(isEventType(f.action) ? `event-${f.action}` : "event-other")} ${known(`ledger-file-${f.kind}`) ?? f.kind} ${state}`;
      })
      .join("\n");

  const rows = items.map((c) => {
    const { resolvedAt, closedAt } = outcome(c.events);
    // What was done, while the case stands on it (a rectification sent back is not the outcome).
    const done = resolvedAt === null ? null : latestResolution(c.events);
    const cells: Record<LedgerColumnKey, LedgerCell> = {
      number: c.number,
      kind: t(`kind-${c.kind}`),
      source: c.sourceRef ? `${t(`source-${c.source}`)} ${c.sourceRef}` : t(`source-${c.source}`),
      status: status(c.status),
      severity: t(`severity-${c.severity}`),
      sector: name(c.sector),
      region: name(c.region),
      address: c.address ?? "",
      description: c.description,
      unit: name(c.unit),
      supervision: yesNo(c.supervision === "listed"),
      createdAt: time(c.createdAt),
      dueAt: time(c.dueAt),
      resolvedAt: time(resolvedAt),
      measures: done?.measures ?? "",
      responsible: done?.responsible ?? "",
      closedAt: time(closedAt),
      overdue: yesNo(isOverdue(c, resolvedAt ?? closedAt, now)),
      rating: c.rating,
      ratingComment: c.ratingComment ?? "",
      reporter: t(c.anonymous ? "ledger-reporter-anonymous" : "ledger-reporter-named"),
      timeline: timeline(c.events),
      files: files(c.files ?? []),
    };
    return COLUMNS.map((col) => cells[col.key]);
  });
  return { columns: COLUMNS.map((col) => ({ key: col.key, header: t(col.header), width: col.width, wrap: col.wrap === true })), rows };
}

// ── CSV ──────────────────────────────────────────────────────────────────────────────────

/**
 * Text a spreadsheet would take for a formula (CSV formula injection, OWASP): `=`, `+`, `-`,
 * `@`, and the tab and carriage return that some programs skip before one. Citizens write
 * the descriptions, so such a cell gets a leading apostrophe and is shown as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(cell: LedgerCell): string {
  if (cell === null) return "";
  let text = String(cell);
  if (typeof cell === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The table as RFC 4180 CSV: fields with a comma, quote or line break quoted, quotes
 * doubled, CRLF after every record, and a UTF-8 byte order mark first, without which Excel
 * reads the file in the machine's ANSI code page and garbles the Chinese. Written here
 * rather than with a library: quoting is a few lines, and the injection guard is ours anyway.
 */
export function toCsv(columns: readonly LedgerColumn[], rows: readonly LedgerCell[][]): string {
  const line = (cells: readonly LedgerCell[]) => `${cells.map(csvField).join(",")}\r\n`;
  return `\uFEFF${line(columns.map((c) => c.header))}${rows.map(line).join("")}`;
}

// ── XLSX ─────────────────────────────────────────────────────────────────────────────────

/** Excel refuses (offers to "repair") a cell of more than 32,767 characters. */
const XLSX_CELL_CHARS = 32_767;

const clipCell = (text: string) => (text.length <= XLSX_CELL_CHARS ? text : `${text.slice(0, XLSX_CELL_CHARS - 1)}\u2026`);

/**
 * The table as an XLSX workbook of one sheet (write-excel-file, pure JS over fflate): bold
 * header row kept in view while scrolling, the columns' widths, long text wrapped and every
 * row's cells aligned to the top, so a tall timeline does not push its case's number out of
 * sight. Strings are string cells, never formulas, so no injection guard is needed here and
 * the citizen's text stays exactly as written.
 */
export async function toXlsx(columns: readonly LedgerColumn[], rows: readonly LedgerCell[][], sheet = "Ledger"): Promise<Uint8Array> {
  const cell = (value: LedgerCell, column: LedgerColumn | undefined): Cell => {
    if (value === null || value === "") return null;
    if (typeof value === "number") return { value, type: Number, alignVertical: "top" };
    return { value: clipCell(value), type: String, alignVertical: "top", wrap: column?.wrap === true };
  };
  const data: SheetData = [
    columns.map((c) => ({ value: c.header, type: String, fontWeight: "bold" as const, alignVertical: "center" as const })),
    ...rows.map((row) => row.map((value, i) => cell(value, columns[i]))),
  ];
  const blob = await writeXlsxFile(data, {
    sheet: sheetName(sheet),
    columns: columns.map((c) => ({ width: c.width })),
    stickyRowsCount: 1,
  }).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}

/** A sheet name Excel accepts: at most 31 characters, none of : \ / ? * [ ]. */
function sheetName(name: string): string {
  return [...name.replace(/[:\\/?*[\]]/g, " ").trim()].slice(0, 31).join("") || "Ledger";
}
