/**
 * The console's JSON API (routes and shapes in contract.ts), behind consoleAuth: every route
 * reads the `viewer` it set, checks the input with zod (a bad value is a 400 that says which
 * and why, never a 500) and calls the console service, which decides who sees what.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { MAX_INPUT_MEDIA } from "../domain/case-input";
import { isDirectoryId } from "../domain/directory-id";
import { MAX_REFERENCE, STAFF_SOURCES } from "../domain/doors";
import { localName } from "../domain/locale";
import { MAX_UPLOAD_BYTES } from "../domain/media";
import { MAX_ADDRESS, MAX_DESCRIPTION, MAX_NAME, type MediaItem } from "../domain/report-draft";
import { CASE_KINDS, CASE_STATUSES, SEVERITIES } from "../domain/workflow";
import { translator } from "../i18n";
import type { Services } from "../services";
import { mayRecord } from "../services/console-intake";
import type { ConsoleEnv } from "./auth";
import {
  CASE_SORTS,
  CASE_VIEWS,
  CONSOLE_API,
  DASHBOARD_PERIODS,
  FILE_URL_TTL_MS,
  type LiaisonsResponse,
  MAX_ACTION_BYTES,
  type MeResponse,
  PHOTOS_FIELD,
  REQUEST_FIELD,
  seesWholeOffice,
} from "./contract";
import { fileLinks } from "./file-links";

export interface ConsoleApiDeps {
  services: Services;
  botToken: string;
  /** OFFICE_TZ, told to the page so that it shows times as the office reads them. */
  officeTz: string;
}

/** The JSON in a form field, or undefined when it is none. */
function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD")
  .refine((d) => {
    const at = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(d);
  }, "not a calendar date");
const flag = z.enum(["1", "0", "true", "false"]).transform((v) => v === "1" || v === "true");
const directoryId = z.string().refine(isDirectoryId, "not a directory id");

const filterQuery = z.object({
  view: z.enum(CASE_VIEWS).optional(),
  status: z.enum(CASE_STATUSES).optional(),
  kind: z.enum(CASE_KINDS).optional(),
  sector: directoryId.optional(),
  region: directoryId.optional(),
  unit: directoryId.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  overdue: flag.optional(),
  supervised: flag.optional(),
  q: z.string().max(200).optional(),
  sort: z.enum(CASE_SORTS).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

const actionBody = z.object({
  code: z.string().min(1).max(8),
  version: z.number().int().min(0),
  text: z.string().max(4096).optional(),
  date: z.string().max(40).optional(),
  unitId: directoryId.optional(),
  memberId: z.number().int().positive().optional(),
  severity: z.enum(SEVERITIES).optional(),
  measures: z.string().max(4096).optional(),
  responsible: z.string().max(4096).optional(),
  caseNumber: z.string().max(64).optional(),
});

/** The new-case form (IntakeRequest): shapes here; what the office has and what the draft needs, in the service. */
const intakeBody = z.object({
  submission: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "a random id of 8 to 64 letters, digits, - or _"),
  source: z.enum(STAFF_SOURCES),
  reference: z.string().max(MAX_REFERENCE).optional(),
  kind: z.enum(["hazard", "violation", "task"]),
  sectorId: directoryId,
  regionId: directoryId.optional(),
  address: z.string().max(MAX_ADDRESS).optional(),
  description: z.string().max(MAX_DESCRIPTION + 1),
  urgent: z.boolean(),
  anonymous: z.boolean(),
  name: z.string().max(MAX_NAME).optional(),
  phone: z.string().max(40).optional(),
  reward: z.boolean(),
});

const dashboardQuery = z.object({
  period: z.enum(DASHBOARD_PERIODS).default("month"),
  region: z.union([z.literal("").transform(() => undefined), directoryId]).optional(),
});

/** What zod found wrong, as one line a developer can act on. */
const problems = (error: z.ZodError) => error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");

const caseId = (raw: string): number | null => (/^[1-9]\d{0,11}$/.test(raw) ? Number(raw) : null);

export function consoleApi(deps: ConsoleApiDeps): Hono<ConsoleEnv> {
  const { services } = deps;
  const links = fileLinks(deps.botToken);
  const api = new Hono<ConsoleEnv>();
  const bad = (message: string) => ({ ok: false as const, error: message });

  api.get("/me", async (c) => {
    const viewer = c.get("viewer");
    const units = (await services.caseActions.units()).filter((u) => viewer.unitIds.includes(u.id));
    const body: MeResponse = {
      name: viewer.name,
      locale: viewer.locale,
      roles: viewer.roles,
      units: units.map((u) => ({ id: u.id, name: localName(viewer.locale, u) })),
      officeTz: deps.officeTz,
    };
    return c.json(body);
  });

  api.get("/directory", async (c) => c.json(await services.console.directory(c.get("viewer").locale)));

  api.get("/cases", async (c) => {
    const filter = filterQuery.safeParse(c.req.query());
    if (!filter.success) return c.json(bad(problems(filter.error)), 400);
    return c.json(await services.console.list(c.get("viewer"), filter.data));
  });

  api.get("/map", async (c) => {
    const filter = filterQuery.safeParse(c.req.query());
    if (!filter.success) return c.json(bad(problems(filter.error)), 400);
    return c.json(await services.console.map(c.get("viewer"), filter.data));
  });

  api.get("/cases/:id", async (c) => {
    const id = caseId(c.req.param("id"));
    if (id === null) return c.json(bad("id: a case id is a positive whole number"), 400);
    const expiresAt = services.clock.now() + FILE_URL_TTL_MS;
    const found = await services.console.detail(
      c.get("viewer"),
      id,
      async (fileUniqueId) => `${CONSOLE_API}/files/${await links.token({ caseId: id, fileUniqueId, expiresAt })}`,
    );
    if (found.ok) return c.json(found.body);
    return found.problem === "forbidden" ? c.json(bad("not allowed to see this case"), 403) : c.json(bad("no such case"), 404);
  });

  // JSON, or multipart/form-data when photos come with it (REQUEST_FIELD and PHOTOS_FIELD): counted while read.
  const actionLimit = bodyLimit({
    maxSize: MAX_ACTION_BYTES,
    onError: (c) => c.json({ ok: false, code: "TOO_LARGE", message: `at most ${MAX_ACTION_BYTES >> 20} MB in one action` }, 413),
  });
  api.post("/cases/:id/actions", actionLimit, async (c) => {
    const id = caseId(c.req.param("id"));
    if (id === null) return c.json(bad("id: a case id is a positive whole number"), 400);
    const multipart = (c.req.header("Content-Type") ?? "").startsWith("multipart/form-data");
    const form = multipart ? await c.req.parseBody({ all: true }).catch(() => null) : null;
    const json = multipart ? parseJson(form?.[REQUEST_FIELD]) : await c.req.json().catch(() => undefined);
    const body = actionBody.safeParse(json);
    if (!body.success)
      return c.json({ ok: false, code: "BAD_REQUEST", message: json === undefined ? "the body is not JSON" : problems(body.error) }, 400);
    const photos = [form?.[PHOTOS_FIELD] ?? []].flat().filter((f): f is File => f instanceof File && f.size > 0);
    if (photos.length > MAX_INPUT_MEDIA) return c.json({ ok: false, code: "BAD_REQUEST", message: `at most ${MAX_INPUT_MEDIA} photos` }, 400);
    // The photos go into the archive before the action is decided: a refused action (a stale
    // version, say) leaves them there unnamed by any case, content-addressed, and only staff can post here.
    const media: MediaItem[] = [];
    for (const photo of photos) {
      const kept = await services.archive.keepPicture(new Uint8Array(await photo.arrayBuffer()));
      if (!kept.ok)
        return c.json(
          {
            ok: false,
            code: "BAD_UPLOAD",
            message: translator(c.get("viewer").locale)(`web-${kept.problem}`, { name: photo.name, mb: MAX_UPLOAD_BYTES >> 20 }),
          },
          422,
        );
      media.push(kept.item);
    }
    const answer = await services.console.act(c.get("viewer"), id, body.data, media);
    return c.json(answer.body, answer.status);
  });

  api.get("/files/:token", async (c) => {
    const link = await links.read(c.req.param("token"), services.clock.now());
    if (link === null) return c.json(bad("the link is not valid or has expired"), 403);
    const file = await services.console.file(c.get("viewer"), link.caseId, link.fileUniqueId);
    if (file === "forbidden") return c.json(bad("not allowed to see this case"), 403);
    if (file === "not-found") return c.json(bad("no such file"), 404);
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": file.contentType,
      "Cache-Control": "private, max-age=600",
      "X-Content-Type-Options": "nosniff",
    });
  });

  api.get("/units/:id/liaisons", async (c) => {
    if (!seesWholeOffice(c.get("viewer"))) return c.json(bad("only dispatchers, leaders and admins assign cases"), 403);
    const unitId = c.req.param("id");
    const liaisons = isDirectoryId(unitId) ? await services.console.liaisons(unitId) : null;
    if (liaisons === null) return c.json(bad("no such unit"), 404);
    const body: LiaisonsResponse = { liaisons };
    return c.json(body);
  });

  api.get("/dashboard", async (c) => {
    const viewer = c.get("viewer");
    if (!seesWholeOffice(viewer)) return c.json(bad("the dashboard is for leaders, dispatchers and admins"), 403);
    const query = dashboardQuery.safeParse(c.req.query());
    if (!query.success) return c.json(bad(problems(query.error)), 400);
    return c.json(await services.console.dashboard(viewer, query.data.period, query.data.region ?? null));
  });

  api.get("/intake", async (c) => {
    const viewer = c.get("viewer");
    if (!mayRecord(viewer)) return c.json(bad("only dispatchers and admins record cases"), 403);
    return c.json(await services.consoleIntake.form(viewer.locale));
  });

  api.post("/intake", async (c) => {
    const viewer = c.get("viewer");
    if (!mayRecord(viewer)) return c.json(bad("only dispatchers and admins record cases"), 403);
    const json = await c.req.json().catch(() => undefined);
    const body = intakeBody.safeParse(json);
    if (!body.success) return c.json(bad(json === undefined ? "the body is not JSON" : problems(body.error)), 400);
    const answer = await services.consoleIntake.record(viewer, body.data);
    return c.json(answer.body, answer.status);
  });

  api.notFound((c) => c.json({ ok: false, error: "not found" }, 404));
  return api;
}
