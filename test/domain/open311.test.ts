/** Open311's pure mapping: a partner's POST read into a draft, GET's filters, and the spec's XML. */
import { describe, expect, it } from "vitest";
import { publishedTimeline } from "../../src/domain/case-status";
import { parseCaseNumber } from "../../src/domain/numbering";
import { DEFAULT_WINDOW_MS, readRequestPost, readRequestQuery, toXml, w3cTime } from "../../src/domain/open311";

const NOW = Date.UTC(2026, 11, 6, 3);
const SECTORS = new Set(["construction", "fire"]);
const post = (f: Record<string, string>) => readRequestPost(f, SECTORS, NOW, () => "random-id");
const base = { service_code: "construction", lat: "36.9", long: "115.9", description: "tower crane limiter broken, still lifting" };

describe("readRequestPost", () => {
  it("reads an anonymous hazard report, ordinary, no reward, with a random id", () => {
    const r = post(base);
    expect(r).toMatchObject({
      ok: true,
      post: {
        draft: {
          id: "random-id",
          kind: "hazard",
          flow: "report",
          sectorId: "construction",
          anonymous: true,
          urgent: false,
          reward: false,
          location: { lat: 36.9, lng: 115.9 },
        },
      },
    });
  });

  it("derives the draft's id from attribute[ref], so a retried post is the same draft", () => {
    const a = post({ ...base, "attribute[ref]": "WO-1" });
    const b = post({ ...base, "attribute[ref]": "WO-1", description: "other words for the same request" });
    expect(a.ok && b.ok && a.post.draft.id === b.post.draft.id && a.post.ref === "WO-1").toBe(true);
  });

  it("names a request with a given phone, the family name first for a Chinese name", () => {
    const r = post({ ...base, first_name: "\u5c0f\u7ea2", last_name: "\u674e", phone: "+86 137 0000 1111" });
    expect(r).toMatchObject({ ok: true, post: { name: "\u674e\u5c0f\u7ea2", draft: { anonymous: false, phone: "13700001111" } } });
    expect(post({ ...base, first_name: "Ann", last_name: "Lee", phone: "13700001111" })).toMatchObject({ post: { name: "Ann Lee" } });
  });

  it("refuses what it cannot take, saying which field", () => {
    const key = (f: Record<string, string>) => {
      const r = post(f);
      return r.ok ? "ok" : r.problem.key;
    };
    expect(key({ ...base, service_code: "" })).toBe("open311-error-service-code-missing");
    expect(key({ ...base, service_code: "potholes" })).toBe("open311-error-service-code");
    expect(key({ ...base, lat: "" })).toBe("open311-error-location");
    expect(key({ ...base, long: "200" })).toBe("open311-error-location");
    expect(key({ ...base, lat: "", long: "" })).toBe("open311-error-place");
    expect(key({ ...base, lat: "", long: "", address_string: "8 Jianshe Road" })).toBe("ok");
    expect(key({ ...base, "attribute[ref]": "a b" })).toBe("open311-error-ref");
    expect(key({ ...base, last_name: "Lee" })).toBe("open311-error-phone");
  });
});

describe("readRequestQuery", () => {
  const read = (q: Record<string, string>) => readRequestQuery(q, NOW, parseCaseNumber);

  it("looks back 90 days by default, but not when asked by id", () => {
    expect(read({})).toEqual({ ok: true, query: { from: NOW - DEFAULT_WINDOW_MS } });
    const end = Date.UTC(2026, 10, 1);
    expect(read({ end_date: new Date(end).toISOString() })).toMatchObject({ query: { from: end - DEFAULT_WINDOW_MS, to: end } });
    expect(read({ service_request_id: "YH-20261206-0001" })).toMatchObject({ query: { numbers: ["YH-20261206-0001"], from: undefined } });
  });

  it("reads comma lists and one status, and refuses what is not one", () => {
    expect(read({ service_code: "construction, fire", status: "open" })).toMatchObject({
      query: { serviceCodes: ["construction", "fire"], status: "open" },
    });
    expect(read({ status: "open,closed" })).toMatchObject({ query: { status: undefined } });
    expect(read({ status: "pending" })).toMatchObject({ ok: false, problem: { key: "open311-error-status" } });
    expect(read({ start_date: "last week" })).toMatchObject({ ok: false, problem: { key: "open311-error-date" } });
    expect(read({ service_request_id: "42" })).toMatchObject({ ok: false, problem: { key: "open311-error-request-id" } });
  });
});

describe("the spec's formats", () => {
  it("writes W3C times in UTC to the second", () => {
    expect(w3cTime(Date.UTC(2026, 11, 6, 2, 59, 10, 123))).toBe("2026-12-06T02:59:10Z");
  });

  it("writes XML with every value escaped and a null as an empty element", () => {
    expect(toXml("errors", "error", [{ code: 400, description: '<b>&"x"</b>', extra: null }])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<errors><error><code>400</code><description>&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;</description><extra/></error></errors>\n',
    );
  });
});

describe("publishedTimeline", () => {
  it("leaves out what concerns only the reporter, and masks numbers in a rejection's reason", () => {
    expect(
      publishedTimeline([
        { at: 1, step: "received" },
        { at: 2, step: "asked", words: "where exactly?" },
        { at: 3, step: "supplemented" },
        { at: 4, step: "answered", words: "call 13812345678" },
        { at: 5, step: "rejected", reason: "duplicate, caller 13812345678" },
      ]),
    ).toEqual([
      { at: 1, step: "received" },
      { at: 4, step: "answered" },
      { at: 5, step: "rejected", reason: "duplicate, caller 138****5678" },
    ]);
  });
});
