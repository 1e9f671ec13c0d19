/**
 * The console's page: four plain files (src/console/page/, no build step) and the words it
 * shows, served under /console with the headers a page framed by Telegram's web clients needs.
 * The files come from the entry: src/node.ts reads them from disk at start, src/worker.ts
 * from Workers Static Assets (wrangler.toml [assets]); this module reads no file itself.
 */
import { type Context, Hono } from "hono";
import { isLocale, type Locale } from "../domain/locale";
import { CASE_KINDS, CASE_STATUSES, ROLES, SEVERITIES } from "../domain/workflow";
import { messageIds, translator } from "../i18n";

/** The console's files, and the public site's (the web report form's script and the site's style), in one folder: Workers serve one assets directory. */
export const PAGE_FILES = ["index.html", "console.js", "county-map.js", "console.css", "report.js", "site.css"] as const;
export type PageFile = (typeof PAGE_FILES)[number];

/** Reads one of the page's files; null when the runtime has no such file. */
export type PageReader = (file: PageFile) => Promise<string | null>;

/** A reader over files already in memory (Node reads them at start). */
export function pageFromMemory(files: Record<PageFile, string>): PageReader {
  return async (file) => files[file];
}

/** The part of Workers' assets binding (env.ASSETS) the page needs. */
export interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}

/**
 * A reader over Workers Static Assets. The host is never contacted: the binding answers from the
 * assets uploaded with the Worker (html_handling = "none", so index.html is served as named).
 */
export function pageFromAssets(assets: AssetsBinding): PageReader {
  return async (file) => {
    const response = await assets.fetch(new Request(`https://assets.invalid/${file}`));
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    return response.text();
  };
}

const TYPES: Record<PageFile, string> = {
  "index.html": "text/html; charset=utf-8",
  "console.js": "text/javascript; charset=utf-8",
  "county-map.js": "text/javascript; charset=utf-8",
  "console.css": "text/css; charset=utf-8",
  "report.js": "text/javascript; charset=utf-8",
  "site.css": "text/css; charset=utf-8",
};

/**
 * No inline script or style, nothing from another origin (evidence comes through our own signed
 * URLs, images may also be data: or blob:), and framed only by Telegram's web clients.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors https://web.telegram.org https://*.telegram.org",
].join("; ");

export const PAGE_HEADERS = {
  "Content-Security-Policy": PAGE_CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  // A new deployment's page is seen at the next opening; the files are small.
  "Cache-Control": "no-cache",
};

/** Each locale's page words, worked out once: they change only with a new deployment. */
const pageStringsOf = new Map<Locale, Readonly<Record<string, string>>>();

/** The words the page shows: its own (console-*) and the names of statuses, kinds, severities and roles. */
export function pageStrings(locale: Locale): Readonly<Record<string, string>> {
  let strings = pageStringsOf.get(locale);
  if (strings === undefined) {
    strings = Object.freeze(wordsOfPage(locale));
    pageStringsOf.set(locale, strings);
  }
  return strings;
}

function wordsOfPage(locale: Locale): Record<string, string> {
  const t = translator(locale);
  const ids = [
    ...messageIds(locale).filter((id) => id.startsWith("console-")),
    ...CASE_STATUSES.map((s) => `status-${s}`),
    ...SEVERITIES.map((s) => `severity-${s}`),
    ...ROLES.map((r) => `role-${r}`),
    ...CASE_KINDS.map((k) => `kind-${k}`),
  ];
  return Object.fromEntries(ids.map((id) => [id, t(id)]));
}

/** Serves one of the page files with the page's headers; 404 when the runtime has none. */
export async function servePageFile(c: Context, read: PageReader, file: PageFile, headers: Record<string, string> = PAGE_HEADERS) {
  const body = await read(file);
  if (body === null) return c.json({ ok: false, error: "not found" }, 404);
  return c.body(body, 200, { ...headers, "Content-Type": TYPES[file] });
}

/** GET /console/ (the page), its script and style, and /console/strings?lang= (public: the page's own words). */
export function consolePage(read: PageReader): Hono {
  const page = new Hono();
  const serve = (c: Context, file: PageFile) => servePageFile(c, read, file);
  // Mounted at /console, "/" is /console itself: sent on to /console/, where the page's relative place is.
  page.get("/", (c) => c.redirect(`${c.req.path}/`, 301));
  page.get("/console.js", (c) => serve(c, "console.js"));
  page.get("/county-map.js", (c) => serve(c, "county-map.js"));
  page.get("/console.css", (c) => serve(c, "console.css"));
  page.get("/strings", (c) => {
    const wanted = c.req.query("lang");
    const locale: Locale = isLocale(wanted) ? wanted : "zh-CN";
    return c.json(pageStrings(locale), 200, { "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache" });
  });
  // Hono reaches "/console/" (the mount point with its slash) only through a wildcard: the index there, nothing deeper.
  page.get("/*", async (c, next) => {
    if (c.req.path.endsWith("/") && c.req.path.split("/").length === 3) return serve(c, "index.html");
    await next();
  });
  return page;
}
