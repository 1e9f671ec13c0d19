/**
 * Which unit a new case goes to, from the office's routing table. Pure: the service reads
 * the routes and the region tree and passes them in.
 *
 * A route matches a case when each of its non-null fields matches: its region is the case's
 * region or one of its ancestors, and its sector is the case's sector. Among the matches the
 * most specific wins:
 *   - score: sector matched 2 + region matched 1, so region+sector (3) > sector-only (2) >
 *     region-only (1) > catch-all with both fields null (0);
 *   - equal scores: the deeper region wins (village over town over county);
 *   - still tied: the route listed first.
 * The sector outweighs the region on purpose: a sector-wide unit such as the hazardous-
 * chemicals bureau takes its sector everywhere, even in a town that has its own general
 * route, unless the office adds a more specific region+sector route for that town.
 * No match is null: the case waits in the dispatchers' triage queue.
 */

export interface Route {
  regionId: string | null;
  sectorId: string | null;
  unitId: string;
}

export interface Region {
  id: string;
  parentId: string | null;
}

/** regionPath: the case's region and its ancestors, most specific first (village, town, county). */
export function routeCase(routes: Route[], regionPath: string[], sectorId: string | null): string | null {
  let best: { unitId: string; score: number; depth: number } | null = null;
  for (const route of routes) {
    const depth = route.regionId === null ? regionPath.length : regionPath.indexOf(route.regionId);
    if (depth === -1) continue;
    if (route.sectorId !== null && route.sectorId !== sectorId) continue;
    const score = (route.sectorId !== null ? 2 : 0) + (route.regionId !== null ? 1 : 0);
    // Strictly better only, so that among equals the first listed keeps its place.
    if (best === null || score > best.score || (score === best.score && depth < best.depth)) {
      best = { unitId: route.unitId, score, depth };
    }
  }
  return best?.unitId ?? null;
}

/**
 * The region and its ancestors, most specific first. The tree is edited by hand in the admin
 * tools, so a cycle or a dangling parent must end the walk rather than loop or throw. A
 * region missing from the list still stands for itself: a route naming it directly matches.
 */
export function regionPath(regions: Region[], regionId: string | null): string[] {
  const parents = new Map<string, string | null>();
  // The first entry for an id wins, as with routes: a repeated row does not re-parent a region.
  for (const region of regions) if (!parents.has(region.id)) parents.set(region.id, region.parentId);
  const path: string[] = [];
  for (let id = regionId; id !== null && !path.includes(id); id = parents.get(id) ?? null) path.push(id);
  return path;
}
