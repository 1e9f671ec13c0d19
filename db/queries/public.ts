/**
 * What may be published about a case: never its reporter, who lives in case_reporters (no
 * query here reads that table). A case is public once it is listed for supervision (see
 * docs/glossary.md), open or closed: the public channel posts only such cases, and the public
 * page and Open311 show the same set.
 */
import { and, asc, desc, eq, gte, inArray, lt, notInArray, or, type SQL, sql } from "drizzle-orm";
import { OPEN_STATUSES } from "../../src/domain/workflow";
import type { Executor } from "../client";
import { cases, regions, sectors, units } from "../schema";

const publicColumns = {
  id: cases.id,
  number: cases.number,
  status: cases.status,
  supervision: cases.supervision,
  sectorId: cases.sectorId,
  regionId: cases.regionId,
  latitude: cases.latitude,
  longitude: cases.longitude,
  description: cases.description,
  dueAt: cases.dueAt,
  closedAt: cases.closedAt,
  createdAt: cases.createdAt,
  updatedAt: cases.updatedAt,
  sector: { nameZh: sectors.nameZh, nameEn: sectors.nameEn },
  region: { nameZh: regions.nameZh, nameEn: regions.nameEn },
  unit: { nameZh: units.nameZh, nameEn: units.nameEn },
};

function publicRows(ex: Executor) {
  return ex
    .select(publicColumns)
    .from(cases)
    .leftJoin(sectors, eq(sectors.id, cases.sectorId))
    .leftJoin(regions, eq(regions.id, cases.regionId))
    .leftJoin(units, eq(units.id, cases.unitId));
}

export type PublicCaseRow = NonNullable<Awaited<ReturnType<typeof publicCase>>>;

export async function publicCase(ex: Executor, caseId: number) {
  const [row] = await publicRows(ex).where(eq(cases.id, caseId));
  return row;
}

/** What the public list may be narrowed by; every filter is optional. */
export interface PublicCaseFilter {
  /** A town: its own cases and its villages'. */
  townId?: string;
  sectorIds?: readonly string[];
  numbers?: readonly string[];
  status?: "open" | "closed";
  /** Received at or after / before (ms). */
  from?: number;
  to?: number;
  limit: number;
}

const isListed = () => eq(cases.supervision, "listed");

/** The public cases, newest first, by `cases_supervision_idx`. */
export async function listedCases(ex: Executor, f: PublicCaseFilter) {
  const where: SQL[] = [isListed()];
  if (f.townId !== undefined)
    where.push(
      or(eq(cases.regionId, f.townId), inArray(cases.regionId, ex.select({ id: regions.id }).from(regions).where(eq(regions.parentId, f.townId))))!,
    );
  if (f.sectorIds !== undefined) where.push(f.sectorIds.length === 0 ? sql`0` : inArray(cases.sectorId, [...f.sectorIds]));
  if (f.numbers !== undefined) where.push(f.numbers.length === 0 ? sql`0` : inArray(cases.number, [...f.numbers]));
  if (f.status === "open") where.push(inArray(cases.status, [...OPEN_STATUSES]));
  if (f.status === "closed") where.push(notInArray(cases.status, [...OPEN_STATUSES]));
  if (f.from !== undefined) where.push(gte(cases.createdAt, f.from));
  if (f.to !== undefined) where.push(lt(cases.createdAt, f.to));
  return publicRows(ex)
    .where(and(...where))
    .orderBy(desc(cases.createdAt), asc(cases.id))
    .limit(f.limit);
}

/** A public case by its number; undefined when there is none or it is not listed. */
export async function listedCaseByNumber(ex: Executor, number: string) {
  const [row] = await publicRows(ex).where(and(eq(cases.number, number), isListed()));
  return row;
}
