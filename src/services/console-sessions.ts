/**
 * Signing in to the console from a desktop browser: /web hands a staff member a one-time
 * login link, the link's redemption opens a session, the session cookie names it. Both live
 * in hot state, and only as the SHA-256 of their token, so what the store holds cannot be
 * used to sign in. Who the session is for is checked again on every request (auth.ts):
 * a session outlives nobody's membership.
 */
import { LOGIN_LINK_TTL_MS } from "../domain/console-links";
import { sha256Hex } from "../domain/hash";
import type { Clock } from "./clock";
import type { HotState } from "./hot-state";
import { hitRateLimit, RATE_RULES, rateLimitReached } from "./rate-limit";
import { randomToken } from "./user-lock";

/** Sessions are short: a working day; then /web again. */
export const SESSION_TTL_MS = 12 * 60 * 60_000;

/** 40 characters of 32 (5 bits each): 200 random bits, unguessable for the 10 minutes a link lives. */
const TOKEN_LENGTH = 40;
const TOKEN = /^[a-z2-9]{40}$/;

export const isConsoleToken = (value: string | undefined): value is string => value !== undefined && TOKEN.test(value);

const loginKey = (hash: string) => `console-login:${hash}`;
const usedKey = (hash: string) => `console-login-used:${hash}`;
const sessionKey = (hash: string) => `console-session:${hash}`;

export type Redemption = { ok: true; telegramId: number; session: string } | { ok: false; reason: "used" | "expired" | "too-many" };

export function consoleSessionService(deps: { kv: HotState; clock: Clock }) {
  const { kv, clock } = deps;
  const limit = RATE_RULES.consoleLogins;

  /** One attempt, whatever the client: claim, read, delete, open the session. */
  async function claim(token: string): Promise<Redemption> {
    if (!isConsoleToken(token)) return { ok: false, reason: "expired" };
    const hash = await sha256Hex(token);
    if (!(await kv.setIfAbsent(usedKey(hash), "1", LOGIN_LINK_TTL_MS))) return { ok: false, reason: "used" };
    const owner = await kv.get(loginKey(hash));
    if (owner === null) return { ok: false, reason: "expired" };
    await kv.delete(loginKey(hash));
    const telegramId = Number(owner);
    const session = randomToken(TOKEN_LENGTH);
    await kv.set(sessionKey(await sha256Hex(session)), String(telegramId), SESSION_TTL_MS);
    return { ok: true, telegramId, session };
  }

  return {
    /** A login link's token for this person; shown to them once, stored only hashed. */
    async issueLogin(telegramId: number): Promise<string> {
      const token = randomToken(TOKEN_LENGTH);
      await kv.set(loginKey(await sha256Hex(token)), String(telegramId), LOGIN_LINK_TTL_MS);
      return token;
    },

    /**
     * Redeems a login token once: the first call claims it with set-if-absent (so two at once
     * cannot both win), and only then reads and deletes it. The claim is kept as long as the
     * link could have lived, so a second use is told "used" rather than "expired". A client
     * (its address) that failed too often lately is not let try: the tokens cannot be guessed,
     * but nobody should get to hammer the store either.
     */
    async redeem(token: string, client: string): Promise<Redemption> {
      if (await rateLimitReached(kv, "console-login", client, limit, clock.now())) return { ok: false, reason: "too-many" };
      const outcome = await claim(token);
      if (!outcome.ok) await hitRateLimit(kv, "console-login", client, limit, clock.now());
      return outcome;
    },

    /** The person a session cookie speaks for, while it lasts. */
    async sessionUser(session: string): Promise<number | null> {
      if (!isConsoleToken(session)) return null;
      const owner = await kv.get(sessionKey(await sha256Hex(session)));
      return owner === null ? null : Number(owner);
    },

    async endSession(session: string): Promise<void> {
      if (isConsoleToken(session)) await kv.delete(sessionKey(await sha256Hex(session)));
    },
  };
}

export type ConsoleSessionService = ReturnType<typeof consoleSessionService>;
