// The county's geometry for the pages that draw it from the directory's own region areas (no map
// tiles, nothing from the network): the console, and the playground, which loads this file from
// /console/county-map.js (local mode serves the console too). A plain script: its names are
// shared with the page's own script, loaded after it.

/** Metres in a degree of latitude (and of longitude at the equator). */
const M_PER_DEG = 111_320;

// biome-ignore lint/correctness/noUnusedVariables: read by console.js and play.js, plain scripts loaded after this one
function bounds(regions) {
  let minLat = 90,
    maxLat = -90,
    minLng = 180,
    maxLng = -180;
  const take = (lat, lng) => {
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
    minLng = Math.min(minLng, lng);
    maxLng = Math.max(maxLng, lng);
  };
  for (const r of regions) {
    if (r.area.kind === "polygon") for (const p of r.area.points) take(p.lat, p.lng);
    else {
      const dLat = r.area.radiusM / M_PER_DEG;
      const dLng = r.area.radiusM / (M_PER_DEG * Math.cos((r.area.center.lat * Math.PI) / 180));
      take(r.area.center.lat - dLat, r.area.center.lng - dLng);
      take(r.area.center.lat + dLat, r.area.center.lng + dLng);
    }
  }
  return { minLat, maxLat, minLng, maxLng };
}

// biome-ignore lint/correctness/noUnusedVariables: read by console.js and play.js, plain scripts loaded after this one
function centre(points) {
  const sum = points.reduce((s, p) => ({ lat: s.lat + p.lat, lng: s.lng + p.lng }), { lat: 0, lng: 0 });
  return { lat: sum.lat / points.length, lng: sum.lng / points.length };
}
