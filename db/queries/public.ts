/** What may be published about a case: never its reporter, who lives in case_reporters. */
import { eq } from "drizzle-orm";
import type { Executor } from "../client";
import { cases, regions, sectors, units } from "../schema";

export async function publicCase(ex: Executor, caseId: number) {
  const [row] = await ex
    .select({
      number: cases.number,
      status: cases.status,
      supervision: cases.supervision,
      description: cases.description,
      dueAt: cases.dueAt,
      closedAt: cases.closedAt,
      updatedAt: cases.updatedAt,
      sector: { nameZh: sectors.nameZh, nameEn: sectors.nameEn },
      region: { nameZh: regions.nameZh, nameEn: regions.nameEn },
      unit: { nameZh: units.nameZh, nameEn: units.nameEn },
    })
    .from(cases)
    .leftJoin(sectors, eq(sectors.id, cases.sectorId))
    .leftJoin(regions, eq(regions.id, cases.regionId))
    .leftJoin(units, eq(units.id, cases.unitId))
    .where(eq(cases.id, caseId));
  return row;
}
