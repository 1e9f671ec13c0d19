/**
 * The console's new-case form over HTTP (GET and POST /console/api/intake): a dispatcher
 * records a 12345 work order and an assignment from above through the same intake as the
 * chat's /new; a liaison may not (403); a body of the wrong shape is a 400 that says which
 * field, and a draft the office cannot take is a 422 naming every problem at once.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseEvents, cases, members } from "../../db/schema";
import type { IntakeFormResponse, IntakeRequest } from "../../src/console/contract";
import type { InitDataUser } from "../../src/console/init-data";
import { consoleFetch } from "../support/console";
import { seedSmallCounty } from "../support/county";
import { type Harness, startHarness } from "../support/harness";

let h: Harness;
const dispatcher = { id: 9751, first_name: "Zhou", language_code: "en" };
const liaison = { id: 9752, first_name: "Li" };
let sectorId = "";

const post = async (body: unknown, as: InitDataUser = dispatcher) => {
  const res = await consoleFetch(h, "intake", { as, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};
const form = (extra: Partial<IntakeRequest> = {}): IntakeRequest => ({
  submission: `form-${Math.random().toString(36).slice(2, 12)}`,
  source: "hotline",
  reference: "GD-2026-000777",
  kind: "hazard",
  sectorId,
  regionId: "town-a",
  description: "Scaffolding on the site at Industry Road has no safety net; workers are not tied on.",
  urgent: false,
  anonymous: true,
  reward: false,
  ...extra,
});
const caseOf = async (number: string) => (await h.hazardline.db.select().from(cases).where(eq(cases.number, number)))[0]!;

beforeAll(async () => {
  h = await startHarness();
  await seedSmallCounty(h.hazardline.db);
  await h.hazardline.db.insert(members).values([
    { telegramId: dispatcher.id, unitId: "office", roles: ["dispatcher"], name: "Zhou" },
    { telegramId: liaison.id, unitId: "station-a", roles: ["liaison"], name: "Li" },
  ]);
  const res = await consoleFetch(h, "intake", { as: dispatcher });
  expect(res.status).toBe(200);
  const offered = (await res.json()) as IntakeFormResponse;
  expect(offered.sources.map((s) => [s.id, s.reference])).toContainEqual(["hotline", "required"]);
  expect(offered.towns).toEqual([{ id: "town-a", name: "Chengguan Town" }]);
  sectorId = offered.sectors[0]!.id;
});
afterAll(() => h.stop());

describe("POST /console/api/intake", () => {
  it("records a 12345 work order with its number, routed like any other case, the dispatcher in the ledger", async () => {
    const body = form();
    const { status, json } = await post(body);
    expect(status).toBe(200);
    expect(json).toMatchObject({ ok: true, number: expect.stringMatching(/^YH-/) });
    const row = await caseOf(json.number as string);
    expect(row).toMatchObject({ source: "hotline", sourceRef: "GD-2026-000777", kind: "hazard", unitId: "station-a", anonymous: true });
    const [submitted] = await h.hazardline.db.select().from(caseEvents).where(eq(caseEvents.caseId, row.id));
    expect(submitted).toMatchObject({ actorKind: "member", data: { source: "hotline", ref: "GD-2026-000777" } });

    // The same form posted again is the same case.
    expect(await post(body)).toEqual({ status: 200, json: { ok: true, number: json.number } });
  });

  it("records an assignment from above as a task, named, and gives an anonymous reward claim its code", async () => {
    const task = await post(form({ source: "superior", reference: undefined, kind: "task", anonymous: false, name: "Wang", phone: "13812345678" }));
    expect(task.status).toBe(200);
    expect(await caseOf(task.json.number as string)).toMatchObject({ kind: "task", source: "superior", anonymous: false });

    const claim = await post(form({ source: "phone", reference: undefined, kind: "violation", reward: true }));
    expect(claim.json).toMatchObject({ ok: true, claimCode: expect.any(String) });
  });

  it("names every problem of a draft it cannot take, at once, and stores nothing", async () => {
    const before = (await h.hazardline.db.select().from(cases)).length;
    const { status, json } = await post(form({ reference: undefined, kind: "task", anonymous: false, description: "short" }));
    expect(status).toBe(422);
    expect(json).toMatchObject({ ok: false, code: "INVALID" });
    expect((json.problems as Array<{ code: string }>).map((p) => p.code)).toEqual([
      "reference-missing",
      "kind-missing",
      "description-too-short",
      "name-missing",
      "phone-missing",
    ]);
    expect(json.message).toContain("A 12345 work order needs its order number");
    expect((await h.hazardline.db.select().from(cases)).length).toBe(before);
  });

  it("answers 400 for a body of the wrong shape, and 403 to a liaison", async () => {
    const wrong = await post({ ...form(), source: "telegram", urgent: "yes" });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toMatch(/source: .*; urgent: /);
    expect((await post("not json")).status).toBe(400);
    expect((await post(form(), liaison)).status).toBe(403);
    expect((await consoleFetch(h, "intake", { as: liaison })).status).toBe(403);
  });
});
