/**
 * The console's API over HTTP against the real app: credentials are checked before routing
 * (401 without, 403 for someone who is not staff, the same for a path that does not exist),
 * and a staff member is told who they are.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { members } from "../../db/schema";
import { consoleFetch, initDataFor } from "../support/console";
import { seedSmallCounty } from "../support/county";
import { type Harness, startHarness } from "../support/harness";

let h: Harness;
const dispatcher = { id: 9701, first_name: "周", language_code: "zh-hans" };
const liaison = { id: 9702, first_name: "Li", language_code: "en" };
const citizen = { id: 9799, first_name: "群众" };

beforeAll(async () => {
  h = await startHarness();
  await seedSmallCounty(h.hazardline.db);
  await h.hazardline.db.insert(members).values([
    { telegramId: dispatcher.id, unitId: "office", roles: ["dispatcher"], name: "周调度" },
    { telegramId: liaison.id, unitId: "station-a", roles: ["liaison"], name: "Li" },
  ]);
});
afterAll(() => h.stop());

describe("/console/api: who may call it", () => {
  it("answers 401 without credentials or with bad ones, before routing", async () => {
    for (const path of ["me", "cases", "no/such/path"]) {
      expect((await consoleFetch(h, path)).status).toBe(401);
      expect((await consoleFetch(h, path, { authorization: "tma auth_date=1&hash=00" })).status).toBe(401);
      expect((await consoleFetch(h, path, { authorization: "Bearer x" })).status).toBe(401);
    }
    const stale = await initDataFor(dispatcher, Date.now() - 25 * 60 * 60_000);
    expect((await consoleFetch(h, "me", { authorization: `tma ${stale}` })).status).toBe(401);
  });

  it("answers 403 to a citizen or a stranger with valid launch data, whatever the path", async () => {
    for (const path of ["me", "no/such/path"]) {
      const res = await consoleFetch(h, path, { as: citizen });
      expect(res.status).toBe(403);
    }
  });

  it("tells a staff member who they are, in their language", async () => {
    const me = await consoleFetch(h, "me", { as: dispatcher });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ name: "周调度", locale: "zh-CN", roles: ["dispatcher"], units: [{ id: "office" }] });
    const en = await (await consoleFetch(h, "me", { as: liaison })).json();
    expect(en).toMatchObject({ locale: "en", roles: ["liaison"], units: [{ id: "station-a" }] });
    expect((await consoleFetch(h, "no/such/path", { as: dispatcher })).status).toBe(404);
  });
});
