/**
 * Where things are: distances between pins, the shapes of administrative regions as we store
 * them, and which region a reported location falls in. Works at the scale of a county, where
 * treating longitude and latitude as a flat plane is good enough to decide "inside or not".
 */

export type LatLng = { lat: number; lng: number };

export type RegionArea =
  | { kind: "circle"; center: LatLng; radiusM: number }
  /** A simple ring; the first point is not repeated at the end. */
  | { kind: "polygon"; points: LatLng[] };

/** Mean earth radius (IUGG), the usual choice for haversine. */
export const EARTH_RADIUS_M = 6371008.8;

// Half the earth's circumference: a larger "radius" would not describe a circle at all.
const MAX_RADIUS_M = Math.PI * EARTH_RADIUS_M;

const RAD = Math.PI / 180;

export function isValidLatLng(p: unknown): p is LatLng {
  if (typeof p !== "object" || p === null) return false;
  const { lat, lng } = p as Record<string, unknown>;
  return isInRange(lat, -90, 90) && isInRange(lng, -180, 180);
}

/** Great-circle distance by the haversine formula. */
export function distanceMeters(a: LatLng, b: LatLng): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLng = (b.lng - a.lng) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLng / 2) ** 2;
  // min() guards asin against rounding just above 1 for antipodal points.
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Reads a region's stored area. Two forms are stored: a circle `{ lat, lng, radiusM }` for
 * places only known by a centre and a rough reach, and a GeoJSON Polygon (positions are
 * [lng, lat], as GeoJSON orders them) for drawn boundaries. Holes are ignored: no town we
 * serve has an enclave another region claims. The value may also be the JSON text itself,
 * since a text column hands it over unparsed. Anything malformed or out of range is null,
 * so a bad row makes a region unmappable rather than wrong.
 */
export function parseRegionArea(value: unknown): RegionArea | null {
  if (typeof value === "string") {
    try {
      return parseRegionArea(JSON.parse(value) as unknown);
    } catch {
      return null;
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  if (record.type === "Polygon") return parsePolygon(record.coordinates);
  if ("radiusM" in record) {
    const center = { lat: record.lat, lng: record.lng };
    const { radiusM } = record;
    if (!isValidLatLng(center)) return null;
    if (typeof radiusM !== "number" || !(radiusM > 0) || radiusM > MAX_RADIUS_M) return null;
    return { kind: "circle", center: { lat: center.lat, lng: center.lng }, radiusM };
  }
  return null;
}

function parsePolygon(coordinates: unknown): RegionArea | null {
  if (!Array.isArray(coordinates)) return null;
  const ring: unknown = coordinates[0];
  if (!Array.isArray(ring)) return null;
  const points: LatLng[] = [];
  for (const position of ring) {
    // GeoJSON allows a third (altitude) element; we have no use for it.
    if (!Array.isArray(position) || position.length < 2) return null;
    const point = { lat: position[1] as unknown, lng: position[0] as unknown };
    if (!isValidLatLng(point)) return null;
    points.push({ lat: point.lat, lng: point.lng });
  }
  const first = points[0];
  const last = points[points.length - 1];
  if (points.length > 1 && first && last && first.lat === last.lat && first.lng === last.lng) points.pop();
  if (points.length < 3) return null;
  return { kind: "polygon", points };
}

/** Whether the point lies in the area. Points exactly on a polygon's edge may go either way. */
export function contains(area: RegionArea, p: LatLng): boolean {
  if (area.kind === "circle") return distanceMeters(area.center, p) <= area.radiusM;
  // Ray casting towards +lng, with lng/lat as plane coordinates.
  const { points } = area;
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const a = points[i];
    const b = points[j];
    if (!a || !b) continue;
    if (a.lat > p.lat !== b.lat > p.lat) {
      const crossingLng = a.lng + ((p.lat - a.lat) * (b.lng - a.lng)) / (b.lat - a.lat);
      if (p.lng < crossingLng) inside = !inside;
    }
  }
  return inside;
}

/**
 * Approximate area in square metres, only used to rank overlapping regions. Polygons use the
 * shoelace formula on an equirectangular projection centred on the ring's mean latitude.
 */
export function areaSquareMeters(area: RegionArea): number {
  if (area.kind === "circle") return Math.PI * area.radiusM ** 2;
  const { points } = area;
  const meanLat = points.reduce((sum, p) => sum + p.lat, 0) / points.length;
  const xScale = EARTH_RADIUS_M * RAD * Math.cos(meanLat * RAD);
  const yScale = EARTH_RADIUS_M * RAD;
  let twiceArea = 0;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const a = points[j];
    const b = points[i];
    if (!a || !b) continue;
    twiceArea += a.lng * xScale * (b.lat * yScale) - b.lng * xScale * (a.lat * yScale);
  }
  return Math.abs(twiceArea) / 2;
}

// Smaller is more specific. A level we do not know is treated as broader than a county.
const LEVEL_RANK = new Map<string, number>([
  ["village", 0],
  ["town", 1],
  ["county", 2],
]);
const UNKNOWN_LEVEL_RANK = 3;

/**
 * The most specific region containing the point, so a report lands with the office closest to
 * it: a village beats a town beats a county; among regions of one level the smallest area
 * wins (overlapping circles are common where boundaries were never drawn). On a full tie the
 * earlier region in the list wins. Regions without an area are never chosen.
 */
export function regionForPoint<R extends { id: string; area: RegionArea | null; level: string }>(regions: R[], p: LatLng): R | null {
  let best: { region: R; rank: number; size: number } | null = null;
  for (const region of regions) {
    if (!region.area || !contains(region.area, p)) continue;
    const rank = LEVEL_RANK.get(region.level) ?? UNKNOWN_LEVEL_RANK;
    const size = areaSquareMeters(region.area);
    if (!best || rank < best.rank || (rank === best.rank && size < best.size)) best = { region, rank, size };
  }
  return best?.region ?? null;
}

function isInRange(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= min && value <= max;
}
