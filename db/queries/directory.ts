/** Queries on the directory: sectors, regions and units, as the citizen side reads them. */
import { asc, eq, inArray } from "drizzle-orm";
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
