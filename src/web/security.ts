/**
 * The headers and the cross-site check every door shares, applied in one place (createApp,
 * and local mode's own routes), so that a route added later has them without asking.
 *
 * - `X-Content-Type-Options: nosniff` on every answer: JSON, errors, files, pages.
 * - A page that set no Content-Security-Policy of its own (the pages in src/web and the
 *   console set theirs) gets the strictest one: no script at all, never framed. Its one
 *   allowance is inline style (the console login's small failure page carries its style in
 *   the page); inline script is never allowed.
 */
import type { MiddlewareHandler } from "hono";

/** For an HTML answer whose route set no policy: nothing runs, nothing loads but images of our own. */
export const FALLBACK_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export function securityHeaders(): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next();
    const headers = c.res.headers;
    if (!headers.has("X-Content-Type-Options")) headers.set("X-Content-Type-Options", "nosniff");
    if ((headers.get("Content-Type") ?? "").startsWith("text/html") && !headers.has("Content-Security-Policy"))
      headers.set("Content-Security-Policy", FALLBACK_CSP);
  };
}

/**
 * Refuses (403) a state-changing request a browser says came from another site: a
 * `Sec-Fetch-Site` other than same-origin or none (typed by the user), or an `Origin` whose host
 * is not the one the request was sent to. A request with neither header is no browser's
 * cross-site request (a browser sends Origin on every cross-origin POST), so API clients and
 * scripts pass. For the console's API (whose cookie is SameSite=Strict already, and whose
 * Mini App credentials are a header no other site can set) and local mode's playground, which
 * a page on any site could otherwise drive with a simple text/plain POST.
 */
export function refuseCrossSite(): MiddlewareHandler {
  return async function refuseCrossSite(c, next) {
    if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
    const site = c.req.header("Sec-Fetch-Site");
    const origin = c.req.header("Origin");
    if ((site !== undefined && site !== "same-origin" && site !== "none") || (origin !== undefined && !sameHost(origin, c.req.url)))
      return c.json({ ok: false, error: "cross-site request refused" }, 403);
    await next();
  };
}

/** Whether a request's Origin names the host it was sent to (also behind a proxy that ends TLS). */
export function sameHost(origin: string, url: string): boolean {
  try {
    return new URL(origin).host === new URL(url).host;
  } catch {
    return false;
  }
}
