import { describe, expect, it } from "vitest";
import { DIRECTORY_TABLES, planSync } from "../../db/queries/directory-sync";
import { type Directory, type DirectoryError, formatDirectoryError, parseDirectory, serializeDirectory } from "../../src/domain/directory-file";
import { parseRegionArea } from "../../src/domain/geo";
import { boundExample, example } from "../support/example-directory";

const FILE = "d.yaml";

const BASE = `regions:
  - id: qinghe
    name_zh: 清河县
    name_en: Qinghe County
    level: county
    children:
      - id: chengguan
        name_zh: 城关镇
        name_en: Chengguan Town
        level: town
        area: { lat: 30.0, lng: 120.0, radius_m: 3000 }
        children:
          - { id: dongguan, name_zh: 东关村, name_en: Dongguan Village, level: village }
      - id: xicheng
        name_zh: 西城街道
        name_en: Xicheng Subdistrict
        level: street
        polygon: [[30.0, 119.95], [30.0, 119.96], [30.01, 119.96]]
sectors:
  - { id: mines, name_zh: 矿山, name_en: Mines }
  - { id: fireworks, name_zh: 烟花爆竹, name_en: Fireworks }
units:
  - { id: office, kind: office, name_zh: 县安委办, name_en: County Safety Committee Office }
  - { id: chengguan-station, kind: territorial, name_zh: 城关镇安监站, name_en: Chengguan Station, region: chengguan }
  - { id: mines-bureau, kind: sectoral, sector: mines, name_zh: 矿山局, name_en: Mines Bureau }
routes:
  - { region: chengguan, unit: chengguan-station }
  - { sector: mines, unit: mines-bureau }
  - { region: chengguan, sector: fireworks, unit: chengguan-station }
members:
  - { telegram_id: 100001, name: 张伟, unit: chengguan-station, roles: [liaison] }
chats:
  - { chat_id: -1001234567890, title: 城关镇安全生产工作群, purpose: unit, unit: chengguan-station }
`;

/** `BASE` with each [from, to] replaced once; fails loudly when `from` is not there. */
function edit(...changes: [string, string][]): string {
  return changes.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`not in the text: ${from}`);
    return text.replace(from, to);
  }, BASE);
}

/** `d.yaml:L:C` of the n-th (1-based) occurrence of `needle` in `text`, found by plain search. */
function at(text: string, needle: string, nth = 1): string {
  let index = -1;
  for (let i = 0; i < nth; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`not in the text: ${needle}`);
  }
  const before = text.slice(0, index).split("\n");
  return `${FILE}:${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

function errors(text: string): string[] {
  const result = parseDirectory(text, FILE);
  if (result.ok) throw new Error("expected the file to be refused");
  return result.errors.map(formatDirectoryError);
}

function parsed(text: string): Directory {
  const result = parseDirectory(text, FILE);
  if (!result.ok) throw new Error(result.errors.map(formatDirectoryError).join("\n"));
  return result.directory;
}

describe("parseDirectory", () => {
  it("turns the tree into flat rows, parents first, in the forms the database stores", () => {
    const d = parsed(BASE);
    expect(d.regions).toEqual([
      { id: "qinghe", parentId: null, level: "county", nameZh: "清河县", nameEn: "Qinghe County", area: null },
      {
        id: "chengguan",
        parentId: "qinghe",
        level: "town",
        nameZh: "城关镇",
        nameEn: "Chengguan Town",
        area: { lat: 30, lng: 120, radiusM: 3000 },
      },
      { id: "dongguan", parentId: "chengguan", level: "village", nameZh: "东关村", nameEn: "Dongguan Village", area: null },
      {
        id: "xicheng",
        parentId: "qinghe",
        // A street is a town-level region: the schema knows county, town and village.
        level: "town",
        nameZh: "西城街道",
        nameEn: "Xicheng Subdistrict",
        // GeoJSON: [lng, lat], ring closed.
        area: {
          type: "Polygon",
          coordinates: [
            [
              [119.95, 30],
              [119.96, 30],
              [119.96, 30.01],
              [119.95, 30],
            ],
          ],
        },
      },
    ]);
    expect(d.sectors).toEqual([
      { id: "mines", nameZh: "矿山", nameEn: "Mines", sort: 10 },
      { id: "fireworks", nameZh: "烟花爆竹", nameEn: "Fireworks", sort: 20 },
    ]);
    expect(d.units).toEqual([
      { id: "office", kind: "office", nameZh: "县安委办", nameEn: "County Safety Committee Office", regionId: null, sectorId: null },
      {
        id: "chengguan-station",
        kind: "territorial",
        nameZh: "城关镇安监站",
        nameEn: "Chengguan Station",
        regionId: "chengguan",
        sectorId: null,
      },
      { id: "mines-bureau", kind: "sectoral", nameZh: "矿山局", nameEn: "Mines Bureau", regionId: null, sectorId: "mines" },
    ]);
    expect(d.routes).toEqual([
      { regionId: "chengguan", sectorId: null, unitId: "chengguan-station" },
      { regionId: null, sectorId: "mines", unitId: "mines-bureau" },
      { regionId: "chengguan", sectorId: "fireworks", unitId: "chengguan-station" },
    ]);
    expect(d.members).toEqual([{ telegramId: 100001, unitId: "chengguan-station", name: "张伟", roles: ["liaison"] }]);
    expect(d.chats).toEqual([{ chatId: -1001234567890, title: "城关镇安全生产工作群", purpose: "unit", unitId: "chengguan-station" }]);
  });

  it("stores areas geo can read back", () => {
    const d = parsed(BASE);
    expect(parseRegionArea(d.regions[1]?.area)).toEqual({ kind: "circle", center: { lat: 30, lng: 120 }, radiusM: 3000 });
    expect(parseRegionArea(d.regions[3]?.area)).toEqual({
      kind: "polygon",
      points: [
        { lat: 30, lng: 119.95 },
        { lat: 30, lng: 119.96 },
        { lat: 30.01, lng: 119.96 },
      ],
    });
  });

  it("accepts a polygon whose last corner repeats the first, without closing it twice", () => {
    const d = parsed(edit(["[30.01, 119.96]]", "[30.01, 119.96], [30.0, 119.95]]"]));
    expect(d.regions[3]?.area).toEqual(parsed(BASE).regions[3]?.area);
  });

  it("stores a community as a village", () => {
    const d = parsed(edit(["level: village }", "level: community }"]));
    expect(d.regions[2]?.level).toBe("village");
  });

  it("leaves members and chats undefined when the file has no such section, so the import leaves them alone", () => {
    const d = parsed(BASE.slice(0, BASE.indexOf("members:")));
    expect(d.members).toBeUndefined();
    expect(d.chats).toBeUndefined();
  });

  it("takes an empty members list as managing members (and having none)", () => {
    const d = parsed(`${BASE.slice(0, BASE.indexOf("members:"))}members: []\n`);
    expect(d.members).toEqual([]);
  });

  it("takes `children:` left empty as no children", () => {
    const d = parsed(
      edit(["        children:\n          - { id: dongguan, name_zh: 东关村, name_en: Dongguan Village, level: village }\n", "        children:\n"]),
    );
    expect(d.regions.map((r) => r.id)).toEqual(["qinghe", "chengguan", "xicheng"]);
  });

  it("orders a member's roles one fixed way", () => {
    const d = parsed(edit(["roles: [liaison]", "roles: [admin, liaison]"]));
    expect(d.members?.[0]?.roles).toEqual(["liaison", "admin"]);
  });

  it("uses an explicit sector sort, and list order for the rest", () => {
    const d = parsed(edit(["{ id: mines, name_zh: 矿山, name_en: Mines }", "{ id: mines, name_zh: 矿山, name_en: Mines, sort: 55 }"]));
    expect(d.sectors.map((s) => s.sort)).toEqual([55, 20]);
  });

  it("parses the example office, which binds no chat and no person", () => {
    const d = parsed(example);
    expect(d.regions.filter((r) => r.level === "town")).toHaveLength(5);
    expect(d.regions.filter((r) => r.level === "village").length).toBeGreaterThanOrEqual(2);
    expect(d.sectors.map((s) => s.id)).toContain("other");
    expect(d.sectors).toHaveLength(8);
    expect(d.units).toHaveLength(12);
    // Left out, not emptied: an import of the example leaves an office's own staff, groups and reminders alone.
    expect(d.members).toBeUndefined();
    expect(d.chats).toBeUndefined();
    expect(d.schedules).toBeUndefined();
    // Every town-level region has an area a pin can fall in, and one route to its station.
    for (const town of d.regions.filter((r) => r.level === "town")) {
      expect(parseRegionArea(town.area), town.id).not.toBeNull();
      expect(
        d.routes.filter((r) => r.regionId === town.id && r.sectorId === null),
        town.id,
      ).toHaveLength(1);
    }
  });
});

const TIME = `calendar:
  work_hours: { start: "8:30", end: "17:30", lunch: { start: "12:00", end: "14:00" } }
  workdays: [2027-02-20]
  holidays: [2027-02-08, 2027-02-05]
deadlines:
  hazard:
    resolve: { working_days: 10 }
    urgent: { accept: { working_hours: 2 }, resolve: { working_days: 3 } }
  consultation: { resolve: { working_days: 5 } }
  verify: { calendar_days: 7 }
escalation: [dispatchers, leaders]
schedules:
  - { id: weekly-report, chat: -1001234567890, cron: "0  15 * * 5", text: " 请报送本周工作情况 ", holidays: shift }
  - { id: monthly-plan, chat: -1001234567890, cron: 0 9 25 * *, text: 请报送下月工作计划, paused: true }
  - { id: bulletin, chat: -1001234567890, cron: "0 9 1,16 * *", ranking: half, text: 安全生产工作通报 }
`;

describe("parseDirectory: the office's time settings and recurring reminders", () => {
  it("turns each section into the form the database keeps", () => {
    const d = parsed(BASE + TIME);
    expect(d.calendar).toEqual({
      workHours: { start: [8, 30], end: [17, 30], lunch: { start: [12, 0], end: [14, 0] } },
      workdays: ["2027-02-20"],
      holidays: ["2027-02-05", "2027-02-08"],
    });
    expect(d.deadlines).toEqual({
      hazard: { resolve: { workingDays: 10 }, urgent: { accept: { workingHours: 2 }, resolve: { workingDays: 3 } } },
      consultation: { resolve: { workingDays: 5 } },
      verify: { calendarDays: 7 },
    });
    expect(d.escalation).toEqual(["dispatchers", "leaders"]);
    expect(d.schedules).toEqual([
      {
        key: "weekly-report",
        chatId: -1001234567890,
        cron: "0 15 * * 5",
        text: "请报送本周工作情况",
        holidays: "shift",
        paused: false,
        ranking: null,
      },
      { key: "monthly-plan", chatId: -1001234567890, cron: "0 9 25 * *", text: "请报送下月工作计划", holidays: "skip", paused: true, ranking: null },
      { key: "bulletin", chatId: -1001234567890, cron: "0 9 1,16 * *", text: "安全生产工作通报", holidays: "shift", paused: false, ranking: "half" },
    ]);
  });

  it("leaves each section undefined when the file has none, so the import leaves the stored one alone", () => {
    const d = parsed(BASE);
    expect([d.calendar, d.deadlines, d.escalation, d.schedules]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("reads how long a reporter's identity is kept, left empty as the default, and writes it back", () => {
    const d = parsed(`${BASE}retention: { reporter_identity_days: 1095 }\n`);
    expect(d.retention).toEqual({ reporterIdentityDays: 1095 });
    expect(parsed(serializeDirectory(d))).toEqual(d);
    expect(parsed(`${BASE}retention:\n`).retention).toEqual({});
    expect(parsed(BASE).retention).toBeUndefined();
    const bad = `${BASE}retention: { reporter_identity_days: 0, keep: forever }\n`;
    expect(errors(bad).join("\n")).toMatch(/retention/);
  });

  it("reads whether the office publishes its public page, left out or empty as off, and writes it back", async () => {
    const d = parsed(`${BASE}publication: { public_page: true }\n`);
    expect(d.publication).toEqual({ publicPage: true });
    expect(parsed(serializeDirectory(d))).toEqual(d);
    expect(parsed(`${BASE}publication:\n`).publication).toEqual({});
    expect(parsed(BASE).publication).toBeUndefined();
    expect(errors(`${BASE}publication: { public_page: yes please }\n`).join("\n")).toMatch(/publication/);
    const { readSettings } = await import("../../src/domain/office-settings");
    expect(readSettings({ publication: { publicPage: true } }).publication).toEqual({ publicPage: true });
    expect(readSettings({ publication: { publicPage: "yes" } }).publication).toEqual({});
  });

  it("takes a section left empty as the defaults (no overrides, no reminders)", () => {
    const d = parsed(`${BASE}calendar:\ndeadlines:\nschedules:\nescalation: []\n`);
    expect(d.calendar).toEqual({ workdays: [], holidays: [] });
    expect(d.deadlines).toEqual({});
    expect(d.schedules).toEqual([]);
    expect(d.escalation).toEqual([]);
  });

  it("lays the settings over the defaults: a severity's own entry, then the kind's, then the top-level verify", async () => {
    const { applySettings } = await import("../../src/domain/office-settings");
    const { defaultCalendar } = await import("../../src/domain/calendar");
    const { DEFAULT_CHAIN, DEFAULT_POLICIES } = await import("../../src/domain/deadlines");
    const base = { calendar: defaultCalendar("Asia/Shanghai"), policies: DEFAULT_POLICIES, chain: DEFAULT_CHAIN };
    const d = parsed(BASE + TIME);
    const rules = applySettings(base, { calendar: d.calendar, deadlines: d.deadlines, escalation: d.escalation });
    expect(rules.policies.hazard.urgent).toEqual({ accept: { workingHours: 2 }, resolve: { workingDays: 3 }, verify: { calendarDays: 7 } });
    expect(rules.policies.hazard.ordinary).toEqual({ accept: { workingDays: 1 }, resolve: { workingDays: 10 }, verify: { calendarDays: 7 } });
    expect(rules.policies.violation).toEqual({
      ...DEFAULT_POLICIES.violation,
      ...Object.fromEntries(Object.entries(DEFAULT_POLICIES.violation).map(([k, v]) => [k, { ...v, verify: { calendarDays: 7 } }])),
    });
    expect(rules.policies.consultation.major.resolve).toEqual({ workingDays: 5 });
    expect(rules.calendar.overrides).toEqual({ workdays: ["2027-02-20"], holidays: ["2027-02-05", "2027-02-08"] });
    expect(rules.chain).toEqual(["dispatchers", "leaders"]);
    expect(applySettings(base, {})).toEqual(base);
  });
});

describe("parseDirectory refuses, with the line and column of the node at fault", () => {
  it("a YAML syntax error", () => {
    const text = edit(["  - { id: mines, name_zh: 矿山, name_en: Mines }", "  - { id: mines, name_zh: 矿山, name_en: Mines"]);
    const [first, ...rest] = errors(text);
    expect(first).toMatch(/^d\.yaml:\d+:\d+ \S/);
    expect(first).not.toContain("^");
    expect(rest.every((e) => e.startsWith("d.yaml:"))).toBe(true);
  });

  it("a key given twice", () => {
    const text = edit(["    name_en: Qinghe County\n", "    name_en: Qinghe County\n    name_en: Qinghe\n"]);
    expect(errors(text)).toEqual([`${at(text, "name_en: Qinghe\n")} Map keys must be unique`]);
  });

  it("an empty file", () => {
    expect(errors("# nothing yet\n")).toEqual(["d.yaml:1:1 the file is empty: expected regions, sectors, units and routes"]);
  });

  it("a missing section, at the top of the file", () => {
    const text = BASE.replace(/routes:\n( {2}- .*\n)+/, "");
    expect(errors(text)).toEqual(["d.yaml:1:1 routes: is required"]);
  });

  it("an unknown field, at its key", () => {
    const text = edit(["name_en: Mines }", "name_en: Mines, colour: red }"]);
    expect(errors(text)).toEqual([`${at(text, "colour")} sectors[0].colour: is not a known field here`]);
  });

  it("a missing field, at the item it is missing from", () => {
    const text = edit(["{ id: fireworks, name_zh: 烟花爆竹, name_en: Fireworks }", "{ id: fireworks, name_zh: 烟花爆竹 }"]);
    expect(errors(text)).toEqual([`${at(text, "{ id: fireworks")} sectors[1].name_en: is required`]);
  });

  it("a value of the wrong type, and an empty name", () => {
    const text = edit(["name_zh: 矿山,", "name_zh: 12,"], ["name_en: Fireworks", 'name_en: " "']);
    expect(errors(text)).toEqual([
      `${at(text, "12,")} sectors[0].name_zh: must be text, not 12`,
      `${at(text, '" "')} sectors[1].name_en: must not be empty`,
    ]);
  });

  it("an id that could not travel in a button", () => {
    const text = edit(["id: mines,", "id: Mines!,"]);
    expect(errors(text)).toContain(
      `${at(text, "Mines!")} sectors[0].id: must be 1-40 characters of a-z, 0-9, _ and -, starting with a letter or digit`,
    );
  });

  it("ids given twice", () => {
    const text = edit(["id: xicheng", "id: chengguan"], ["{ id: fireworks,", "{ id: mines,"], ["{ id: mines-bureau,", "{ id: office,"]);
    expect(errors(text)).toEqual(
      expect.arrayContaining([
        `${at(text, "chengguan", 2)} regions[0].children[1].id: region "chengguan" is listed twice`,
        `${at(text, "mines", 2)} sectors[1].id: sector "mines" is listed twice`,
        `${at(text, "office, kind: sectoral")} units[2].id: unit "office" is listed twice`,
      ]),
    );
  });

  it("levels that do not nest county → town → village", () => {
    const top = edit(["level: county", "level: town"]);
    // Under a misplaced region nothing more is judged: one mistake, one error.
    expect(errors(top)).toEqual([`${at(top, "town")} regions[0].level: a top-level region must be a county, not "town"`]);
    const text = edit(["level: village }", "level: town }"]);
    expect(errors(text)).toEqual([
      `${at(text, "town }")} regions[0].children[0].children[0].level: a town's regions must be village or community, not "town"`,
    ]);
  });

  it("a town under the county given as a village", () => {
    const text = edit(["level: street", "level: village"]);
    expect(errors(text)).toEqual([`${at(text, "village\n")} regions[0].children[1].level: a county's regions must be town or street, not "village"`]);
  });

  it("regions under a village", () => {
    const text = edit(["level: village }", "level: village, children: [{ id: group-1, name_zh: 一组, name_en: Group 1, level: village }] }"]);
    expect(errors(text)).toEqual([
      `${at(text, "[{ id: group-1")} regions[0].children[0].children[0].children: a village or community has no regions under it`,
    ]);
  });

  it("an unknown level", () => {
    const text = edit(["level: street", "level: prefecture"]);
    expect(errors(text)).toEqual([
      `${at(text, "prefecture")} regions[0].children[1].level: must be one of county, town, street, village, community, not "prefecture"`,
    ]);
  });

  it("a circle out of range", () => {
    const text = edit(["area: { lat: 30.0, lng: 120.0, radius_m: 3000 }", "area: { lat: 91, lng: -181, radius_m: 0 }"]);
    expect(errors(text)).toEqual([
      `${at(text, "91")} regions[0].children[0].area.lat: must be a latitude, -90 to 90`,
      `${at(text, "-181")} regions[0].children[0].area.lng: must be a longitude, -180 to 180`,
      `${at(text, "0 }")} regions[0].children[0].area.radius_m: must be more than 0`,
    ]);
  });

  it("a polygon with too few corners, a corner out of range, and a corner that is not a pair", () => {
    const few = edit(["[[30.0, 119.95], [30.0, 119.96], [30.01, 119.96]]", "[[30.0, 119.95], [30.0, 119.96], [30.0, 119.95]]"]);
    expect(errors(few)).toEqual([`${at(few, "[[30.0")} regions[0].children[1].polygon: needs at least 3 distinct corners`]);
    const far = edit(["[30.01, 119.96]]", "[30.01, 190]]"]);
    expect(errors(far)).toEqual([`${at(far, "190")} regions[0].children[1].polygon[2][1]: must be a longitude, -180 to 180`]);
    const odd = edit(["[30.01, 119.96]]", "[30.01]]"]);
    expect(errors(odd)).toEqual([`${at(odd, "[30.01]")} regions[0].children[1].polygon[2]: must have at least 2 items`]);
  });

  it("both a circle and a polygon", () => {
    const text = edit(["        level: street\n", "        level: street\n        area: { lat: 30.0, lng: 119.95, radius_m: 500 }\n"]);
    expect(errors(text)).toEqual([`${at(text, "[[30.0")} regions[0].children[1].polygon: give either area or polygon, not both`]);
  });

  it("a unit in a region or sector that does not exist, and an unknown kind", () => {
    const text = edit(["region: chengguan }", "region: chengguan2 }"], ["sector: mines,", "sector: mine,"], ["kind: office", "kind: army"]);
    expect(errors(text)).toEqual([
      `${at(text, "army")} units[0].kind: must be one of territorial, sectoral, office, not "army"`,
      `${at(text, "chengguan2")} units[1].region: no region "chengguan2"`,
      `${at(text, "mine,")} units[2].sector: no sector "mine"`,
    ]);
  });

  it("a territorial unit without a region and a sectoral one without a sector", () => {
    const text = edit([", region: chengguan }", " }"], ["sector: mines, name_zh: 矿山局", "name_zh: 矿山局"]);
    expect(errors(text)).toEqual([
      `${at(text, "{ id: chengguan-station")} units[1].region: is required for a territorial unit`,
      `${at(text, "{ id: mines-bureau")} units[2].sector: is required for a sectoral unit`,
    ]);
  });

  it("routes to unknown places and units, without a unit, and twice for one region and sector", () => {
    const text = edit(
      ["{ region: chengguan, unit: chengguan-station }", "{ region: xinhe, unit: chengguan-station }"],
      ["{ sector: mines, unit: mines-bureau }", "{ sector: mines, unit: mines-office }"],
      [
        "{ region: chengguan, sector: fireworks, unit: chengguan-station }",
        "{ region: chengguan, sector: fireworks }\n  - { sector: roads, unit: office }\n  - { sector: mines, unit: office }",
      ],
    );
    expect(errors(text)).toEqual([
      `${at(text, "xinhe")} routes[0].region: no region "xinhe"`,
      `${at(text, "mines-office")} routes[1].unit: no unit "mines-office"`,
      `${at(text, "{ region: chengguan, sector: fireworks }")} routes[2].unit: is required`,
      `${at(text, "roads")} routes[3].sector: no sector "roads"`,
      `${at(text, "{ sector: mines, unit: office }")} routes[4]: a route for the same region and sector is already given at routes[1]`,
    ]);
  });

  it("tells a region's route from a region-and-sector route (null matters), but not two catch-all routes", () => {
    expect(parsed(BASE).routes).toHaveLength(3);
    const text = `${BASE.replace("members:", "  - { unit: office }\n  - { unit: chengguan-station }\nmembers:")}`;
    expect(errors(text)).toEqual([`${at(text, "{ unit: chengguan-station }")} routes[4]: the catch-all route is already given at routes[3]`]);
  });

  it("members in unknown units, with no roles, unknown or repeated roles, a bad id, or listed twice", () => {
    const text = edit([
      "  - { telegram_id: 100001, name: 张伟, unit: chengguan-station, roles: [liaison] }",
      [
        "  - { telegram_id: 100001, name: 张伟, unit: chengguan-station, roles: [liaison] }",
        "  - { telegram_id: 100001, name: 张伟, unit: office, roles: [leader] }",
        "  - { telegram_id: 100001, name: 张伟, unit: chengguan-station, roles: [leader] }",
        "  - { telegram_id: 100002, name: 李娜, unit: nowhere, roles: [] }",
        "  - { telegram_id: 12.5, name: 王芳, unit: office, roles: [boss, dispatcher, dispatcher] }",
      ].join("\n"),
    ]);
    expect(errors(text)).toEqual([
      `${at(text, "{ telegram_id: 100001", 3)} members[2]: telegram_id 100001 is already a member of "chengguan-station"`,
      `${at(text, "nowhere")} members[3].unit: no unit "nowhere"`,
      `${at(text, "[]")} members[3].roles: must list at least one role`,
      `${at(text, "12.5")} members[4].telegram_id: must be a whole number`,
      `${at(text, "boss")} members[4].roles[0]: must be one of liaison, dispatcher, leader, admin, not "boss"`,
      `${at(text, "dispatcher", 2)} members[4].roles[2]: role "dispatcher" is listed twice`,
    ]);
  });

  it("chats: a unit chat without its unit, another with one, an unknown purpose and unit, a chat listed twice", () => {
    const text = edit([
      "  - { chat_id: -1001234567890, title: 城关镇安全生产工作群, purpose: unit, unit: chengguan-station }",
      [
        "  - { chat_id: -1001, title: 工作群, purpose: unit }",
        "  - { chat_id: -1002, title: 领导群, purpose: leaders, unit: office }",
        "  - { chat_id: -1003, title: 群, purpose: gossip }",
        "  - { chat_id: -1004, title: 群, purpose: unit, unit: nobody }",
        "  - { chat_id: -1001, title: 又一个, purpose: public }",
      ].join("\n"),
    ]);
    expect(errors(text)).toEqual([
      `${at(text, "{ chat_id: -1001,")} chats[0].unit: is required when purpose is "unit"`,
      `${at(text, "office }")} chats[1].unit: only a chat with purpose "unit" belongs to a unit (this one is "leaders")`,
      `${at(text, "gossip")} chats[2].purpose: must be one of unit, dispatchers, leaders, public, not "gossip"`,
      `${at(text, "nobody")} chats[3].unit: no unit "nobody"`,
      `${at(text, "-1001", 2)} chats[4].chat_id: chat -1001 is listed twice`,
    ]);
  });

  it("a calendar with times out of order or not times, bad dates, a date twice or on both lists, an unknown field", () => {
    const text = `${BASE}calendar:
  work_hours: { start: "9", end: "08:00", lunch: { start: "12:00", end: "11:00" } }
  workdays: [2027-02-06, 2027-02-30]
  holidays: [2027-02-06, 2027-02-10, 2027-02-10, 20270211]
  weekends: [saturday]
`;
    expect(errors(text)).toEqual([
      `${at(text, '"9"')} calendar.work_hours.start: must be a time of day as "HH:MM", e.g. "08:30"`,
      `${at(text, '"11:00"')} calendar.work_hours.lunch.end: must be after the lunch break's start (12:00)`,
      `${at(text, "2027-02-30")} calendar.workdays[1]: must be a date as YYYY-MM-DD, e.g. 2027-02-10`,
      `${at(text, "2027-02-06", 2)} calendar.holidays[0]: 2027-02-06 is also listed under workdays: a day is either a workday or a holiday`,
      `${at(text, "2027-02-10", 2)} calendar.holidays[2]: 2027-02-10 is listed twice`,
      `${at(text, "20270211")} calendar.holidays[3]: must be text, not 20270211`,
      `${at(text, "weekends")} calendar.weekends: is not a known field here (expected work_hours, workdays, holidays)`,
    ]);
    const late = `${BASE}calendar:\n  work_hours: { start: "08:30", end: "08:00" }\n`;
    expect(errors(late)).toEqual([`${at(late, '"08:00"')} calendar.work_hours.end: must be after start (08:30)`]);
    const lunch = `${BASE}calendar:\n  work_hours: { start: "08:30", end: "12:00", lunch: { start: "11:30", end: "13:00" } }\n`;
    expect(errors(lunch)).toEqual([`${at(lunch, '{ start: "11:30"')} calendar.work_hours.lunch: must lie inside the working day (08:30 to 12:00)`]);
  });

  it("deadlines under an unknown kind or severity, without exactly one unit, or out of range", () => {
    const text = `${BASE}deadlines:
  urgent_hazard: { accept: { working_hours: 2 } }
  hazard:
    urgent: { accept: { working_hours: 2, working_days: 1 }, resolve: { days: 3 } }
    severe: { resolve: { working_days: 1 } }
    ordinary: { resolve: {} }
  consultation: { answer: { working_days: 5 } }
  task: { resolve: { working_days: 2.5 } }
  verify: { calendar_days: -1 }
`;
    expect(errors(text)).toEqual([
      `${at(text, "urgent_hazard")} deadlines.urgent_hazard: is not a known field here (expected hazard, violation, consultation, task, verify)`,
      `${at(text, "{ working_hours: 2, working_days: 1 }")} deadlines.hazard.urgent.accept: give exactly one of working_hours, working_days or calendar_days`,
      `${at(text, "days: 3")} deadlines.hazard.urgent.resolve.days: is not a known field here (expected working_hours, working_days, calendar_days)`,
      `${at(text, "severe")} deadlines.hazard.severe: is not a known field here (expected accept, resolve, verify, ordinary, urgent, major)`,
      `${at(text, "{}")} deadlines.hazard.ordinary.resolve: give exactly one of working_hours, working_days or calendar_days`,
      `${at(text, "answer")} deadlines.consultation.answer: is not a known field here (expected accept, resolve, verify, ordinary, urgent, major)`,
      `${at(text, "2.5")} deadlines.task.resolve.working_days: must be a whole number`,
      `${at(text, "-1 }")} deadlines.verify.calendar_days: must be 0 or more`,
    ]);
  });

  it("an escalation chain with an unknown step or a step twice", () => {
    const text = `${BASE}escalation: [unit_head, boss, unit_head]\n`;
    expect(errors(text)).toEqual([
      `${at(text, "boss")} escalation[1]: must be one of liaison, unit_head, dispatchers, leaders, not "boss"`,
      `${at(text, "unit_head", 2)} escalation[2]: "unit_head" is listed twice`,
    ]);
  });

  it("reminders with a bad pattern, no text, no chat, an unknown holiday rule, or an id twice", () => {
    const text = `${BASE}schedules:
  - { id: weekly, chat: -1001, cron: "0 25 * * 5", text: 周报 }
  - { id: weekly, chat: 0, cron: "@weekly", text: "  " }
  - { id: Monthly, cron: "0 9 25 * *", text: 月计划, holidays: maybe }
`;
    const pattern = 'must be a five-field cron pattern (minute hour day month weekday) that runs, e.g. "0 15 * * 5"';
    expect(errors(text)).toEqual([
      `${at(text, '"0 25 * * 5"')} schedules[0].cron: ${pattern}`,
      `${at(text, "weekly", 2)} schedules[1].id: schedule "weekly" is listed twice`,
      `${at(text, "0, cron")} schedules[1].chat: must be a Telegram chat id`,
      `${at(text, '"@weekly"')} schedules[1].cron: ${pattern}`,
      `${at(text, '"  "')} schedules[1].text: must not be empty`,
      `${at(text, "{ id: Monthly")} schedules[2].chat: is required`,
      `${at(text, "Monthly")} schedules[2].id: must be 1-40 characters of a-z, 0-9, _ and -, starting with a letter or digit`,
      `${at(text, "maybe")} schedules[2].holidays: must be one of fire, skip, shift, not "maybe"`,
    ]);
  });

  it("every problem at once, in the order they appear", () => {
    const text = edit(
      ["level: county", "level: town"],
      ["name_en: Mines }", "name_en: Mines, colour: red }"],
      ["region: chengguan }", "region: chengguan2 }"],
      ["roles: [liaison]", "roles: []"],
    );
    const result = parseDirectory(text, FILE);
    expect(result.ok).toBe(false);
    const list = (result as { errors: DirectoryError[] }).errors;
    expect(list.map((e) => e.field)).toEqual(["regions[0].level", "sectors[0].colour", "units[1].region", "members[0].roles"]);
    expect(list.map((e) => e.line)).toEqual([...list.map((e) => e.line)].sort((a, b) => a - b));
  });
});

describe("formatDirectoryError", () => {
  it("reads file:line:col field: message", () => {
    expect(formatDirectoryError({ file: "directory.yaml", line: 12, column: 7, field: "units[3].region", message: 'no region "chengguan2"' })).toBe(
      'directory.yaml:12:7 units[3].region: no region "chengguan2"',
    );
  });

  it("leaves the field out when there is none", () => {
    expect(formatDirectoryError({ file: "d.yaml", line: 1, column: 1, field: "", message: "bad" })).toBe("d.yaml:1:1 bad");
  });
});

describe("serializeDirectory", () => {
  it("gives back the same directory when its text is parsed again", () => {
    const d = parsed(BASE);
    expect(parsed(serializeDirectory(d))).toEqual(d);
  });

  it("parses the example's commented-out members, chats and reminders once they are taken in", () => {
    const d = parsed(boundExample);
    expect(d.members?.map((m) => m.unitId)).toEqual(["chengguan-station", "county-office"]);
    expect(d.chats?.map((c) => c.purpose)).toEqual(["unit", "dispatchers"]);
    expect(d.schedules?.map((s) => s.key)).toEqual(["weekly-report", "monthly-plan", "bulletin"]);
  });

  it("round-trips the example office", () => {
    const d = parsed(boundExample);
    const again = serializeDirectory(d);
    expect(parsed(again)).toEqual(d);
    // Stable: the same directory always gives the same text.
    expect(serializeDirectory(parsed(again))).toBe(again);
  });

  it("writes the file's shape: a tree of regions, one line per row elsewhere", () => {
    expect(serializeDirectory(parsed(BASE))).toBe(`regions:
  - id: qinghe
    name_zh: 清河县
    name_en: Qinghe County
    level: county
    children:
      - id: chengguan
        name_zh: 城关镇
        name_en: Chengguan Town
        level: town
        area: { lat: 30, lng: 120, radius_m: 3000 }
        children:
          - id: dongguan
            name_zh: 东关村
            name_en: Dongguan Village
            level: village
      - id: xicheng
        name_zh: 西城街道
        name_en: Xicheng Subdistrict
        level: town
        polygon: [ [ 30, 119.95 ], [ 30, 119.96 ], [ 30.01, 119.96 ] ]

sectors:
  - { id: mines, name_zh: 矿山, name_en: Mines }
  - { id: fireworks, name_zh: 烟花爆竹, name_en: Fireworks }

units:
  - { id: office, kind: office, name_zh: 县安委办, name_en: County Safety Committee Office }
  - { id: chengguan-station, kind: territorial, name_zh: 城关镇安监站, name_en: Chengguan Station, region: chengguan }
  - { id: mines-bureau, kind: sectoral, sector: mines, name_zh: 矿山局, name_en: Mines Bureau }

routes:
  - { region: chengguan, unit: chengguan-station }
  - { sector: mines, unit: mines-bureau }
  - { region: chengguan, sector: fireworks, unit: chengguan-station }

members:
  - { telegram_id: 100001, name: 张伟, unit: chengguan-station, roles: [ liaison ] }

chats:
  - { chat_id: -1001234567890, title: 城关镇安全生产工作群, purpose: unit, unit: chengguan-station }
`);
  });

  it("writes the time sections and reminders back, quoting times, patterns and texts, and reads them back the same", () => {
    const d = parsed(BASE + TIME.replace("text: 请报送下月工作计划", 'text: "请报送下月工作计划：\\n一、重点工作"'));
    const text = serializeDirectory(d);
    expect(text.slice(text.indexOf("calendar:"))).toBe(`calendar:
  work_hours: { start: "08:30", end: "17:30", lunch: { start: "12:00", end: "14:00" } }
  workdays: [ 2027-02-20 ]
  holidays: [ 2027-02-05, 2027-02-08 ]

deadlines:
  hazard:
    resolve: { working_days: 10 }
    urgent: { accept: { working_hours: 2 }, resolve: { working_days: 3 } }
  consultation:
    resolve: { working_days: 5 }
  verify: { calendar_days: 7 }

escalation: [ dispatchers, leaders ]

schedules:
  - { id: weekly-report, chat: -1001234567890, cron: "0 15 * * 5", holidays: shift, text: "请报送本周工作情况" }
  - { id: monthly-plan, chat: -1001234567890, cron: "0 9 25 * *", holidays: skip, paused: true, text: "请报送下月工作计划：\\n一、重点工作" }
  - { id: bulletin, chat: -1001234567890, cron: "0 9 1,16 * *", holidays: shift, ranking: half, text: "安全生产工作通报" }
`);
    expect(parsed(text)).toEqual(d);
    const empty = parsed(`${BASE}calendar:\ndeadlines:\nschedules: []\nescalation: []\n`);
    expect(parsed(serializeDirectory(empty))).toEqual(empty);
  });

  it("writes a sector's sort only where list order would not give it, and leaves out absent sections", () => {
    const d: Directory = {
      regions: [],
      sectors: [
        { id: "mines", nameZh: "矿山", nameEn: "Mines", sort: 10 },
        { id: "fire", nameZh: "消防安全", nameEn: "Fire safety", sort: 60 },
        { id: "roads", nameZh: "道路交通", nameEn: "Roads", sort: 30 },
      ],
      units: [],
      routes: [],
    };
    const text = serializeDirectory(d);
    expect(text).toContain("- { id: mines, name_zh: 矿山, name_en: Mines }\n");
    expect(text).toContain("- { id: fire, name_zh: 消防安全, name_en: Fire safety, sort: 60 }\n");
    expect(text).toContain("- { id: roads, name_zh: 道路交通, name_en: Roads }\n");
    for (const section of ["members", "chats", "schedules", "calendar", "deadlines", "escalation"]) expect(text).not.toContain(section);
    expect(parsed(text)).toEqual(d);
  });

  it("quotes what YAML would otherwise read as something else", () => {
    const d = parsed(BASE);
    const odd: Directory = {
      ...d,
      sectors: [{ id: "0012", nameZh: "true", nameEn: "null", sort: 10 }],
      units: [],
      routes: [],
      members: [],
      chats: [],
    };
    expect(parsed(serializeDirectory(odd))).toEqual(odd);
  });
});

describe("planSync", () => {
  const current = parsed(BASE);

  it("finds nothing to do between a directory and itself", () => {
    const plan = planSync(current, parsed(BASE));
    for (const table of DIRECTORY_TABLES.map((t) => plan[t])) {
      expect(table.added).toEqual([]);
      expect(table.changed).toEqual([]);
      expect(table.missing).toEqual([]);
    }
    expect(plan.regions.unchanged).toHaveLength(4);
  });

  it("names the fields that changed, by their names in the file", () => {
    const wanted = parsed(
      edit(
        ["name_en: Chengguan Town", "name_en: Chengguan Township"],
        ["radius_m: 3000", "radius_m: 3500"],
        ["roles: [liaison]", "roles: [liaison, leader]"],
      ),
    );
    const plan = planSync(current, wanted);
    expect(plan.regions.changed.map((c) => [c.after.id, c.fields])).toEqual([["chengguan", ["name_en", "area"]]]);
    expect(plan.members.changed.map((c) => c.fields)).toEqual([["roles"]]);
  });

  it("keys routes by region and sector, null included, so a new unit for one is a change", () => {
    const wanted = parsed(
      edit(["{ region: chengguan, sector: fireworks, unit: chengguan-station }", "{ region: chengguan, sector: fireworks, unit: office }"]),
    );
    const plan = planSync(current, wanted);
    expect(plan.routes.changed.map((c) => [c.before.unitId, c.after.unitId, c.fields])).toEqual([["chengguan-station", "office", ["unit"]]]);
    expect(plan.routes.unchanged).toHaveLength(2);
  });

  it("lists what the file no longer has as missing", () => {
    const wanted = parsed(
      edit(
        ["  - { id: mines-bureau, kind: sectoral, sector: mines, name_zh: 矿山局, name_en: Mines Bureau }\n", ""],
        ["  - { sector: mines, unit: mines-bureau }\n", ""],
      ),
    );
    const plan = planSync(current, wanted);
    expect(plan.units.missing.map((u) => u.id)).toEqual(["mines-bureau"]);
    expect(plan.routes.missing).toEqual([{ regionId: null, sectorId: "mines", unitId: "mines-bureau" }]);
  });

  it("leaves members and chats alone when the file has no such section", () => {
    const plan = planSync(current, parsed(BASE.slice(0, BASE.indexOf("members:"))));
    expect(plan.members).toMatchObject({ managed: false, added: [], changed: [], missing: [] });
    expect(plan.members.unchanged).toEqual(current.members);
    expect(plan.chats.managed).toBe(false);
  });
});

describe("planSync: settings sections", () => {
  const current = parsed(BASE + TIME);

  it("finds nothing to do between the same settings, and leaves out-of-file sections alone", () => {
    const same = planSync(current, parsed(BASE + TIME));
    expect([same.settings.calendar.state, same.settings.deadlines.state, same.settings.escalation.state]).toEqual([
      "unchanged",
      "unchanged",
      "unchanged",
    ]);
    const absent = planSync(current, parsed(BASE));
    expect(absent.settings.deadlines).toMatchObject({ managed: false, state: "absent", after: current.deadlines });
    expect(absent.schedules).toMatchObject({ managed: false, added: [], missing: [] });
  });

  it("names what changed, by the file's names; a section never stored is added", () => {
    const wanted = parsed(
      BASE +
        TIME.replace("holidays: [2027-02-08, 2027-02-05]", "holidays: [2027-02-08]").replace(
          "verify: { calendar_days: 7 }",
          "verify: { calendar_days: 10 }",
        ),
    );
    const plan = planSync(current, wanted);
    expect(plan.settings.calendar).toMatchObject({ state: "changed", fields: ["holidays"] });
    expect(plan.settings.deadlines).toMatchObject({ state: "changed", fields: ["verify"] });
    expect(planSync(parsed(BASE), wanted).settings.calendar).toMatchObject({
      state: "added",
      before: undefined,
      fields: ["work_hours", "workdays", "holidays"],
    });
  });

  it("keys reminders by their id: another text is a change, another id a new one", () => {
    const plan = planSync(
      current,
      parsed(BASE + TIME.replace("text: 请报送下月工作计划", "text: 请报送下月计划").replace("id: weekly-report", "id: weekly")),
    );
    expect(plan.schedules.changed.map((c) => [c.after.key, c.fields])).toEqual([["monthly-plan", ["text"]]]);
    expect(plan.schedules.added.map((s) => s.key)).toEqual(["weekly"]);
    expect(plan.schedules.missing.map((s) => s.key)).toEqual(["weekly-report"]);
  });
});
