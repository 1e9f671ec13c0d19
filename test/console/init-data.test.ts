/** The Mini App's launch data: signed by the bot's token, refused when changed, signed by another bot, or a day old. */
import { describe, expect, it } from "vitest";
import { INIT_DATA_MAX_AGE_MS, signFields, signInitData, verifyInitData } from "../../src/console/init-data";

const TOKEN = "123456:launch-data-test";
const user = { id: 4242, first_name: "周", language_code: "zh-hans" };

describe("verifyInitData", () => {
  it("accepts launch data signed with the bot's token, and reads the user", async () => {
    const now = Date.UTC(2026, 11, 5, 8);
    const check = await verifyInitData(await signInitData(user, TOKEN, now), TOKEN, now + 60_000);
    expect(check).toEqual({ ok: true, user, authDate: now });
  });

  it("refuses data signed by another bot, and data with one field changed", async () => {
    const now = Date.now();
    expect(await verifyInitData(await signInitData(user, "999:other", now), TOKEN, now)).toEqual({ ok: false, reason: "bad-signature" });
    const forged = (await signInitData(user, TOKEN, now)).replace("4242", "4243");
    expect(await verifyInitData(forged, TOKEN, now)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses data older than a day, and data signed in the future", async () => {
    const at = Date.now();
    const data = await signInitData(user, TOKEN, at);
    expect((await verifyInitData(data, TOKEN, at + INIT_DATA_MAX_AGE_MS - 1000)).ok).toBe(true);
    expect(await verifyInitData(data, TOKEN, at + INIT_DATA_MAX_AGE_MS + 1000)).toEqual({ ok: false, reason: "expired" });
    expect(await verifyInitData(data, TOKEN, at - 10 * 60_000)).toEqual({ ok: false, reason: "expired" });
  });

  it("calls anything else malformed, without throwing", async () => {
    for (const junk of ["", "hash=zz", "auth_date=1&hash=abc", "user=%7B&auth_date=x", "a".repeat(10_000)]) {
      expect(await verifyInitData(junk, TOKEN, Date.now())).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("needs a user in the data", async () => {
    const at = String(Math.floor(Date.now() / 1000));
    const cases: Record<string, string>[] = [{ auth_date: at }, { auth_date: at, user: "{" }, { auth_date: at, user: '{"id":-1}' }];
    for (const fields of cases) {
      expect(await verifyInitData(await signFields(fields, TOKEN), TOKEN, Date.now())).toEqual({ ok: false, reason: "no-user" });
    }
  });
});
