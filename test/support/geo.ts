/** Moving a point by metres on the same sphere the geo module measures with. */
import { EARTH_RADIUS_M, type LatLng } from "../../src/domain/geo";

/** One degree of latitude on the haversine sphere. */
export const METERS_PER_DEGREE = (EARTH_RADIUS_M * Math.PI) / 180;

export function north(p: LatLng, meters: number): LatLng {
  return { lat: p.lat + meters / METERS_PER_DEGREE, lng: p.lng };
}

export function east(p: LatLng, meters: number): LatLng {
  return { lat: p.lat, lng: p.lng + meters / (METERS_PER_DEGREE * Math.cos((p.lat * Math.PI) / 180)) };
}
