import { describe, expect, it } from "vitest";
import {
  type DuplicateCandidate,
  findPossibleDuplicates,
  POSSIBLE_DUPLICATE_RADIUS_M,
  POSSIBLE_DUPLICATE_SIMILARITY,
} from "../../src/domain/duplicates";
import type { LatLng } from "../../src/domain/geo";
import { north } from "../support/geo";

const warehouse: LatLng = { lat: 31.2304, lng: 121.4737 };

const FIREWORKS = "有人在仓库里违规存放烟花爆竹";

function openCase(overrides: Partial<DuplicateCandidate> & { id: number }): DuplicateCandidate {
  return {
    sectorId: "fireworks",
    regionId: "village-1",
    location: warehouse,
    description: "另一件事情完全不同的描述",
    ...overrides,
  };
}

describe("constants", () => {
  it("uses a 200 m radius and a 0.6 similarity threshold", () => {
    expect(POSSIBLE_DUPLICATE_RADIUS_M).toBe(200);
    expect(POSSIBLE_DUPLICATE_SIMILARITY).toBe(0.6);
  });
});

describe("findPossibleDuplicates with a pinned report", () => {
  const report = { sectorId: "fireworks", regionId: "village-1", location: warehouse, description: FIREWORKS };

  it("a pin 150 m from an open case is a possible duplicate", () => {
    const result = findPossibleDuplicates(report, [openCase({ id: 1, location: north(warehouse, 150) })]);
    expect(result).toHaveLength(1);
    expect(result[0]?.id).toBe(1);
    expect(result[0]?.reason).toBe("nearby");
    expect(result[0]?.distanceM).toBeCloseTo(150, 6);
    expect(result[0]?.similarity).toBeUndefined();
  });

  it("a pin 199 m away is a possible duplicate and one 201 m away is not", () => {
    const result = findPossibleDuplicates(report, [
      openCase({ id: 1, location: north(warehouse, 199) }),
      openCase({ id: 2, location: north(warehouse, 201) }),
    ]);
    expect(result.map((r) => r.id)).toEqual([1]);
  });

  it("a pin exactly on the same spot is a possible duplicate at 0 m", () => {
    expect(findPossibleDuplicates(report, [openCase({ id: 3 })])).toEqual([{ id: 3, reason: "nearby", distanceM: 0 }]);
  });

  it("a nearby case in another sector is not a possible duplicate", () => {
    expect(findPossibleDuplicates(report, [openCase({ id: 1, sectorId: "construction" })])).toEqual([]);
  });

  it("a nearby case without a sector is not a possible duplicate", () => {
    expect(findPossibleDuplicates(report, [openCase({ id: 1, sectorId: null })])).toEqual([]);
  });

  it("a report without a sector has no possible duplicates", () => {
    expect(findPossibleDuplicates({ ...report, sectorId: null }, [openCase({ id: 1, sectorId: null })])).toEqual([]);
  });

  it("a nearby case in another region is still a possible duplicate (regions meet at borders)", () => {
    expect(findPossibleDuplicates(report, [openCase({ id: 1, regionId: "village-2" })]).map((r) => r.id)).toEqual([1]);
  });

  it("a pinned report is not matched by wording to a case without a pin", () => {
    expect(findPossibleDuplicates(report, [openCase({ id: 1, location: null, description: FIREWORKS })])).toEqual([]);
  });

  it("a pinned report 500 m away with the same words is not a possible duplicate", () => {
    expect(findPossibleDuplicates(report, [openCase({ id: 1, location: north(warehouse, 500), description: FIREWORKS })])).toEqual([]);
  });

  it("lists the nearest case first, and equally near ones oldest first", () => {
    const result = findPossibleDuplicates(report, [
      openCase({ id: 7, location: north(warehouse, 120) }),
      openCase({ id: 5, location: north(warehouse, 30) }),
      openCase({ id: 9, location: north(warehouse, -30) }),
      openCase({ id: 2, location: north(warehouse, 30) }),
    ]);
    expect(result.map((r) => r.id)).toEqual([2, 5, 9, 7]);
  });

  it("no open cases means no possible duplicates", () => {
    expect(findPossibleDuplicates(report, [])).toEqual([]);
  });
});

describe("findPossibleDuplicates with a report that has no pin", () => {
  const report = { sectorId: "fireworks", regionId: "village-1", location: null, description: FIREWORKS };

  it("an open case in the same region with nearly the same words is a possible duplicate", () => {
    const result = findPossibleDuplicates(report, [openCase({ id: 4, description: "有人在仓库里 违规存放烟花爆竹！" })]);
    expect(result).toEqual([{ id: 4, reason: "similar_text", similarity: 1 }]);
  });

  it("a case is compared by wording whether or not the case itself has a pin", () => {
    const result = findPossibleDuplicates(report, [
      openCase({ id: 1, location: null, description: FIREWORKS }),
      openCase({ id: 2, location: warehouse, description: FIREWORKS }),
    ]);
    expect(result.map((r) => r.id)).toEqual([1, 2]);
  });

  it("the same words in another region are not a possible duplicate", () => {
    expect(findPossibleDuplicates(report, [openCase({ id: 1, regionId: "village-2", description: FIREWORKS })])).toEqual([]);
  });

  it("the same words in a case without a region are not a possible duplicate", () => {
    expect(findPossibleDuplicates(report, [openCase({ id: 1, regionId: null, description: FIREWORKS })])).toEqual([]);
  });

  it("a report without a region is not compared by wording at all", () => {
    expect(findPossibleDuplicates({ ...report, regionId: null }, [openCase({ id: 1, regionId: null, description: FIREWORKS })])).toEqual([]);
  });

  it("the same words in another sector are not a possible duplicate", () => {
    expect(findPossibleDuplicates(report, [openCase({ id: 1, sectorId: "mining", description: FIREWORKS })])).toEqual([]);
  });

  it("a different hazard in the same region is not a possible duplicate", () => {
    expect(findPossibleDuplicates(report, [openCase({ id: 1, description: "仓库的消防通道被货物堵死了" })])).toEqual([]);
  });

  it("wording exactly at the 0.6 threshold counts", () => {
    // abcdef vs abcdxy: ab bc cd shared out of five bigrams each, 2·3 / (5 + 5) = 0.6
    const result = findPossibleDuplicates({ ...report, description: "abcdef" }, [openCase({ id: 1, description: "abcdxy" })]);
    expect(result).toEqual([{ id: 1, reason: "similar_text", similarity: 0.6 }]);
  });

  it("wording just below the threshold does not count", () => {
    // abcdef vs abcxyz: ab bc shared, 2·2/(5+5) = 0.4
    expect(findPossibleDuplicates({ ...report, description: "abcdef" }, [openCase({ id: 1, description: "abcxyz" })])).toEqual([]);
  });

  it("lists the most similar case first, and equally similar ones oldest first", () => {
    const result = findPossibleDuplicates(report, [
      openCase({ id: 8, description: "仓库里违规存放烟花爆竹" }),
      openCase({ id: 6, description: FIREWORKS }),
      openCase({ id: 3, description: FIREWORKS }),
    ]);
    expect(result.map((r) => r.id)).toEqual([3, 6, 8]);
    expect(result[2]?.similarity).toBeLessThan(1);
    expect(result[2]?.similarity).toBeGreaterThanOrEqual(0.6);
    expect(result.every((r) => r.reason === "similar_text" && r.distanceM === undefined)).toBe(true);
  });
});
