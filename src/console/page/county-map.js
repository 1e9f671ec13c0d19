// The county's geometry for the pages that draw it from the directory's own region areas (no map
// tiles, nothing from the network): the console, the playground, which loads this file from
// /console/county-map.js (local mode serves the console too), and the web report form, which
// loads it from /site/county-map.js. A plain script: its names are shared with the page's own
// script, loaded after it.

/** Metres in a degree of latitude (and of longitude at the equator). */
const M_PER_DEG = 111_320;

// Also read by console.js, a plain script loaded after this one.
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

// Also read by console.js, a plain script loaded after this one.
function centre(points) {
  const sum = points.reduce((s, p) => ({ lat: s.lat + p.lat, lng: s.lng + p.lng }), { lat: 0, lng: 0 });
  return { lat: sum.lat / points.length, lng: sum.lng / points.length };
}

const SVG_NS = "http://www.w3.org/2000/svg";

// Also read by console.js.
function svgNode(tag, attrs) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
  return node;
}

/**
 * The county as an SVG to pick a place on: regions as shapes named in `lang` (towns labelled),
 * `pin` marked; a click marks the place and calls `onPick(lat, lng, regionId)` with the region
 * clicked (its shape's data-region), if `onPick` is given. The playground and the web form.
 */
// biome-ignore lint/correctness/noUnusedVariables: read by play.js and report.js, plain scripts loaded after this one
function pickMap(regions, { lang, onPick, pin } = {}) {
  const b = bounds(regions);
  const cos = Math.cos((((b.minLat + b.maxLat) / 2) * Math.PI) / 180);
  const width = 600;
  const scale = width / Math.max(1e-9, (b.maxLng - b.minLng) * cos);
  const height = Math.max(1, (b.maxLat - b.minLat) * scale);
  const x = (lng) => (lng - b.minLng) * cos * scale;
  const y = (lat) => (b.maxLat - lat) * scale;
  const map = svgNode("svg", { viewBox: `0 0 ${width} ${height.toFixed(1)}`, class: "county", role: "img" });
  const colours = ["#dbeafe", "#dcfce7", "#fef9c3", "#fce7f3", "#ede9fe", "#ffedd5"];
  const order = { county: 0, town: 1, village: 2 };
  [...regions]
    .sort((p, q) => order[p.level] - order[q.level])
    .forEach((r, i) => {
      const fill = r.level === "county" ? "#f8fafc" : r.level === "village" ? "rgba(148,163,184,.35)" : colours[i % colours.length];
      const shape =
        r.area.kind === "polygon"
          ? svgNode("polygon", { points: r.area.points.map((p) => `${x(p.lng).toFixed(1)},${y(p.lat).toFixed(1)}`).join(" ") })
          : svgNode("circle", {
              cx: x(r.area.center.lng).toFixed(1),
              cy: y(r.area.center.lat).toFixed(1),
              r: ((r.area.radiusM / M_PER_DEG) * scale).toFixed(1),
            });
      shape.setAttribute("fill", fill);
      shape.setAttribute("stroke", "#64748b");
      shape.setAttribute("data-region", r.id);
      const name = lang === "en" ? r.nameEn || r.nameZh : r.nameZh;
      shape.append(Object.assign(svgNode("title"), { textContent: name }));
      map.append(shape);
      if (r.level === "town") {
        const c = r.area.kind === "polygon" ? centre(r.area.points) : r.area.center;
        const label = svgNode("text", { x: x(c.lng).toFixed(1), y: y(c.lat).toFixed(1), "text-anchor": "middle", class: "label" });
        label.textContent = name;
        map.append(label);
      }
    });
  if (pin) map.append(svgNode("circle", { cx: x(pin.lng), cy: y(pin.lat), r: 7, class: "pin" }));
  if (onPick) {
    map.addEventListener("click", (event) => {
      const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(map.getScreenCTM().inverse());
      const lat = b.maxLat - point.y / scale;
      const lng = b.minLng + point.x / (cos * scale);
      map.querySelector(".pin")?.remove();
      map.append(svgNode("circle", { cx: point.x, cy: point.y, r: 7, class: "pin" }));
      onPick(Number(lat.toFixed(6)), Number(lng.toFixed(6)), event.target.closest?.("[data-region]")?.getAttribute("data-region") ?? null);
    });
  }
  return map;
}
