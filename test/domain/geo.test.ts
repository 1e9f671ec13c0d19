import { describe, expect, it } from "vitest";
import {
  areaSquareMeters,
  contains,
  distanceMeters,
  EARTH_RADIUS_M,
  isValidLatLng,
  type LatLng,
  parseRegionArea,
  type RegionArea,
  regionForPoint,
} from "../../src/domain/geo";
import { east, METERS_PER_DEGREE, north } from "../support/geo";

const town: LatLng = { lat: 31.2304, lng: 121.4737 };

/** A square polygon of the given side, centred on c, as parsed areas are. */
function square(c: LatLng, sideM: number): RegionArea {
  const h = sideM / 2;
  return {
    kind: "polygon",
    points: [east(north(c, -h), -h), east(north(c, -h), h), east(north(c, h), h), east(north(c, h), -h)],
  };
}

describe("distanceMeters", () => {
  it("is zero from a point to itself", () => {
    expect(distanceMeters(town, town)).toBe(0);
  });

  it("measures one degree along a meridian as πR/180", () => {
    expect(distanceMeters({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(METERS_PER_DEGREE, 6);
  });

  it("measures one degree along the equator the same as along a meridian", () => {
    expect(distanceMeters({ lat: 0, lng: 10 }, { lat: 0, lng: 11 })).toBeCloseTo(METERS_PER_DEGREE, 6);
  });

  it("shrinks a degree of longitude by cos(latitude) away from the equator", () => {
    const d = distanceMeters({ lat: 60, lng: 0 }, { lat: 60, lng: 0.001 });
    expect(d).toBeCloseTo(METERS_PER_DEGREE * 0.001 * 0.5, 2);
  });

  it("is symmetric", () => {
    const b = { lat: 39.9087, lng: 116.3975 };
    expect(distanceMeters(town, b)).toBe(distanceMeters(b, town));
  });

  it("puts Beijing's Tiananmen about 1068 km from Shanghai's People's Square", () => {
    const d = distanceMeters({ lat: 39.9087, lng: 116.3975 }, town);
    expect(d / 1000).toBeGreaterThan(1060);
    expect(d / 1000).toBeLessThan(1075);
  });

  it("gives half the circumference between antipodes without NaN", () => {
    expect(distanceMeters({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(Math.PI * EARTH_RADIUS_M, 3);
    expect(distanceMeters({ lat: 90, lng: 0 }, { lat: -90, lng: 0 })).toBeCloseTo(Math.PI * EARTH_RADIUS_M, 3);
  });

  it("crosses the antimeridian the short way", () => {
    expect(distanceMeters({ lat: 0, lng: 179.5 }, { lat: 0, lng: -179.5 })).toBeCloseTo(METERS_PER_DEGREE, 6);
  });
});

describe("isValidLatLng", () => {
  it.each([
    [{ lat: 0, lng: 0 }, true],
    [{ lat: 90, lng: 180 }, true],
    [{ lat: -90, lng: -180 }, true],
    [town, true],
    [{ lat: 90.0001, lng: 0 }, false],
    [{ lat: 0, lng: -180.0001 }, false],
    [{ lat: Number.NaN, lng: 0 }, false],
    [{ lat: 0, lng: Number.POSITIVE_INFINITY }, false],
    [{ lat: "31.2", lng: 121.4 }, false],
    [{ lat: 31.2 }, false],
    [null, false],
    [undefined, false],
    [[31.2, 121.4], false],
  ])("judges %j valid: %s", (p, valid) => {
    expect(isValidLatLng(p)).toBe(valid);
  });
});

describe("parseRegionArea", () => {
  it("reads the stored circle form", () => {
    expect(parseRegionArea({ lat: 31.23, lng: 121.47, radiusM: 1500 })).toEqual({
      kind: "circle",
      center: { lat: 31.23, lng: 121.47 },
      radiusM: 1500,
    });
  });

  it("keeps only the circle's own fields", () => {
    expect(parseRegionArea({ lat: 31.23, lng: 121.47, radiusM: 1500, name: "x" })).toEqual({
      kind: "circle",
      center: { lat: 31.23, lng: 121.47 },
      radiusM: 1500,
    });
  });

  it("reads a GeoJSON polygon in lng,lat order and drops the closing point", () => {
    const area = parseRegionArea({
      type: "Polygon",
      coordinates: [
        [
          [121.0, 31.0],
          [121.1, 31.0],
          [121.1, 31.1],
          [121.0, 31.0],
        ],
      ],
    });
    expect(area).toEqual({
      kind: "polygon",
      points: [
        { lat: 31.0, lng: 121.0 },
        { lat: 31.0, lng: 121.1 },
        { lat: 31.1, lng: 121.1 },
      ],
    });
  });

  it("accepts a polygon ring that is not closed", () => {
    const area = parseRegionArea({
      type: "Polygon",
      coordinates: [
        [
          [121, 31],
          [121.1, 31],
          [121.1, 31.1],
        ],
      ],
    });
    expect(area?.kind === "polygon" && area.points).toHaveLength(3);
  });

  it("ignores altitudes and holes in a polygon", () => {
    const area = parseRegionArea({
      type: "Polygon",
      coordinates: [
        [
          [121, 31, 5],
          [121.1, 31, 5],
          [121.1, 31.1, 5],
          [121, 31, 5],
        ],
        [
          [121.05, 31.02],
          [121.06, 31.02],
          [121.06, 31.03],
          [121.05, 31.02],
        ],
      ],
    });
    expect(area).toEqual({
      kind: "polygon",
      points: [
        { lat: 31, lng: 121 },
        { lat: 31, lng: 121.1 },
        { lat: 31.1, lng: 121.1 },
      ],
    });
  });

  it("reads the same forms from JSON text, as a text column returns them", () => {
    expect(parseRegionArea('{"lat":31.23,"lng":121.47,"radiusM":800}')).toEqual({
      kind: "circle",
      center: { lat: 31.23, lng: 121.47 },
      radiusM: 800,
    });
    expect(parseRegionArea('{"type":"Polygon","coordinates":[[[121,31],[121.1,31],[121.1,31.1]]]}')?.kind).toBe("polygon");
  });

  it.each([
    ["a radius of zero", { lat: 31, lng: 121, radiusM: 0 }],
    ["a negative radius", { lat: 31, lng: 121, radiusM: -5 }],
    ["a radius beyond half the globe", { lat: 31, lng: 121, radiusM: 3e7 }],
    ["an infinite radius", { lat: 31, lng: 121, radiusM: Number.POSITIVE_INFINITY }],
    ["a radius given as text", { lat: 31, lng: 121, radiusM: "500" }],
    ["a centre latitude out of range", { lat: 91, lng: 121, radiusM: 500 }],
    ["a centre longitude out of range", { lat: 31, lng: 181, radiusM: 500 }],
    ["a circle without a centre", { radiusM: 500 }],
    ["a bare point", { lat: 31, lng: 121 }],
    [
      "a polygon with two points",
      {
        type: "Polygon",
        coordinates: [
          [
            [121, 31],
            [121.1, 31],
            [121, 31],
          ],
        ],
      },
    ],
    ["a polygon with no rings", { type: "Polygon", coordinates: [] }],
    ["a polygon without coordinates", { type: "Polygon" }],
    ["a polygon whose position lacks a latitude", { type: "Polygon", coordinates: [[[121], [121.1, 31], [121.1, 31.1]]] }],
    [
      "a polygon with lat,lng swapped out of range",
      {
        type: "Polygon",
        coordinates: [
          [
            [31, 121],
            [31, 121.1],
            [31.1, 121.1],
          ],
        ],
      },
    ],
    [
      "a polygon with a text coordinate",
      {
        type: "Polygon",
        coordinates: [
          [
            ["121", 31],
            [121.1, 31],
            [121.1, 31.1],
          ],
        ],
      },
    ],
    [
      "a GeoJSON MultiPolygon",
      {
        type: "MultiPolygon",
        coordinates: [
          [
            [
              [121, 31],
              [121.1, 31],
              [121.1, 31.1],
            ],
          ],
        ],
      },
    ],
    ["a GeoJSON Point", { type: "Point", coordinates: [121, 31] }],
    ["malformed JSON text", '{"lat":31,'],
    ["JSON text of a number", "42"],
    ["an array", [31, 121, 500]],
    ["null", null],
    ["a number", 7],
  ])("rejects %s", (_what, value) => {
    expect(parseRegionArea(value)).toBeNull();
  });
});

describe("contains", () => {
  const circle: RegionArea = { kind: "circle", center: town, radiusM: 1000 };

  it("a point 999 m from a circle's centre is inside its 1000 m radius", () => {
    expect(contains(circle, north(town, 999))).toBe(true);
  });

  it("a point 1001 m from a circle's centre is outside its 1000 m radius", () => {
    expect(contains(circle, east(town, 1001))).toBe(false);
  });

  it("a circle contains its centre", () => {
    expect(contains(circle, town)).toBe(true);
  });

  const block = square(town, 2000);

  it("a square polygon contains its centre and points just inside each side", () => {
    expect(contains(block, town)).toBe(true);
    for (const p of [north(town, 990), north(town, -990), east(town, 990), east(town, -990)]) {
      expect(contains(block, p)).toBe(true);
    }
  });

  it("a square polygon excludes points just outside each side", () => {
    for (const p of [north(town, 1010), north(town, -1010), east(town, 1010), east(town, -1010)]) {
      expect(contains(block, p)).toBe(false);
    }
  });

  it("a concave (L-shaped) polygon excludes the notch it wraps around", () => {
    const l: RegionArea = {
      kind: "polygon",
      points: [
        { lat: 31.0, lng: 121.0 },
        { lat: 31.0, lng: 121.02 },
        { lat: 31.01, lng: 121.02 },
        { lat: 31.01, lng: 121.01 },
        { lat: 31.02, lng: 121.01 },
        { lat: 31.02, lng: 121.0 },
      ],
    };
    expect(contains(l, { lat: 31.005, lng: 121.015 })).toBe(true);
    expect(contains(l, { lat: 31.015, lng: 121.005 })).toBe(true);
    expect(contains(l, { lat: 31.015, lng: 121.015 })).toBe(false);
  });

  it("gives the same answer whichever way the ring winds", () => {
    const points = block.kind === "polygon" ? block.points : [];
    const reversed: RegionArea = { kind: "polygon", points: [...points].reverse() };
    expect(contains(reversed, town)).toBe(true);
    expect(contains(reversed, east(town, 1010))).toBe(false);
  });

  it("a point level with a vertex but outside the polygon is outside", () => {
    const diamond: RegionArea = {
      kind: "polygon",
      points: [
        { lat: 31.0, lng: 121.01 },
        { lat: 31.01, lng: 121.02 },
        { lat: 31.02, lng: 121.01 },
        { lat: 31.01, lng: 121.0 },
      ],
    };
    expect(contains(diamond, { lat: 31.01, lng: 120.99 })).toBe(false);
    expect(contains(diamond, { lat: 31.01, lng: 121.01 })).toBe(true);
  });
});

describe("areaSquareMeters", () => {
  it("gives a circle πr²", () => {
    expect(areaSquareMeters({ kind: "circle", center: town, radiusM: 100 })).toBeCloseTo(Math.PI * 10_000, 6);
  });

  it("gives a 2 km square about 4 km² at Shanghai's latitude", () => {
    expect(areaSquareMeters(square(town, 2000)) / 4e6).toBeCloseTo(1, 3);
  });

  it("does not depend on the ring's direction", () => {
    const block = square(town, 500);
    const points = block.kind === "polygon" ? block.points : [];
    expect(areaSquareMeters({ kind: "polygon", points: [...points].reverse() })).toBeCloseTo(areaSquareMeters(block), 6);
  });
});

describe("regionForPoint", () => {
  const county = { id: "county", level: "county", area: { kind: "circle", center: town, radiusM: 30_000 } as RegionArea };
  const townRegion = { id: "town", level: "town", area: square(town, 8000) };
  const village = { id: "village", level: "village", area: { kind: "circle", center: town, radiusM: 800 } as RegionArea };

  it("a point inside a village, its town and its county belongs to the village", () => {
    expect(regionForPoint([county, townRegion, village], north(town, 100))?.id).toBe("village");
  });

  it("prefers the village whatever order the regions are listed in", () => {
    expect(regionForPoint([village, townRegion, county], town)?.id).toBe("village");
  });

  it("a point outside the village but inside the town belongs to the town", () => {
    expect(regionForPoint([county, townRegion, village], north(town, 2000))?.id).toBe("town");
  });

  it("a point only inside the county belongs to the county", () => {
    expect(regionForPoint([county, townRegion, village], north(town, 10_000))?.id).toBe("county");
  });

  it("a point outside every region belongs to none", () => {
    expect(regionForPoint([county, townRegion, village], north(town, 40_000))).toBeNull();
  });

  it("no regions means no region", () => {
    expect(regionForPoint([], town)).toBeNull();
  });

  it("a village is preferred over a town even when the village is larger", () => {
    const bigVillage = { id: "big-village", level: "village", area: { kind: "circle", center: town, radiusM: 5000 } as RegionArea };
    const smallTown = { id: "small-town", level: "town", area: { kind: "circle", center: town, radiusM: 1000 } as RegionArea };
    expect(regionForPoint([smallTown, bigVillage], town)?.id).toBe("big-village");
  });

  it("among overlapping villages the smallest wins, circle or polygon", () => {
    const wide = { id: "wide", level: "village", area: { kind: "circle", center: town, radiusM: 1000 } as RegionArea };
    const narrow = { id: "narrow", level: "village", area: square(town, 600) };
    const mid = { id: "mid", level: "village", area: { kind: "circle", center: town, radiusM: 500 } as RegionArea };
    // Square 600 m: 360 000 m²; circle 500 m: ~785 000 m².
    expect(regionForPoint([wide, mid, narrow], town)?.id).toBe("narrow");
    expect(regionForPoint([wide, mid, narrow], east(town, 400))?.id).toBe("mid");
  });

  it("skips regions whose area is unknown", () => {
    const unmapped = { id: "unmapped", level: "village", area: null };
    expect(regionForPoint([unmapped, townRegion], town)?.id).toBe("town");
  });

  it("treats an unknown level as broader than a county", () => {
    const province = { id: "province", level: "province", area: { kind: "circle", center: town, radiusM: 100 } as RegionArea };
    expect(regionForPoint([province, county], town)?.id).toBe("county");
    expect(regionForPoint([province], town)?.id).toBe("province");
  });

  it("does not mistake a level named like an Object method for a known level", () => {
    const odd = { id: "odd", level: "toString", area: { kind: "circle", center: town, radiusM: 100 } as RegionArea };
    expect(regionForPoint([odd, county], town)?.id).toBe("county");
  });

  it("on a full tie keeps the region listed first", () => {
    const a = { id: "a", level: "town", area: { kind: "circle", center: town, radiusM: 1000 } as RegionArea };
    const b = { id: "b", level: "town", area: { kind: "circle", center: town, radiusM: 1000 } as RegionArea };
    expect(regionForPoint([a, b], town)?.id).toBe("a");
    expect(regionForPoint([b, a], town)?.id).toBe("b");
  });

  it("returns the caller's own region object with its extra fields", () => {
    const withName = { ...village, name: "x" };
    expect(regionForPoint([withName], town)).toBe(withName);
  });
});
