/**
 * Who is calling the console's API. Runs before any route, so that an unknown path answers
 * exactly as a known one does: no credentials or bad ones, 401; a valid person who is no
 * active staff member (a citizen, a stranger, a removed member), 403.
 */
import type { MiddlewareHandler } from "hono";
import { negotiateLocale } from "../domain/locale";
import type { Services } from "../services";
import type { Viewer } from "./contract";
import { verifyInitData } from "./init-data";

export type ConsoleEnv = { Variables: { viewer: Viewer } };

export interface AuthDeps {
  services: Pick<Services, "staff" | "users" | "clock">;
  botToken: string;
}

const TMA = /^tma\s+(.+)$/i;

/** The Telegram user the request speaks for, or null when it carries no valid credentials. */
async function caller(deps: AuthDeps, authorization: string | undefined): Promise<{ id: number; languageCode?: string } | null> {
  const initData = authorization?.match(TMA)?.[1];
  if (initData === undefined) return null;
  const check = await verifyInitData(initData, deps.botToken, deps.services.clock.now());
  return check.ok ? { id: check.user.id, languageCode: check.user.language_code } : null;
}

export function consoleAuth(deps: AuthDeps): MiddlewareHandler<ConsoleEnv> {
  return async function consoleAuth(c, next) {
    const who = await caller(deps, c.req.header("Authorization"));
    if (who === null) return c.json({ ok: false, error: "credentials missing or invalid" }, 401);
    const member = await deps.services.staff.member(who.id);
    if (member === null) return c.json({ ok: false, error: "not a member of the office's staff" }, 403);
    const locale = (await deps.services.users.chosenLocale(who.id)) ?? negotiateLocale(who.languageCode);
    c.set("viewer", { telegramId: who.id, memberId: member.memberId, name: member.name, locale, roles: member.roles, unitIds: member.unitIds });
    await next();
  };
}
