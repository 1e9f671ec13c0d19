/**
 * The public site, mounted at the root beside the webhook and the console: the web report
 * form and status lookup (report.ts), the public page of listed cases (public.ts), partner
 * systems' Open311 API (open311.ts), and the files the pages load. Every page and answer is
 * sent with the same headers: no inline script, nothing from elsewhere, never framed.
 */
import { Hono } from "hono";
import { afterUpdate } from "../app";
import { type PageReader, servePageFile } from "../console/serve-page";
import { createOpen311, type Open311Deps } from "./open311";
import { createPublicSite, type PublicSiteDeps } from "./public";
import { createReportSite, type SiteDeps } from "./report";

export const SITE_CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const SITE_HEADERS = {
  "Content-Security-Policy": SITE_CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-cache",
};

export function createSite(deps: SiteDeps & PublicSiteDeps & Open311Deps & { page?: PageReader; afterWrite?: () => Promise<unknown> }): Hono {
  const site = new Hono();
  for (const path of ["/report", "/status", "/public/*", "/open311/*"]) {
    site.use(path, async function siteHeaders(c, next) {
      await next();
      for (const [name, value] of Object.entries(SITE_HEADERS)) c.res.headers.set(name, value);
    });
  }
  // A stored report's cards go out right after the answer, as after a Telegram update.
  site.post("/report", afterUpdate(deps.afterWrite));
  site.post("/open311/v2/*", afterUpdate(deps.afterWrite));
  site.route("/", createReportSite(deps));
  site.route("/", createPublicSite(deps));
  site.route("/open311/v2", createOpen311(deps));
  const page = deps.page;
  if (page !== undefined) {
    for (const file of ["report.js", "site.css", "county-map.js"] as const)
      site.get(`/site/${file}`, (c) => servePageFile(c, page, file, SITE_HEADERS));
  }
  return site;
}
