/**
 * The console's desktop sign-in over HTTP: `GET /console/login?token=…` redeems the one-time
 * link /web sent (src/services/console-sessions.ts) and sets the session cookie, and
 * `POST /console/api/logout` ends the session. The cookie is HttpOnly (no script reads it),
 * Secure (Chromium also takes it on http://localhost, local mode's address), SameSite=Strict
 * (no other site's page can make a browser send it) and scoped to /console.
 *
 * A link that fails (used, expired, made up) gets a small page in the reader's language,
 * never a hint of whose link it was.
 */
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { LOGIN_PATH } from "../domain/console-links";
import type { Locale } from "../domain/locale";
import { translator } from "../i18n";
import type { Services } from "../services";
import { isConsoleToken, type Redemption, SESSION_TTL_MS } from "../services/console-sessions";
import { browserLocale, clientAddressOf } from "../web/client";
import type { ConsoleEnv } from "./auth";
import { SESSION_COOKIE } from "./contract";

export interface LoginDeps {
  services: Pick<Services, "consoleSessions">;
}

const COOKIE = { path: "/console", httpOnly: true, secure: true, sameSite: "Strict" } as const;

/** What a failed link is told, and with which status: a link that was good once is gone (410); one that never was is not credentials (401). */
const FAILURE: Record<Exclude<Redemption, { ok: true }>["reason"] | "malformed", { key: string; status: 401 | 410 | 429 }> = {
  used: { key: "console-login-used", status: 410 },
  expired: { key: "console-login-expired", status: 410 },
  malformed: { key: "console-login-expired", status: 401 },
  "too-many": { key: "console-login-too-many", status: 429 },
};

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch);

function failurePage(locale: Locale, key: string): string {
  const t = translator(locale);
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t("console-login-title"))}</title>
<style>body{font:16px/1.6 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}</style></head>
<body><h1>${escapeHtml(t("console-login-title"))}</h1><p>${escapeHtml(t(key))}</p></body></html>
`;
}

/** GET /login: mounted at the console's root, outside /api (a browser follows the link with no credentials yet). */
export function consoleLogin(deps: LoginDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();

  app.get(LOGIN_PATH, async (c) => {
    // The token is in this URL: nothing from here may carry it on as a Referer or keep it in a cache.
    c.header("Referrer-Policy", "no-referrer");
    c.header("Cache-Control", "no-store");
    const token = c.req.query("token");
    const outcome = isConsoleToken(token) ? await deps.services.consoleSessions.redeem(token, clientAddressOf(c)) : null;
    if (outcome?.ok) {
      setCookie(c, SESSION_COOKIE, outcome.session, { ...COOKIE, maxAge: SESSION_TTL_MS / 1000 });
      // Relative, so it holds behind whatever prefix the console is served under.
      return c.redirect("./", 303);
    }
    const failure = FAILURE[outcome?.reason ?? "malformed"];
    return c.html(failurePage(browserLocale(c), failure.key), failure.status);
  });

  // Behind consoleAuth like the rest of /api: only someone signed in can sign out.
  app.post("/api/logout", async (c) => {
    const session = getCookie(c, SESSION_COOKIE);
    if (session !== undefined) await deps.services.consoleSessions.endSession(session);
    deleteCookie(c, SESSION_COOKIE, COOKIE);
    return c.json({ ok: true });
  });

  return app;
}
