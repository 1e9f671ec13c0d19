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
    /** The most specific region whose area holds the pin, or null. */
    async regionAt(point: LatLng) {
      const regions = (await listRegions(db)).map((r) => ({ ...r, area: parseRegionArea(r.area) }));
      return regionForPoint(regions, point);
    },
  };
}

export type DirectoryService = ReturnType<typeof directoryService>;
