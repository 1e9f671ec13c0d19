/** Queries on the directory: sectors, regions and units, as the citizen side reads them. */
import { asc, eq, inArray, or } from "drizzle-orm";
import type { Db } from "../client";
import { regions, sectors, units } from "../schema";

export function listSectors(db: Db) {
  return db.select().from(sectors).orderBy(asc(sectors.sort), asc(sectors.id));
}

/** Towns and streets: the regions a citizen picks from (the county's children). */
export function listTowns(db: Db) {
  return db.select().from(regions).where(eq(regions.level, "town")).orderBy(asc(regions.nameZh));
}

export function listRegions(db: Db) {
  return db.select().from(regions);
}

export async function findSector(db: Db, id: string) {
  const [row] = await db.select().from(sectors).where(eq(sectors.id, id));
  return row ?? null;
}

export async function findRegion(db: Db, id: string) {
  const [row] = await db.select().from(regions).where(eq(regions.id, id));
  return row ?? null;
}

export async function unitNames(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select({ id: units.id, nameZh: units.nameZh, nameEn: units.nameEn }).from(units).where(inArray(units.id, ids));
}

/**
 * The row a person means by `ref`: its id, or its Chinese or English name. An id wins; a name
 * that more than one row bears means none (null), as with units (findUnitByIdOrName).
 */
const meant = <T extends { id: string }>(rows: T[], ref: string) => rows.find((r) => r.id === ref) ?? (rows.length === 1 ? rows[0]! : null);

export async function findRegionByIdOrName(db: Db, ref: string) {
  return meant(
    await db
      .select()
      .from(regions)
      .where(or(eq(regions.id, ref), eq(regions.nameZh, ref), eq(regions.nameEn, ref))),
    ref,
  );
}

export async function findSectorByIdOrName(db: Db, ref: string) {
  return meant(
    await db
      .select()
      .from(sectors)
      .where(or(eq(sectors.id, ref), eq(sectors.nameZh, ref), eq(sectors.nameEn, ref))),
    ref,
  );
}

/** The office's own unit (kind office; the first by id if the directory has several), or null. */
export async function findOfficeUnit(db: Db) {
  const [row] = await db.select().from(units).where(eq(units.kind, "office")).orderBy(asc(units.id)).limit(1);
  return row ?? null;
}
