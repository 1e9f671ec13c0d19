/**
 * The public web door: the report form (/report) and the status lookup (/status), for the
 * people Telegram does not reach. Plain HTML forms that work without JavaScript; the page's
 * script (src/console/page/report.js) adds the county map, the phone's position and photos
 * made smaller before they are sent. The form is read into the chat's draft
 * (src/domain/web-report.ts) and handed to the same intake service, with its limits,
 * duplicate check and routing.
 *
 * Guarded as the chat is, and more, since anyone can post: the body's size is checked while it
 * is read (hono/body-limit), a post must come from this site's own page (hono/csrf, by
 * Origin or Sec-Fetch-Site), a field hidden from people catches form-filling bots, every post
 * counts against the address before anything is stored, photos are taken by their first bytes
 * only, and nothing about any reporter is ever written into a page but the one they posted.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import { type Locale, localName } from "../domain/locale";
import { MAX_UPLOAD_BYTES } from "../domain/media";
import { MAX_MEDIA, type MediaItem, type Problem, validateDraft } from "../domain/report-draft";
import { REPORT_FIELDS, type ReadForm, readReportForm } from "../domain/web-report";
import { translator } from "../i18n";
import type { Services } from "../services";
import { hitRateLimit, RATE_RULES, rateLimitReached } from "../services/rate-limit";
import { problemText } from "../services/reports";
import { browserLocale, clientKeyOf } from "./client";
import { type FormView, formPage, messagePage, resultPage, statusPage } from "./pages";
import { sameHost } from "./security";

/** The most a report's post may carry: ten photos as a phone takes them, when the page's script did not shrink them. */
export const MAX_FORM_BYTES = 40 * 1024 * 1024;
/** A status lookup: two short fields. */
const MAX_LOOKUP_BYTES = 4 * 1024;

export interface SiteDeps {
  services: Pick<Services, "reports" | "directory" | "archive" | "citizenCases" | "kv" | "clock" | "officeTz" | "log">;
}

/** The reader's language: `?lang=` when given (the page's own switch), else the browser's first. */
export function siteLocale(c: Context): Locale {
  const asked = c.req.query("lang");
  if (asked === "en" || asked === "zh-CN") return asked;
  return browserLocale(c);
}

/** A post from a page of this site: its Origin's host is the one the request was sent to (also behind a proxy that ends TLS). */
const sameSite = csrf({ origin: (origin, c) => sameHost(origin, c.req.url) });

export function createReportSite(deps: SiteDeps): Hono {
  const { services } = deps;
  const app = new Hono();

  const directoryLists = () => Promise.all([services.directory.sectors(), services.directory.towns()]);

  /** The form's view; `lists` when the caller has read the directory already (a post checked against it). */
  async function formView(
    locale: Locale,
    values: FormView["values"],
    problems: string[] = [],
    lists?: Awaited<ReturnType<typeof directoryLists>>,
  ): Promise<FormView> {
    const [sectors, towns] = lists ?? (await directoryLists());
    return {
      locale,
      sectors: sectors.map((s) => ({ id: s.id, name: localName(locale, s) })),
      towns: towns.map((r) => ({ id: r.id, name: localName(locale, r) })),
      values,
      problems,
      submission: values.submission ?? crypto.randomUUID(),
    };
  }

  app.get("/report", async (c) => {
    const locale = siteLocale(c);
    const site = c.req.query("site")?.trim().slice(0, 100);
    const values = { region: c.req.query("region"), sector: c.req.query("sector"), address: site };
    return c.html(formPage(await formView(locale, values)));
  });

  app.post(
    "/report",
    bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => c.html(messagePage(siteLocale(c), "web-too-large", { mb: MAX_FORM_BYTES >> 20 }), 413) }),
    sameSite,
    async (c) => {
      const locale = siteLocale(c);
      const t = translator(locale);
      const client = await clientKeyOf(c);
      const now = services.clock.now();
      const posts = await hitRateLimit(services.kv, "web-post", client, RATE_RULES.webPosts, now);
      if (!posts.allowed) return c.html(messagePage(locale, "rate-submit", { minutes: Math.ceil(posts.retryAfterMs / 60_000) }), 429);

      const body = await c.req.parseBody({ all: true }).catch(() => null);
      if (body === null) return c.html(messagePage(locale, "web-bad-form"), 400);
      const fields = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, lastText(v)]));
      const photos = [body[REPORT_FIELDS.photos] ?? []].flat().filter((v): v is File => v instanceof File && v.size > 0);
      const lists = await directoryLists();
      const [sectors, towns] = lists;
      const read = readReportForm(fields, { sectorIds: new Set(sectors.map((s) => s.id)), regionIds: new Set(towns.map((r) => r.id)) }, now, () =>
        crypto.randomUUID(),
      );
      if (read.bot) return c.html(messagePage(locale, "web-bad-form"), 400);

      const again = async (problems: string[]) => c.html(formPage(await formView(locale, valuesOf(read, fields), problems, lists)), 422);
      const problems = [...problemTexts(t, validateDraft(read.draft)), ...read.problems.map((p) => t(`web-${p}`))];
      if (photos.length > MAX_MEDIA) problems.push(t("problem-media-too-many", { max: MAX_MEDIA }));
      if (problems.length > 0) return again(problems);

      // Only a post that will be stored puts its photos in the archive.
      const media: MediaItem[] = [];
      for (const photo of photos) {
        const kept = await services.archive.keepPicture(new Uint8Array(await photo.arrayBuffer()));
        if (!kept.ok) return again([t(`web-${kept.problem}`, { name: photo.name, mb: MAX_UPLOAD_BYTES >> 20 })]);
        if (!media.some((m) => m.fileUniqueId === kept.item.fileUniqueId)) media.push(kept.item);
      }
      const draft = { ...read.draft, media };
      if (draft.regionId === undefined && draft.location) draft.regionId = (await services.directory.regionAt(draft.location))?.id;

      const result = await services.reports.submit(draft, { door: "web", client, name: read.name });
      switch (result.status) {
        case "created":
          return c.html(resultPage(locale, { number: result.number, claimCode: result.claimCode, kind: draft.kind ?? "consultation" }), 201);
        case "already-submitted":
          // With a code, the first answer was lost (see reports.ts): the same page as the first time, its code new.
          if (result.claimCode)
            return c.html(resultPage(locale, { number: result.number, claimCode: result.claimCode, kind: draft.kind ?? "consultation" }));
          return c.html(resultPage(locale, { number: result.number, kind: draft.kind ?? "consultation", again: true }));
        case "rate-limited":
          return c.html(messagePage(locale, "rate-submit", { minutes: Math.ceil(result.retryAfterMs / 60_000) }), 429);
        case "invalid":
          return again(problemTexts(t, result.problems));
      }
    },
  );

  // The county's towns and their areas, public as a printed map is: the form's script draws the pick map from them.
  app.get("/site/regions.json", async (c) => c.json(await services.directory.mapRegions(), 200, { "Cache-Control": "max-age=300" }));

  app.get("/status", (c) => c.html(statusPage(siteLocale(c), { number: c.req.query("number") ?? "" })));

  app.post(
    "/status",
    bodyLimit({ maxSize: MAX_LOOKUP_BYTES, onError: (c) => c.html(messagePage(siteLocale(c), "web-bad-form"), 413) }),
    sameSite,
    async (c) => {
      const locale = siteLocale(c);
      const client = await clientKeyOf(c);
      const now = services.clock.now();
      // Only failures count: a person looking up their own case again and again is never stopped.
      if (await rateLimitReached(services.kv, "web-lookup", client, RATE_RULES.webLookups, now))
        return c.html(statusPage(locale, { number: "", problem: "web-lookup-too-many" }), 429);
      const body = await c.req.parseBody().catch(() => null);
      const number = typeof body?.number === "string" ? body.number.trim().slice(0, 40) : "";
      const proof = typeof body?.proof === "string" ? body.proof.trim().slice(0, 40) : "";
      const found = number && proof ? await services.citizenCases.lookupWithProof(number, proof) : null;
      if (found === null) {
        await hitRateLimit(services.kv, "web-lookup", client, RATE_RULES.webLookups, now);
        return c.html(statusPage(locale, { number, problem: "status-not-found" }), 404);
      }
      return c.html(statusPage(locale, { number, found, officeTz: services.officeTz }));
    },
  );

  app.onError((err, c) => {
    // A post from another site's page (hono/csrf): say where to report from, in words.
    if (err instanceof HTTPException && err.status === 403) return c.html(messagePage(siteLocale(c), "web-wrong-origin"), 403);
    if (err instanceof HTTPException) return err.getResponse();
    services.log.error("web form failed", { path: c.req.path, err });
    return c.html(messagePage(siteLocale(c), "web-unavailable"), 503);
  });
  return app;
}

/** A form field's text: the last value when a field came more than once; a file is not text. */
function lastText(v: unknown): string | undefined {
  const value = Array.isArray(v) ? v.at(-1) : v;
  return typeof value === "string" ? value : undefined;
}

/** A draft's problems as sentences, as the chat words them (without its bullets). */
export function problemTexts(t: ReturnType<typeof translator>, problems: Problem[]): string[] {
  return problems.map((p) => problemText(t, p).replace(/^•\s*/, ""));
}

/** What the person typed, shown again with the problems (photos must be chosen again: a browser never refills a file field). */
function valuesOf(read: ReadForm, fields: Record<string, string | undefined>): FormView["values"] {
  const d = read.draft;
  return {
    submission: d.id,
    kind: d.kind,
    sector: d.sectorId,
    region: d.regionId,
    lat: fields[REPORT_FIELDS.lat],
    lng: fields[REPORT_FIELDS.lng],
    address: d.address,
    description: d.description,
    urgent: d.urgent,
    identity: d.anonymous === undefined ? undefined : d.anonymous ? "anonymous" : "named",
    name: read.name,
    phone: fields[REPORT_FIELDS.phone],
    reward: d.reward,
  };
}
