/**
 * Spotting a new report that may be about a hazard the office already has open, so an officer
 * can link the two instead of sending two inspectors to one warehouse. This only suggests:
 * an officer decides. The caller passes only the open cases worth comparing against.
 */
import { distanceMeters, type LatLng } from "./geo";
import { textSimilarity } from "./similarity";

/** Pins this close are likely the same site: a phone's GPS fix indoors can be off by 100 m. */
export const POSSIBLE_DUPLICATE_RADIUS_M = 200;
/** Without a pin, descriptions must share most of their wording to count. */
export const POSSIBLE_DUPLICATE_SIMILARITY = 0.6;

export type DuplicateCandidate = {
  id: number;
  sectorId: string | null;
  regionId: string | null;
  location: LatLng | null;
  description: string;
};

export type PossibleDuplicate = {
  id: number;
  reason: "nearby" | "similar_text";
  /** Set when reason is "nearby"; unrounded metres. */
  distanceM?: number;
  /** Set when reason is "similar_text"; in [0, 1]. */
  similarity?: number;
};

/**
 * Open cases in the report's sector that look like the same matter. A report with a pin is
 * compared by distance only (a pin is better evidence than wording, and cases without a pin
 * cannot be placed); a report without one is compared by wording, but only within its region,
 * since the same words ("fireworks stored in a warehouse") describe different sites in
 * different villages.
 * Nearest or most similar first; equal ones keep the oldest (lowest id) first.
 */
export function findPossibleDuplicates(report: Omit<DuplicateCandidate, "id">, openCases: DuplicateCandidate[]): PossibleDuplicate[] {
  const { sectorId, regionId, location } = report;
  if (sectorId === null) return [];
  const sameSector = openCases.filter((c) => c.sectorId === sectorId);

  if (location) {
    return sameSector
      .flatMap((c) => {
        if (!c.location) return [];
        const distanceM = distanceMeters(location, c.location);
        if (distanceM > POSSIBLE_DUPLICATE_RADIUS_M) return [];
        return [{ id: c.id, reason: "nearby" as const, distanceM }];
      })
      .sort((a, b) => a.distanceM - b.distanceM || a.id - b.id);
  }

  if (regionId === null) return [];
  return sameSector
    .flatMap((c) => {
      if (c.regionId !== regionId) return [];
      const similarity = textSimilarity(report.description, c.description);
      if (similarity < POSSIBLE_DUPLICATE_SIMILARITY) return [];
      return [{ id: c.id, reason: "similar_text" as const, similarity }];
    })
    .sort((a, b) => b.similarity - a.similarity || a.id - b.id);
}
