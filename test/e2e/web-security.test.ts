/**
 * Web security over HTTP against the real app (issue 17, point 8), for EVERY route it serves:
 * the route list is read from the Hono app itself (`app.routes`, and local mode's own app), and
 * a route this file has not classified fails the first test, so a new route cannot go
 * unchecked.
 *
 * - Every answer (pages, JSON, files, 404s, refusals) carries `X-Content-Type-Options: nosniff`.
 * - Every HTML page carries a Content-Security-Policy whose script sources (script-src, else
 *   default-src) allow neither 'unsafe-inline' nor 'unsafe-eval', and `frame-ancestors 'none'`,
 *   except the console's page, which Telegram's web clients frame as a Mini App
 *   (frame-ancestors https://web.telegram.org https://*.telegram.org; the phone and desktop
 *   apps open it in a webview, not a frame). The one allowance anywhere is inline *style* on
 *   pages with no script at all (the console login's failure page: src/web/security.ts).
 * - The console's session cookie is HttpOnly, Secure, SameSite=Strict (Lax would also do).
 * - Every state-changing route refuses a request a browser marks as cross-site (a foreign
 *   Origin, or Sec-Fetch-Site: cross-site) with 403 and stores nothing, even with valid
 *   credentials; the two doors for machines instead refuse without their credential: the
 *   webhook without its secret (401 before any parsing: test/e2e/webhook.test.ts covers the
 *   secret and the body limit in full) and Open311 without a partner's key (403).
 *
 * Figures (printed at the end): routes classified, answers checked for headers, cross-site
 * attempts refused.
 */
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { count } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeOfficeSettings } from "../../db/queries/settings";
import { cases, members } from "../../db/schema";
import { SESSION_COOKIE } from "../../src/console/contract";
import { REPORT_FIELDS as F } from "../../src/domain/web-report";
import { readCast } from "../../src/local/cast";
import { createBotApi, createLocalMode, MovableClock } from "../../src/local/mode";
import { initDataFor } from "../support/console";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { type Harness, startHarness, WEBHOOK_SECRET } from "../support/harness";
import { expectSoundDatabase } from "../support/integrity";
import { person } from "../support/people";

const DISPATCHER = { id: 9701, first_name: "周" };
const FOREIGN = "https://evil.example";

/** What a route is, and so what is asserted of it. */
type Kind =
  /** Registered with `use` (headers, auth, limits): no answer of its own. */
  | "middleware"
  /** An HTML page, framed by nobody. */
  | "page"
  /** The console's page: framed by Telegram's web clients only. */
  | "mini-app-page"
  /** JSON, a script, a style sheet, a redirect: not a page. */
  | "resource"
  /** Changes state: refuses cross-site requests with 403 and stores nothing. */
  | "write"
  /** Changes state for a machine with a credential: refuses without it. */
  | "credential-write";

/** Every route of the app (as `app.routes` names it), classified. */
const APP_ROUTES: Record<string, Kind> = {
  "ALL /*": "middleware",
  "ALL /console/api/*": "middleware",
  "ALL /open311/*": "middleware",
  "ALL /public/*": "middleware",
  "ALL /report": "middleware",
  "ALL /status": "middleware",
  "POST /console/api/*": "middleware",
  "POST /open311/v2/*": "middleware",
  "GET /console": "resource",
  "GET /console/*": "mini-app-page",
  "GET /console/api/cases": "resource",
  "GET /console/api/cases/:id": "resource",
  "GET /console/api/dashboard": "resource",
  "GET /console/api/directory": "resource",
  "GET /console/api/files/:token": "resource",
  "GET /console/api/intake": "resource",
  "GET /console/api/map": "resource",
  "GET /console/api/me": "resource",
  "GET /console/api/units/:id/liaisons": "resource",
  "GET /console/console.css": "resource",
  "GET /console/console.js": "resource",
  "GET /console/county-map.js": "resource",
  "GET /console/login": "page",
  "GET /console/strings": "resource",
  "GET /healthz": "resource",
  "GET /open311/v2/:file": "resource",
  "GET /open311/v2/requests/:file": "resource",
  "GET /public": "page",
  "GET /public/:number": "page",
  "GET /report": "page",
  "GET /site/county-map.js": "resource",
  "GET /site/regions.json": "resource",
  "GET /site/report.js": "resource",
  "GET /site/site.css": "resource",
  "GET /status": "page",
  "POST /console/api/cases/:id/actions": "write",
  "POST /console/api/intake": "write",
  "POST /console/api/logout": "write",
  "POST /open311/v2/:file": "credential-write",
  "POST /report": "write",
  "POST /status": "write",
  "POST /telegram": "credential-write",
};

/** Local mode's own routes (the rest it hands to the app above). */
const LOCAL_ROUTES: Record<string, Kind> = {
  "ALL /*": "middleware",
  "ALL /play/api/*": "middleware",
  "GET /": "page",
  "GET /favicon.ico": "resource",
  "GET /play/play.js": "resource",
  "GET /play/play.css": "resource",
  "GET /play/api/state": "resource",
  "GET /play/api/events": "resource",
  "GET /play/api/strings": "resource",
  "GET /play/api/map": "resource",
  "GET /play/files/:key": "resource",
  "POST /play/api/send": "write",
  "POST /play/api/press": "write",
  "POST /play/api/location": "write",
  "POST /play/api/contact": "write",
  "POST /play/api/upload": "write",
  "POST /play/api/clock": "write",
  "POST /play/api/tick": "write",
  "POST /play/api/reset": "write",
  "POST /play/api/scenario": "write",
};

const routeKeys = (app: Hono) => [...new Set(app.routes.map((r) => `${r.method} ${r.path}`))].sort();

/** The directives of a policy, by name. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

let h: Harness;
let caseId = 0;
let dispatcherAuth = "";
let answersChecked = 0;
let crossSiteRefused = 0;

/** Row counts of every table: what "stores nothing" compares. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await h.database.client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  const out: Record<string, number> = {};
  for (const row of tables.rows) {
    const name = String(row.name);
    out[name] = Number((await h.database.client.execute(`SELECT count(*) AS n FROM "${name}"`)).rows[0]!.n);
  }
  return out;
}

/** Asserts what every answer must carry, and for a page its policy; returns the body. */
async function expectHeaders(res: Response, kind: Kind | "error", what: string): Promise<string> {
  answersChecked++;
  const body = await res.text();
  expect(res.headers.get("x-content-type-options"), `nosniff on ${what}`).toBe("nosniff");
  const html = (res.headers.get("content-type") ?? "").startsWith("text/html");
  if (kind === "page" || kind === "mini-app-page") expect(html, `${what} is a page`).toBe(true);
  if (!html) return body;
  const csp = res.headers.get("content-security-policy");
  expect(csp, `CSP on ${what}`).toBeTruthy();
  const policy = directives(csp!);
  const scripts = policy.get("script-src") ?? policy.get("default-src");
  expect(scripts, `script sources of ${what}`).toBeDefined();
  expect(scripts, `script sources of ${what}`).not.toContain("'unsafe-inline'");
  expect(scripts, `script sources of ${what}`).not.toContain("'unsafe-eval'");
  expect(scripts, `script sources of ${what}`).not.toContain("*");
  // No page, whatever it is, holds a script of its own for a policy to forbid.
  expect(body, `inline script in ${what}`).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
  if (kind === "mini-app-page") {
    const ancestors = policy.get("frame-ancestors") ?? [];
    expect(ancestors, `frame-ancestors of ${what}`).toContain("https://web.telegram.org");
    for (const a of ancestors) expect(a, `frame-ancestors of ${what}`).toMatch(/^https:\/\/(web|\*)\.telegram\.org$/);
  } else {
    expect(policy.get("frame-ancestors"), `frame-ancestors of ${what}`).toEqual(["'none'"]);
  }
  return body;
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${h.baseUrl}${path}`, { headers, redirect: "manual" });

beforeAll(async () => {
  h = await startHarness();
  const db = h.hazardline.db;
  await seedSmallCounty(db, { mapped: true });
  await db.insert(members).values({ telegramId: DISPATCHER.id, unitId: "office", roles: ["dispatcher"], name: "周调度" });
  await writeOfficeSettings(db, { publication: { publicPage: true } }, Date.now());
  dispatcherAuth = `tma ${await initDataFor(DISPATCHER)}`;
  // A case to look at, entered on the console as its page does (same origin): the check below lets the Mini App's own writes through.
  const made = await fetch(`${h.baseUrl}/console/api/intake`, {
    method: "POST",
    headers: { Authorization: dispatcherAuth, "Content-Type": "application/json", Origin: h.baseUrl, "Sec-Fetch-Site": "same-origin" },
    body: JSON.stringify(intakeBody()),
  });
  expect(made.status, await made.clone().text()).toBeLessThan(300);
  caseId = (await db.select({ id: cases.id }).from(cases))[0]!.id;
});
afterAll(async () => {
  console.info(`web security: ${answersChecked} answers checked for headers, ${crossSiteRefused} cross-site writes refused`);
  await expectSoundDatabase(h.database.client, { settled: false });
  expect(h.fake.violations).toEqual([]);
  await h.stop();
});

/** A phone call entered on the console; each one different, or the office's double-submit check would take it for the first. */
let calls = 0;
function intakeBody() {
  calls++;
  return {
    submission: `intake-${crypto.randomUUID()}`,
    source: "phone",
    kind: "hazard",
    sectorId: "construction",
    regionId: "town-a",
    description: `来电反映城关镇建设路 ${calls} 号工地脚手架没有防护网，有坠落危险。`,
    urgent: false,
    anonymous: true,
    reward: false,
  };
}

describe("the route list", () => {
  it("classifies every route the app serves, and no route it does not", async () => {
    expect(routeKeys(h.hazardline.app)).toEqual(Object.keys(APP_ROUTES).sort());
  });
});

describe("headers on every answer", () => {
  /** The requests that reach each readable route of the app, with what they must answer. */
  const samples = (): Array<{ route: string; path: string; headers?: Record<string, string>; status: number }> => {
    const auth = { Authorization: dispatcherAuth };
    return [
      { route: "GET /console", path: "/console", status: 301 },
      { route: "GET /console/*", path: "/console/", status: 200 },
      { route: "GET /console/api/cases", path: "/console/api/cases", headers: auth, status: 200 },
      { route: "GET /console/api/cases/:id", path: `/console/api/cases/${caseId}`, headers: auth, status: 200 },
      { route: "GET /console/api/dashboard", path: "/console/api/dashboard", headers: auth, status: 200 },
      { route: "GET /console/api/directory", path: "/console/api/directory", headers: auth, status: 200 },
      { route: "GET /console/api/files/:token", path: "/console/api/files/not-a-token", headers: auth, status: 403 },
      { route: "GET /console/api/intake", path: "/console/api/intake", headers: auth, status: 200 },
      { route: "GET /console/api/map", path: "/console/api/map", headers: auth, status: 200 },
      { route: "GET /console/api/me", path: "/console/api/me", headers: auth, status: 200 },
      { route: "GET /console/api/me", path: "/console/api/me", status: 401 },
      { route: "GET /console/api/units/:id/liaisons", path: "/console/api/units/station-a/liaisons", headers: auth, status: 200 },
      { route: "GET /console/console.css", path: "/console/console.css", status: 200 },
      { route: "GET /console/console.js", path: "/console/console.js", status: 200 },
      { route: "GET /console/county-map.js", path: "/console/county-map.js", status: 200 },
      { route: "GET /console/login", path: "/console/login", status: 401 },
      { route: "GET /console/login", path: `/console/login?token=${"a".repeat(40)}`, status: 410 },
      { route: "GET /console/strings", path: "/console/strings?lang=en", status: 200 },
      { route: "GET /healthz", path: "/healthz", status: 200 },
      { route: "GET /open311/v2/:file", path: "/open311/v2/services.json", status: 200 },
      { route: "GET /open311/v2/:file", path: "/open311/v2/requests.xml", status: 200 },
      { route: "GET /open311/v2/requests/:file", path: "/open311/v2/requests/YH-20260101-0001.json", status: 404 },
      { route: "GET /public", path: "/public", status: 200 },
      { route: "GET /public/:number", path: "/public/YH-20260101-0001", status: 404 },
      { route: "GET /report", path: "/report", status: 200 },
      { route: "GET /site/county-map.js", path: "/site/county-map.js", status: 200 },
      { route: "GET /site/regions.json", path: "/site/regions.json", status: 200 },
      { route: "GET /site/report.js", path: "/site/report.js", status: 200 },
      { route: "GET /site/site.css", path: "/site/site.css", status: 200 },
      { route: "GET /status", path: "/status?lang=en", status: 200 },
    ];
  };

  it("sends nosniff on every answer, and on every page a policy with no inline script, framed only where the Mini App needs it", async () => {
    const list = samples();
    const readable = Object.entries(APP_ROUTES).filter(([, kind]) => kind !== "middleware" && kind !== "write" && kind !== "credential-write");
    // Every readable route is asked at least once.
    expect(new Set(list.map((s) => s.route))).toEqual(new Set(readable.map(([route]) => route)));
    for (const s of list) {
      const res = await get(s.path, s.headers);
      expect(res.status, s.path).toBe(s.status);
      await expectHeaders(res, APP_ROUTES[s.route]!, s.path);
    }
  });

  it("sends nosniff on what no route answers, and with an HTML error a policy too", async () => {
    for (const path of [
      "/no/such/page",
      "/console/no-such-file.js",
      "/console/api/no/such",
      "/open311/v2/services.csv",
      "/site/no-such.css",
      "/public/not-a-number",
    ]) {
      const res = await get(path, { Authorization: dispatcherAuth });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      await expectHeaders(res, "error", path);
    }
    // A method no route takes.
    const put = await fetch(`${h.baseUrl}/report`, { method: "PUT", body: "x" });
    expect(put.status).toBe(404);
    await expectHeaders(put, "error", "PUT /report");
  });
});

describe("the console's session cookie", () => {
  it("is HttpOnly, Secure, SameSite=Strict and scoped to /console, when set and when cleared", async () => {
    const dispatcher = new Conversation(h, person(DISPATCHER));
    const [answer] = await dispatcher.say("/web");
    const token = /\/console\/login\?token=([a-z2-9]+)/.exec(answer ?? "")?.[1];
    expect(token, answer).toBeTruthy();
    const login = await get(`/console/login?token=${token}`);
    expect(login.status).toBe(303);
    await expectHeaders(login, "resource", "login redirect");
    const cookies = login.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    const expectSafe = (cookie: string) => {
      const attributes = cookie
        .split(";")
        .slice(1)
        .map((a) => a.trim().toLowerCase());
      expect(attributes, cookie).toContain("httponly");
      expect(attributes, cookie).toContain("secure");
      expect(
        attributes.filter((a) => a === "samesite=strict" || a === "samesite=lax"),
        cookie,
      ).toHaveLength(1);
      expect(attributes, cookie).toContain("path=/console");
    };
    expectSafe(cookies[0]!);
    const session = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(cookies[0]!)![1]!;

    // A sign-out another site's page started is refused, and the session lives on.
    const forged = await fetch(`${h.baseUrl}/console/api/logout`, {
      method: "POST",
      headers: { Cookie: `${SESSION_COOKIE}=${session}`, Origin: FOREIGN },
    });
    expect(forged.status).toBe(403);
    crossSiteRefused++;
    await expectHeaders(forged, "error", "forged logout");
    expect((await get("/console/api/me", { Cookie: `${SESSION_COOKIE}=${session}` })).status).toBe(200);

    const out = await fetch(`${h.baseUrl}/console/api/logout`, {
      method: "POST",
      headers: { Cookie: `${SESSION_COOKIE}=${session}`, Origin: h.baseUrl },
    });
    expect(out.status).toBe(200);
    const cleared = out.headers.getSetCookie();
    expect(cleared).toHaveLength(1);
    expectSafe(cleared[0]!);
  });
});

describe("cross-site writes", () => {
  /** A write as another site's page would send it (a form, or a script's text/plain post), with the route's own body. */
  const forgeries = (): Array<{ route: string; path: string; init: RequestInit }> => {
    const form = new FormData();
    for (const [k, v] of Object.entries({
      [F.submission]: `web-${crypto.randomUUID()}`,
      [F.kind]: "hazard",
      [F.sector]: "construction",
      [F.region]: "town-a",
      [F.description]: "工地食堂液化气罐放在灶台旁边，消防通道被材料堵死。",
      [F.identity]: "anonymous",
    }))
      form.append(k, v);
    const auth = { Authorization: dispatcherAuth };
    const action = JSON.stringify({ code: "ack", version: 0 });
    return [
      { route: "POST /report", path: "/report", init: { body: form } },
      { route: "POST /status", path: "/status", init: { body: new URLSearchParams({ number: "YH-20260101-0001", proof: "2222-3333-4444" }) } },
      {
        route: "POST /console/api/intake",
        path: "/console/api/intake",
        init: { headers: { ...auth, "Content-Type": "application/json" }, body: JSON.stringify(intakeBody()) },
      },
      {
        route: "POST /console/api/intake",
        path: "/console/api/intake",
        init: { headers: { ...auth, "Content-Type": "text/plain" }, body: JSON.stringify(intakeBody()) },
      },
      {
        route: "POST /console/api/cases/:id/actions",
        path: `/console/api/cases/${caseId}/actions`,
        init: { headers: { ...auth, "Content-Type": "application/json" }, body: action },
      },
      { route: "POST /console/api/cases/:id/actions", path: `/console/api/cases/${caseId}/actions`, init: { headers: auth, body: form } },
      { route: "POST /console/api/logout", path: "/console/api/logout", init: { headers: auth } },
    ];
  };

  it("refuses every write another site's page sends (foreign Origin, or Sec-Fetch-Site: cross-site) with 403, and stores nothing", async () => {
    await h.hazardline.settle();
    const before = await rowCounts();
    const list = forgeries();
    const writes = Object.entries(APP_ROUTES).filter(([, kind]) => kind === "write");
    expect(new Set(list.map((f) => f.route))).toEqual(new Set(writes.map(([route]) => route)));
    for (const marks of <Array<Record<string, string>>>[
      { Origin: FOREIGN },
      { "Sec-Fetch-Site": "cross-site" },
      { Origin: FOREIGN, "Sec-Fetch-Site": "cross-site" },
      { Origin: "null" },
    ]) {
      for (const f of forgeries()) {
        const res = await fetch(`${h.baseUrl}${f.path}`, {
          ...f.init,
          method: "POST",
          headers: { ...(f.init.headers as Record<string, string>), ...marks },
        });
        expect(res.status, `${f.route} with ${JSON.stringify(marks)}`).toBe(403);
        crossSiteRefused++;
        await expectHeaders(res, "error", `forged ${f.route}`);
      }
    }
    await h.hazardline.settle();
    expect(await rowCounts()).toEqual(before);
    // The dispatcher's credentials were good all along: the same write from the console's own page goes through.
    const own = await fetch(`${h.baseUrl}/console/api/intake`, {
      method: "POST",
      headers: { Authorization: dispatcherAuth, "Content-Type": "application/json", Origin: h.baseUrl, "Sec-Fetch-Site": "same-origin" },
      body: JSON.stringify(intakeBody()),
    });
    const ownText = await own.clone().text();
    expect(own.status, ownText).toBeLessThan(300);
    expect((await h.hazardline.db.select({ n: count() }).from(cases))[0]!.n).toBe(before.cases! + 1);
  });

  it("refuses the machines' doors without their credential, whatever the Origin, and stores nothing", async () => {
    await h.hazardline.settle();
    const before = await rowCounts();
    // The webhook without its secret: 401 before any parsing (in full, with wrong secrets and bodies: test/e2e/webhook.test.ts).
    const update = person({ id: 9777 }).says("/start");
    const hook = await fetch(`${h.baseUrl}/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", Origin: FOREIGN },
      body: JSON.stringify(update),
    });
    expect(hook.status).toBe(401);
    await expectHeaders(hook, "error", "webhook without secret");
    // Open311 without a key, or with a made-up one.
    for (const key of [undefined, "not-a-key"]) {
      const fields = new URLSearchParams({
        service_code: "construction",
        address_string: "城关镇建设路 8 号工地",
        description: "工地塔吊限位器失灵，仍在吊装作业，下面有工人。",
        ...(key ? { api_key: key } : {}),
      });
      const res = await fetch(`${h.baseUrl}/open311/v2/requests.json`, { method: "POST", headers: { Origin: FOREIGN }, body: fields });
      expect(res.status).toBe(403);
      await expectHeaders(res, "error", "open311 without key");
    }
    expect(await rowCounts()).toEqual(before);
    // With the secret the same update is taken: the 401 was the credential, not the Origin.
    expect((await h.post(update)).status).toBe(200);
    const classified = Object.entries(APP_ROUTES).filter(([, kind]) => kind === "credential-write");
    expect(classified.map(([route]) => route).sort()).toEqual(["POST /open311/v2/:file", "POST /telegram"]);
  });
});

describe("local mode's playground", () => {
  let base = "";
  let close: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const read = (path: string) => readFileSync(new URL(`../../src/${path}`, import.meta.url), "utf8");
    const local = createLocalMode({
      hazardline: h.hazardline,
      botApi: createBotApi(),
      client: h.database.client,
      clock: new MovableClock(),
      cast: readCast(read("../examples/directory.yaml"), read("../examples/playground.yaml")),
      page: { html: read("local/page/index.html"), script: read("local/page/play.js"), style: read("local/page/play.css") },
      webhookSecret: WEBHOOK_SECRET,
      officeTz: "Asia/Shanghai",
      digestTime: [8, 30],
    });
    expect(routeKeys(local.app)).toEqual(Object.keys(LOCAL_ROUTES).sort());
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: local.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  it("sends the same headers on its page, its files and its API", async () => {
    for (const [path, kind, status] of [
      ["/", "page", 200],
      ["/favicon.ico", "resource", 204],
      ["/play/play.js", "resource", 200],
      ["/play/play.css", "resource", 200],
      ["/play/api/state", "resource", 200],
      ["/play/api/events?after=0&wait=0", "resource", 200],
      ["/play/api/strings?lang=en", "resource", 200],
      ["/play/api/map", "resource", 200],
      ["/play/files/no-such-file", "resource", 404],
      ["/healthz", "resource", 200],
      ["/no/such/page", "error", 404],
    ] as const) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(status);
      await expectHeaders(res, kind, `local ${path}`);
    }
  });

  it("refuses every playground write another site's page sends, and stores nothing", async () => {
    const writes = Object.entries(LOCAL_ROUTES).filter(([, kind]) => kind === "write");
    const before = await rowCounts();
    for (const [route] of writes) {
      const path = route.split(" ")[1]!;
      for (const marks of <Array<Record<string, string>>>[{ Origin: FOREIGN }, { "Sec-Fetch-Site": "cross-site" }]) {
        const res = await fetch(`${base}${path}`, {
          method: "POST",
          headers: { "Content-Type": "text/plain", ...marks },
          body: JSON.stringify({ as: 900001, chat: 900001, text: "/start", to: "hours", hours: 1 }),
        });
        expect(res.status, `${route} ${JSON.stringify(marks)}`).toBe(403);
        crossSiteRefused++;
        await expectHeaders(res, "error", `local ${route}`);
      }
    }
    expect(await rowCounts()).toEqual(before);
  });
});
