/**
 * The public page's county map, drawn on the server as SVG: the towns' areas (src/domain/geo.ts)
 * and a marker for each listed case with a pin, each marker a link to its case. No script and
 * no tiles from elsewhere (the site's CSP allows neither); at a county's scale longitude and
 * latitude drawn as a plane, widened by the cosine of the latitude, is a faithful enough picture.
 */
import { html } from "hono/html";
import { EARTH_RADIUS_M, type LatLng, type RegionArea } from "../domain/geo";

export interface MapRegion {
  name: string;
  level: string;
  area: RegionArea;
}

export interface MapMarker {
  /** The case's number, and the link to its page. */
  number: string;
  href: string;
  at: LatLng;
  closed: boolean;
}

const WIDTH = 600;
const PAD = 12;
const DEG_M = (EARTH_RADIUS_M * Math.PI) / 180;

/** The points that bound an area: a polygon's corners, a circle's box. */
function extent(area: RegionArea): LatLng[] {
  if (area.kind === "polygon") return area.points;
  const dLat = area.radiusM / DEG_M;
  const dLng = dLat / Math.cos((area.center.lat * Math.PI) / 180);
  const { lat, lng } = area.center;
  return [
    { lat: lat - dLat, lng: lng - dLng },
    { lat: lat + dLat, lng: lng + dLng },
  ];
}

/** The map as an SVG element, or nothing when no region has an area and no case a pin. */
export function countyMap(regions: readonly MapRegion[], markers: readonly MapMarker[], label: string) {
  const all = [...regions.flatMap((r) => extent(r.area)), ...markers.map((m) => m.at)];
  if (all.length === 0) return "";
  const minLat = Math.min(...all.map((p) => p.lat));
  const maxLat = Math.max(...all.map((p) => p.lat));
  const minLng = Math.min(...all.map((p) => p.lng));
  const maxLng = Math.max(...all.map((p) => p.lng));
  const xStretch = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  // A single point still gets a small square around it.
  const spanX = Math.max((maxLng - minLng) * xStretch, 0.01);
  const spanY = Math.max(maxLat - minLat, 0.01 * xStretch);
  const scale = (WIDTH - 2 * PAD) / spanX;
  const height = Math.round(spanY * scale + 2 * PAD);
  const x = (p: LatLng) => ((p.lng - minLng) * xStretch * scale + PAD).toFixed(1);
  const y = (p: LatLng) => ((maxLat - p.lat) * scale + PAD).toFixed(1);
  // Counties first, towns over them.
  const drawn = [...regions].sort((a, b) => (a.level === "county" ? 0 : 1) - (b.level === "county" ? 0 : 1));
  return html`<svg class="county-map" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${label}" xmlns="http://www.w3.org/2000/svg">
<title>${label}</title>
${drawn.map((r) =>
  r.area.kind === "polygon"
    ? html`<polygon class="region ${r.level}" points="${r.area.points.map((p) => `${x(p)},${y(p)}`).join(" ")}" fill="#e2e8f0" stroke="#64748b"><title>${r.name}</title></polygon>`
    : html`<circle class="region ${r.level}" cx="${x(r.area.center)}" cy="${y(r.area.center)}" r="${((r.area.radiusM / DEG_M) * scale).toFixed(1)}" fill="#e2e8f0" fill-opacity="0.6" stroke="#64748b"><title>${r.name}</title></circle>`,
)}
${markers.map(
  (m) =>
    html`<a href="${m.href}" class="marker"><circle cx="${x(m.at)}" cy="${y(m.at)}" r="7" fill="${m.closed ? "#16a34a" : "#dc2626"}" stroke="#fff" stroke-width="2"><title>${m.number}</title></circle></a>`,
)}
</svg>`;
}
