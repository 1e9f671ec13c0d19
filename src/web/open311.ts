/**
 * Open311 GeoReport v2 for partner systems (a 12345 platform, a town's grid system), mounted
 * at /open311/v2: the sectors as services; the public cases (the same set as the public page,
 * and only when the office publishes them) as service requests; and a partner's POST, with its
 * key, handed to the same intake service as every other door. JSON, or XML by the `.xml`
 * extension, as the spec has it. The pure mapping is src/domain/open311.ts.
 *
 * A partner is known only by its key (`npm run api-key`), whose SHA-256 is all we keep; a
 * missing, unknown or revoked key is 403 and nothing is stored. Nothing about a reporter is
 * ever in an answer but the lookup code handed back once to the partner that posted the report.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { parseCaseNumber } from "../domain/numbering";
import {
  MAX_REQUESTS,
  type Open311Format,
  type Open311Problem,
  readRequestPost,
  readRequestQuery,
  requestOf,
  serviceOf,
  toXml,
} from "../domain/open311";
import { translator } from "../i18n";
import type { Services } from "../services";
import type { PublicCase } from "../services/public-cases";
import { problemTexts, siteLocale } from "./report";

/** A request's fields: a few short texts and a description. */
const MAX_POST_BYTES = 64 * 1024;

export interface Open311Deps {
  services: Pick<Services, "publicCases" | "directory" | "partners" | "reports" | "clock" | "log">;
}

/** `services.json` → ["services", "json"]; null for another extension. */
function splitFormat(file: string): [string, Open311Format] | null {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  return m ? [m[1]!, m[2] as Open311Format] : null;
}

function answer(c: Context, format: Open311Format, root: string, item: string, records: Array<Record<string, unknown>>, status: 200 | 201 = 200) {
  if (format === "json") return c.json(records, status);
  return c.body(toXml(root, item, records), status, { "Content-Type": "text/xml; charset=utf-8" });
}

/** The spec's error list: [{ code, description }] with the same HTTP status. */
function refuse(c: Context, format: Open311Format, status: 400 | 403 | 404 | 429, description: string, headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  const errors = [{ code: status, description }];
  if (format === "json") return c.json(errors, status);
  return c.body(toXml("errors", "error", errors), status, { "Content-Type": "text/xml; charset=utf-8" });
}

/** A JSON body's fields as a form's: `attribute: { ref }` becomes `attribute[ref]`; numbers become text. */
function flattenJson(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) return out;
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = String(v);
    else if (k === "attribute" && typeof v === "object" && v !== null)
      for (const [a, av] of Object.entries(v))
        if (typeof av === "string" || typeof av === "number" || typeof av === "boolean") out[`attribute[${a}]`] = String(av);
  }
  return out;
}

async function readFields(c: Context): Promise<Record<string, string> | null> {
  if ((c.req.header("Content-Type") ?? "").includes("application/json")) return flattenJson(await c.req.json().catch(() => null));
  const body = await c.req.parseBody().catch(() => null);
  if (body === null) return null;
  return Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])));
}

export function createOpen311(deps: Open311Deps): Hono {
  const { services } = deps;
  const app = new Hono();

  const requestsOf = (c: Context, cases: PublicCase[]) => {
    const t = translator(siteLocale(c));
    return cases.map((pc) =>
      requestOf({
        ...pc,
        statusNotes: t(`status-${pc.status}`),
        sectorName: pc.sector?.nameZh ?? null,
        unitName: pc.unit?.nameZh ?? null,
        regionName: pc.region?.nameZh ?? null,
      }),
    );
  };

  app.get("/:file", async (c) => {
    const file = splitFormat(c.req.param("file"));
    if (file === null) return refuse(c, "json", 404, translator(siteLocale(c))("open311-error-not-found"));
    const [resource, format] = file;
    const t = translator(siteLocale(c));
    if (resource === "services") {
      const sectors = await services.directory.sectors();
      return answer(
        c,
        format,
        "services",
        "service",
        sectors.map((s) => ({ ...serviceOf(s, t("open311-group")) })),
      );
    }
    if (resource !== "requests") return refuse(c, format, 404, t("open311-error-not-found"));
    if (!(await services.publicCases.enabled())) return refuse(c, format, 404, t("open311-error-not-published"));
    const read = readRequestQuery(c.req.query(), services.clock.now(), parseCaseNumber);
    if (!read.ok) return refuse(c, format, 400, t(read.problem.key, read.problem.args));
    const q = read.query;
    const found = await services.publicCases.list({
      numbers: q.numbers,
      sectorIds: q.serviceCodes,
      status: q.status,
      from: q.from,
      to: q.to,
      limit: MAX_REQUESTS,
    });
    return answer(c, format, "service_requests", "request", requestsOf(c, found));
  });

  app.get("/requests/:file", async (c) => {
    const t = translator(siteLocale(c));
    const file = splitFormat(c.req.param("file"));
    if (file === null) return refuse(c, "json", 404, t("open311-error-not-found"));
    const [id, format] = file;
    const number = parseCaseNumber(id);
    const found = number !== null && (await services.publicCases.enabled()) ? await services.publicCases.one(number) : null;
    if (found === null) return refuse(c, format, 404, t("open311-error-no-request", { id }));
    return answer(c, format, "service_requests", "request", requestsOf(c, [found.case]));
  });

  app.post(
    "/:file",
    bodyLimit({ maxSize: MAX_POST_BYTES, onError: (c) => refuse(c, "json", 400, translator(siteLocale(c))("open311-error-too-large")) }),
    async (c) => {
      const t = translator(siteLocale(c));
      const file = splitFormat(c.req.param("file"));
      if (file === null || file[0] !== "requests") return refuse(c, file?.[1] ?? "json", 404, t("open311-error-not-found"));
      const format = file[1];
      const fields = await readFields(c);
      if (fields === null) return refuse(c, format, 400, t("open311-error-body"));
      const partner = await services.partners.authenticate(fields.api_key ?? c.req.query("api_key"));
      if (partner === null) return refuse(c, format, 403, t("open311-error-key"));

      const now = services.clock.now();
      const sectorIds = new Set((await services.directory.sectors()).map((s) => s.id));
      const read = readRequestPost(fields, sectorIds, now, () => crypto.randomUUID());
      if (!read.ok) return refuse(c, format, 400, describe(t, read.problem));
      const { draft, ref, name } = read.post;
      if (draft.location) draft.regionId = (await services.directory.regionAt(draft.location))?.id;

      const result = await services.reports.submit(draft, { door: "open311", partnerId: partner.id, ref, name });
      switch (result.status) {
        case "created":
        case "already-submitted": {
          const made = result.status === "created";
          const item = {
            service_request_id: result.number,
            token: null,
            service_notice: t(made ? "open311-received" : "open311-already"),
            account_id: null,
            // Our addition: an anonymous report's only way to be followed, given once, for the partner to pass on.
            // A repeat carries one only when the code is re-issued (the first answer may have been lost, see reports.ts).
            ...(result.claimCode ? { lookup_code: result.claimCode } : {}),
          };
          return answer(c, format, "service_requests", "request", [item], made ? 201 : 200);
        }
        case "rate-limited":
          return refuse(c, format, 429, t("open311-error-rate", { minutes: Math.ceil(result.retryAfterMs / 60_000) }), {
            "Retry-After": String(Math.ceil(result.retryAfterMs / 1000)),
          });
        case "invalid":
          return refuse(c, format, 400, problemTexts(t, result.problems).join(" "));
      }
    },
  );

  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    services.log.error("open311 failed", { path: c.req.path, err });
    return c.json([{ code: 503, description: translator(siteLocale(c))("open311-error-unavailable") }], 503);
  });
  return app;
}

const describe = (t: ReturnType<typeof translator>, p: Open311Problem) => t(p.key, p.args);
