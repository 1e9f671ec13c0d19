/** The smallest directory the staff tests need: a county, one town with its station, the office. */
import { eq } from "drizzle-orm";
import { createDb, type Db } from "../../db/client";
import { regions, routes, units } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "./db";

/** Town A's area, when a test maps it: a pin within 3 km of its centre lands there. */
export const TOWN_A_AREA = { lat: 36.9, lng: 115.9, radiusM: 3000 };

/** With `mapped`, town A has its area (TOWN_A_AREA), so a pin in it is routed to its station. */
export async function seedSmallCounty(db: Db, opts: { mapped?: boolean } = {}): Promise<void> {
  await db.insert(regions).values([
    { id: "county", level: "county", nameZh: "清河县", nameEn: "Qinghe County" },
    { id: "town-a", parentId: "county", level: "town", nameZh: "城关镇", nameEn: "Chengguan Town", area: opts.mapped ? TOWN_A_AREA : null },
  ]);
  await db.insert(units).values([
    { id: "station-a", kind: "territorial", nameZh: "城关镇安监站", nameEn: "Chengguan Safety Station", regionId: "town-a" },
    { id: "office", kind: "office", nameZh: "县安委办", nameEn: "County Safety Office" },
  ]);
  await db.insert(routes).values({ regionId: "town-a", unitId: "station-a" });
}

/** A square of the county, from `west` to `east` degrees of longitude: GeoJSON, as the directory stores areas. */
export const square = (west: number, east: number) => ({
  type: "Polygon",
  coordinates: [
    [
      [west, 30.0],
      [east, 30.0],
      [east, 30.2],
      [west, 30.2],
    ],
  ],
});

/**
 * The small county drawn as a square for the pages' maps: town A its west half, and a second
 * town, B (河东镇), its east half, with its own station and no route (its reports wait in the
 * dispatchers' queue unless a test routes them).
 */
export async function seedSquareCounty(db: Db): Promise<void> {
  await seedSmallCounty(db);
  await db
    .update(regions)
    .set({ area: square(120.0, 120.2) })
    .where(eq(regions.id, "county"));
  await db
    .update(regions)
    .set({ area: square(120.0, 120.1) })
    .where(eq(regions.id, "town-a"));
  await db
    .insert(regions)
    .values({ id: "town-b", parentId: "county", level: "town", nameZh: "河东镇", nameEn: "Hedong Town", area: square(120.1, 120.2) });
  await db
    .insert(units)
    .values({ id: "station-b", kind: "territorial", nameZh: "河东镇安监站", nameEn: "Hedong Safety Station", regionId: "town-b" });
}

/** A fresh, migrated database with the small county in it, and drizzle over it. */
export type CountyDatabase = TestDatabase & { db: Db };

export async function countyDatabase(): Promise<CountyDatabase> {
  const database = await createTestDatabase();
  const db = createDb(database.client);
  await seedSmallCounty(db);
  return { ...database, db };
}
