/**
 * What the office's console reads (src/services/console.ts): the filtered case lists with the
 * count beside every filter choice, the map's markers, a case's files and duplicate hints, and
 * the dashboard's daily trend. Every count is taken in SQL (GROUP BY), never by reading rows
 * into JavaScript. Nothing here reads `case_reporters`: a list is read by liaisons too.
 */
import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { CaseView } from "../../src/console/contract";
import type { Range } from "../../src/domain/reports";
import { type CaseKind, type CaseStatus, OPEN_STATUSES } from "../../src/domain/workflow";
import type { Executor } from "../client";
import { archiveFiles, attachments, caseEvents, caseLinks, cases } from "../schema";

/** A list's question, already read and checked: the filters of CaseFilter, with who asks. */
export interface CaseQuery {
  /** The units whose cases the viewer sees (as owner or as a transfer's target); null: the whole office. */
  visibleUnits: string[] | null;
  /** The viewer's own units, for the "mine" view. */
  ownUnits: string[];
  view?: CaseView;
  status?: CaseStatus;
  kind?: CaseKind;
  sector?: string;
  /** A region with every region under it. */
  regionIds?: string[];
  unit?: string;
  /** Created in [from, to). */
  created?: Partial<Range>;
  overdue?: boolean;
  supervised?: boolean;
  /** A tracking number, matched exactly. */
  number?: string;
  /** The cases whose description holds the searched words (casesWithWords), found once per request. */
  ids?: number[];
  now: number;
}

/** The filters that have a count beside each of their choices. */
const DIMENSIONS = ["status", "kind", "sector", "region", "unit"] as const;
type Dimension = (typeof DIMENSIONS)[number] | "overdue" | "supervised";

const OPEN = [...OPEN_STATUSES];
const isOpenCase = () => inArray(cases.status, OPEN);
const overdueNow = (now: number) => and(isOpenCase(), lt(cases.dueAt, now));
const listed = () => and(eq(cases.supervision, "listed"), isOpenCase());

/** Cases of these units, as owner or as the target of a transfer waiting to be taken over. */
export function ofUnits(unitIds: readonly string[]): SQL {
  if (unitIds.length === 0) return sql`0`;
  const ids = sql.join(
    unitIds.map((id) => sql`${id}`),
    sql`, `,
  );
  return or(inArray(cases.unitId, [...unitIds]), sql`json_extract(${cases.pendingTransfer}, '$.toUnitId') in (${ids})`)!;
}

function viewCondition(view: CaseView | undefined, q: CaseQuery): SQL | undefined {
  switch (view) {
    case "queue":
      return and(eq(cases.status, "new"), isNull(cases.unitId));
    case "mine":
      return and(q.ownUnits.length === 0 ? sql`0` : inArray(cases.unitId, q.ownUnits), isOpenCase());
    case "supervised":
      return listed();
    case "overdue":
      return overdueNow(q.now);
    case "open":
      return isOpenCase();
    case "all":
    case undefined:
      return undefined;
  }
}

/** `%`, `_` and the escape itself, taken literally by LIKE … ESCAPE '\'. */
const likePattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The newest cases (at most `limit`) whose description holds every word, among those of these
 * units (null: all). A word search cannot use an index (LIKE '%...%'), so the scan is made
 * once and the list, its counts and the map then select by these ids, on the primary key:
 * nine scans per request took 650 ms at 100k cases. Newest first, the scan stops at `limit`.
 */
export async function casesWithWords(db: Executor, words: readonly string[], visibleUnits: string[] | null, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: cases.id })
    .from(cases)
    .where(
      and(
        visibleUnits === null ? undefined : ofUnits(visibleUnits),
        ...words.map((w) => sql`${cases.description} like ${likePattern(w)} escape '\\'`),
      ),
    )
    .orderBy(desc(cases.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Every condition of the query but the one of `except` (a count beside a filter's choices leaves that filter out). */
function conditions(q: CaseQuery, except?: Dimension): SQL | undefined {
  const all: Array<SQL | undefined> = [
    q.visibleUnits === null ? undefined : ofUnits(q.visibleUnits),
    viewCondition(q.view, q),
    q.status && except !== "status" ? eq(cases.status, q.status) : undefined,
    q.kind && except !== "kind" ? eq(cases.kind, q.kind) : undefined,
    q.sector && except !== "sector" ? eq(cases.sectorId, q.sector) : undefined,
    q.regionIds && except !== "region" ? inArray(cases.regionId, q.regionIds) : undefined,
    q.unit && except !== "unit" ? eq(cases.unitId, q.unit) : undefined,
    q.created?.from !== undefined ? gte(cases.createdAt, q.created.from) : undefined,
    q.created?.to !== undefined ? lt(cases.createdAt, q.created.to) : undefined,
    q.overdue && except !== "overdue" ? overdueNow(q.now) : undefined,
    q.supervised && except !== "supervised" ? listed() : undefined,
    q.number !== undefined ? eq(cases.number, q.number) : undefined,
    q.ids !== undefined ? inArray(cases.id, q.ids) : undefined,
  ];
  return and(...all);
}

/** What a list or the map shows of a case: never the reporter, and the description's first words only. */
const SUMMARY_CHARS = 80;
export const summaryColumns = {
  id: cases.id,
  number: cases.number,
  kind: cases.kind,
  status: cases.status,
  severity: cases.severity,
  sectorId: cases.sectorId,
  regionId: cases.regionId,
  unitId: cases.unitId,
  createdAt: cases.createdAt,
  dueAt: cases.dueAt,
  supervision: cases.supervision,
  summary: sql<string>`substr(${cases.description}, 1, ${SUMMARY_CHARS})`,
  lat: cases.latitude,
  lon: cases.longitude,
};

/** One page of the list, in the order asked, with how many match in all. */
export async function listCases(db: Executor, q: CaseQuery, page: { sort: "due" | "age"; offset: number; limit: number }) {
  const where = conditions(q);
  const order = page.sort === "due" ? [sql`${cases.dueAt} is null`, asc(cases.dueAt), asc(cases.id)] : [asc(cases.createdAt), asc(cases.id)];
  const [items, [total]] = await Promise.all([
    db
      .select(summaryColumns)
      .from(cases)
      .where(where)
      .orderBy(...order)
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: count() }).from(cases).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

const DIMENSION_COLUMN = { status: cases.status, kind: cases.kind, sector: cases.sectorId, region: cases.regionId, unit: cases.unitId } as const;

/** How many cases each choice of each filter would leave, the other filters applied: one GROUP BY per filter. */
export async function filterCounts(db: Executor, q: CaseQuery) {
  const grouped = await Promise.all(
    DIMENSIONS.map(async (d) => {
      const column = DIMENSION_COLUMN[d];
      const rows = await db.select({ value: column, n: count() }).from(cases).where(conditions(q, d)).groupBy(column);
      return [d, Object.fromEntries(rows.filter((r) => r.value !== null).map((r) => [r.value, r.n]))] as const;
    }),
  );
  const flag = async (d: "overdue" | "supervised", condition: SQL | undefined) =>
    (
      await db
        .select({ n: count() })
        .from(cases)
        .where(and(conditions(q, d), condition))
    )[0]?.n ?? 0;
  const [overdue, supervised] = await Promise.all([flag("overdue", overdueNow(q.now)), flag("supervised", listed())]);
  return { ...(Object.fromEntries(grouped) as Record<(typeof DIMENSIONS)[number], Record<string, number>>), overdue, supervised };
}

/** The map: open cases with a pin, the most urgent first (major, urgent, then ordinary; the earliest deadline first), and how many in all. */
export async function mapCases(db: Executor, q: CaseQuery, limit: number) {
  const where = and(conditions(q), isOpenCase(), isNotNull(cases.latitude), isNotNull(cases.longitude));
  const [markers, [total]] = await Promise.all([
    db
      .select(summaryColumns)
      .from(cases)
      .where(where)
      .orderBy(
        sql`case ${cases.severity} when 'major' then 0 when 'urgent' then 1 else 2 end`,
        sql`${cases.dueAt} is null`,
        asc(cases.dueAt),
        asc(cases.id),
      )
      .limit(limit),
    db.select({ n: count() }).from(cases).where(where),
  ]);
  return { markers, total: total?.n ?? 0 };
}

/** A case as a list shows it. */
export async function caseSummary(db: Executor, caseId: number) {
  const [row] = await db.select(summaryColumns).from(cases).where(eq(cases.id, caseId));
  return row ?? null;
}

export type SummaryRow = NonNullable<Awaited<ReturnType<typeof caseSummary>>>;

/** The open cases intake suggested this one may duplicate, those the viewer may see. */
export function duplicateSummaries(db: Executor, caseId: number, visibleUnits: string[] | null) {
  return db
    .select(summaryColumns)
    .from(caseLinks)
    .innerJoin(cases, eq(cases.id, caseLinks.otherCaseId))
    .where(
      and(
        eq(caseLinks.caseId, caseId),
        eq(caseLinks.kind, "possible_duplicate"),
        eq(caseLinks.status, "open"),
        visibleUnits === null ? undefined : ofUnits(visibleUnits),
      ),
    )
    .orderBy(asc(cases.id));
}

/** The files of a case in the order received, each with the step it came with and where the archive has it. */
export function filesOfCase(db: Executor, caseId: number) {
  return db
    .select({
      fileUniqueId: attachments.fileUniqueId,
      kind: attachments.kind,
      at: caseEvents.at,
      step: caseEvents.action,
      status: archiveFiles.status,
    })
    .from(attachments)
    .innerJoin(caseEvents, eq(caseEvents.id, attachments.eventId))
    .leftJoin(archiveFiles, eq(archiveFiles.fileUniqueId, attachments.fileUniqueId))
    .where(eq(attachments.caseId, caseId))
    .orderBy(asc(attachments.id));
}

/** The archived copy of one of the case's files: only a file the case itself received. */
export async function archivedFileOfCase(db: Executor, caseId: number, fileUniqueId: string) {
  const [row] = await db
    .select({ sha256: archiveFiles.sha256, ext: archiveFiles.ext, kind: archiveFiles.kind })
    .from(attachments)
    .innerJoin(archiveFiles, eq(archiveFiles.fileUniqueId, attachments.fileUniqueId))
    .where(and(eq(attachments.caseId, caseId), eq(attachments.fileUniqueId, fileUniqueId), eq(archiveFiles.status, "archived")))
    .limit(1);
  return row?.sha256 ? { ...row, sha256: row.sha256 } : null;
}

/**
 * Cases opened and closed on each day, counted in SQL: each day a window of instants (the
 * office's midnights, so any time zone is right), each count an index range
 * (`cases_created_idx`, `cases_closed_idx`). In a region (and those under it) if asked.
 */
export async function dailyTrend(db: Executor, days: readonly Range[], regionIds: string[] | null) {
  if (days.length === 0) return [];
  const windows = sql.join(
    days.map((d, i) => sql`(${i}, ${d.from}, ${d.to})`),
    sql`, `,
  );
  const area = (alias: string) =>
    regionIds === null
      ? sql``
      : sql` and ${sql.raw(alias)}."region_id" in (${sql.join(
          regionIds.map((id) => sql`${id}`),
          sql`, `,
        )})`;
  const rows = await db.all<{ i: number; opened: number; closed: number }>(sql`
    with days(i, f, t) as (values ${windows})
    select days.i as i,
      (select count(*) from "cases" o where o."created_at" >= days.f and o."created_at" < days.t${area("o")}) as opened,
      (select count(*) from "cases" c where c."closed_at" >= days.f and c."closed_at" < days.t${area("c")}) as closed
    from days order by days.i`);
  return rows.map((r) => ({ opened: Number(r.opened), closed: Number(r.closed) }));
}
