/**
 * Who is calling the console's API. Runs before any route, so that an unknown path answers
 * exactly as a known one does: no credentials or bad ones, 401; a valid person who is no
 * active staff member (a citizen, a stranger, a removed member), 403.
 *
 * Two kinds of credentials: the Mini App's launch data (`Authorization: tma <initData>`),
 * and the session cookie a desktop login link sets (login.ts). Launch data wins when a
 * request carries both. Either way, membership is read again on every request, so a member
 * removed from the directory loses the console at once, whatever their session says.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { negotiateLocale } from "../domain/locale";
import type { Services } from "../services";
import { SESSION_COOKIE, type Viewer } from "./contract";
import { verifyInitData } from "./init-data";

export type ConsoleEnv = { Variables: { viewer: Viewer } };

export interface AuthDeps {
  services: Pick<Services, "staff" | "users" | "clock" | "consoleSessions">;
  botToken: string;
}

const TMA = /^tma\s+(.+)$/i;

/**
 * The Telegram user the request speaks for, or null when it carries no valid credentials.
 * Launch data that is there but wrong is not made good by a cookie: the Mini App sent it.
 */
async function caller(
  deps: AuthDeps,
  authorization: string | undefined,
  session: string | undefined,
): Promise<{ id: number; languageCode?: string } | null> {
  const initData = authorization?.match(TMA)?.[1];
  if (initData !== undefined) {
    const check = await verifyInitData(initData, deps.botToken, deps.services.clock.now());
    return check.ok ? { id: check.user.id, languageCode: check.user.language_code } : null;
  }
  if (session === undefined) return null;
  const id = await deps.services.consoleSessions.sessionUser(session);
  return id === null ? null : { id };
}

export function consoleAuth(deps: AuthDeps): MiddlewareHandler<ConsoleEnv> {
  return async function consoleAuth(c, next) {
    const who = await caller(deps, c.req.header("Authorization"), getCookie(c, SESSION_COOKIE));
    if (who === null) return c.json({ ok: false, error: "credentials missing or invalid" }, 401);
    const member = await deps.services.staff.member(who.id);
    if (member === null) return c.json({ ok: false, error: "not a member of the office's staff" }, 403);
    const locale = (await deps.services.users.chosenLocale(who.id)) ?? negotiateLocale(who.languageCode);
    c.set("viewer", { telegramId: who.id, memberId: member.memberId, name: member.name, locale, roles: member.roles, unitIds: member.unitIds });
    await next();
  };
}
