import { describe, expect, it } from "vitest";
import { type Region, type Route, regionPath, routeCase } from "../../src/domain/routing";

/** 县 → 镇 → 村: one county, two towns, a village in each. */
const REGIONS: Region[] = [
  { id: "county", parentId: null },
  { id: "town-a", parentId: "county" },
  { id: "town-b", parentId: "county" },
  { id: "village-a1", parentId: "town-a" },
  { id: "village-b1", parentId: "town-b" },
];

const route = (regionId: string | null, sectorId: string | null, unitId: string): Route => ({ regionId, sectorId, unitId });

describe("regionPath", () => {
  it("walks from the village up to the county, most specific first", () => {
    expect(regionPath(REGIONS, "village-a1")).toEqual(["village-a1", "town-a", "county"]);
    expect(regionPath(REGIONS, "county")).toEqual(["county"]);
  });

  it("a case without a region has an empty path", () => {
    expect(regionPath(REGIONS, null)).toEqual([]);
  });

  it("a region missing from the tree still stands for itself", () => {
    expect(regionPath(REGIONS, "village-x")).toEqual(["village-x"]);
    expect(regionPath([{ id: "village-y", parentId: "nowhere" }], "village-y")).toEqual(["village-y", "nowhere"]);
  });

  it("stops at a cycle instead of looping for ever", () => {
    const cyclic: Region[] = [
      { id: "a", parentId: "b" },
      { id: "b", parentId: "c" },
      { id: "c", parentId: "a" },
    ];
    expect(regionPath(cyclic, "a")).toEqual(["a", "b", "c"]);
    expect(regionPath([{ id: "self", parentId: "self" }], "self")).toEqual(["self"]);
  });

  it("a repeated row does not re-parent a region: the first one wins", () => {
    const regions = [...REGIONS, { id: "village-a1", parentId: "town-b" }];
    expect(regionPath(regions, "village-a1")).toEqual(["village-a1", "town-a", "county"]);
  });
});

describe("routeCase", () => {
  const pathA1 = regionPath(REGIONS, "village-a1");
  const pathB1 = regionPath(REGIONS, "village-b1");

  const table: Route[] = [
    route(null, null, "safety-office"), // 兜底: the county safety office
    route("town-a", null, "town-a-office"),
    route("town-b", null, "town-b-office"),
    route("village-a1", null, "village-a1-committee"),
    route(null, "hazchem", "hazchem-bureau"), // 危化品: county-wide by sector
    route(null, "fire", "fire-brigade"),
    route("town-b", "hazchem", "town-b-hazchem-station"),
  ];

  it("a region+sector route beats the sector-wide unit in its region", () => {
    expect(routeCase(table, pathB1, "hazchem")).toBe("town-b-hazchem-station");
  });

  it("a sector-wide unit takes its sector everywhere else, even over a village's own route", () => {
    expect(routeCase(table, pathA1, "hazchem")).toBe("hazchem-bureau");
    expect(routeCase(table, pathA1, "fire")).toBe("fire-brigade");
  });

  it("among region-only routes the deeper region wins, wherever it is listed", () => {
    expect(routeCase(table, pathA1, "mines")).toBe("village-a1-committee");
    expect(routeCase(table, pathB1, "mines")).toBe("town-b-office");
    expect(routeCase([...table].reverse(), pathA1, "mines")).toBe("village-a1-committee");
  });

  it("the catch-all takes what nothing more specific matches", () => {
    expect(routeCase(table, [], "mines")).toBe("safety-office");
    expect(routeCase(table, ["elsewhere"], null)).toBe("safety-office");
  });

  it("a case without a sector matches no sector route", () => {
    expect(routeCase(table, pathB1, null)).toBe("town-b-office");
    expect(routeCase([route(null, "hazchem", "hazchem-bureau")], pathB1, null)).toBeNull();
  });

  it("no match goes to the dispatchers' triage queue (null)", () => {
    expect(routeCase([], pathA1, "mines")).toBeNull();
    expect(routeCase([route("town-b", null, "town-b-office"), route(null, "fire", "fire-brigade")], pathA1, "mines")).toBeNull();
  });

  it("a full tie goes to the route listed first", () => {
    const tie = [route("town-a", "mines", "first"), route("town-a", "mines", "second")];
    expect(routeCase(tie, pathA1, "mines")).toBe("first");
    expect(routeCase([route(null, null, "first"), route(null, null, "second")], pathA1, "mines")).toBe("first");
  });

  it("scores region+sector 3 > sector 2 > region 1 > catch-all 0, regardless of depth", () => {
    const routes = [
      route(null, null, "catch-all"),
      route("village-a1", null, "village"),
      route(null, "mines", "sector"),
      route("county", "mines", "county+sector"),
    ];
    expect(routeCase(routes, pathA1, "mines")).toBe("county+sector");
    expect(routeCase(routes.slice(0, 3), pathA1, "mines")).toBe("sector");
    expect(routeCase(routes.slice(0, 2), pathA1, "mines")).toBe("village");
    expect(routeCase(routes.slice(0, 1), pathA1, "mines")).toBe("catch-all");
  });

  it("among region+sector routes the deeper region wins too", () => {
    const routes = [route("county", "mines", "county-mines"), route("town-a", "mines", "town-a-mines")];
    expect(routeCase(routes, pathA1, "mines")).toBe("town-a-mines");
    expect(routeCase(routes, pathB1, "mines")).toBe("county-mines");
  });
});
