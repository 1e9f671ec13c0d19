/** The directory as the citizen flows read it: sectors to choose, towns to pick, areas for pins. */
import type { Db } from "../../db/client";
import { findRegion, findSector, listRegions, listSectors, listTowns } from "../../db/queries/directory";
import { type LatLng, parseRegionArea, regionForPoint } from "../domain/geo";

export function directoryService(db: Db) {
  return {
    sectors: () => listSectors(db),
    towns: () => listTowns(db),
    sector: (id: string) => findSector(db, id),
    region: (id: string) => findRegion(db, id),
    /** The county and its towns with their areas, for a public map (villages are too fine for a passer-by's pick). */
    async mapRegions() {
      return (await listRegions(db)).flatMap((r) => {
        const area = parseRegionArea(r.area);
        return area === null || r.level === "village" ? [] : [{ id: r.id, nameZh: r.nameZh, nameEn: r.nameEn, level: r.level, area }];
      });
    },
    /** The most specific region whose area holds the pin, or null. */
    async regionAt(point: LatLng) {
      const regions = (await listRegions(db)).map((r) => ({ ...r, area: parseRegionArea(r.area) }));
      return regionForPoint(regions, point);
    },
  };
}

export type DirectoryService = ReturnType<typeof directoryService>;
