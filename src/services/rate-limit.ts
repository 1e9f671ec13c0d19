/**
 * Fixed-window rate limits in hot state. The window is part of the key, so the time until
 * the next window ("try again in 40 seconds") is known without asking the store for a TTL.
 */
import type { HotState } from "./hot-state";

export interface RateRule {
  limit: number;
  windowMs: number;
}

export const RATE_RULES = {
  /** Any message or button press in a private chat. */
  messages: { limit: 30, windowMs: 60_000 },
  /** Reports and questions submitted. */
  submissions: { limit: 5, windowMs: 60 * 60_000 },
  /** Cases a partner system creates through Open311, per key: a burst of work orders, not a person. */
  partnerSubmissions: { limit: 600, windowMs: 60 * 60_000 },
  /**
   * Posts of the web report form per client address, counted before anything is stored. An
   * address may be a whole village behind one mobile carrier's gateway, so it is generous;
   * each phone is held to `submissions` as a person in chat is.
   */
  webPosts: { limit: 30, windowMs: 10 * 60_000 },
  /** Web reports stored per client address, for the same reason more than a person's `submissions`. */
  webSubmissions: { limit: 20, windowMs: 60 * 60_000 },
  /** Status lookups on the web that found nothing (a wrong code or phone), per client address. */
  webLookups: { limit: 20, windowMs: 10 * 60_000 },
  /** Console login links that failed (used, expired, made up), per client address. */
  consoleLogins: { limit: 20, windowMs: 10 * 60_000 },
} satisfies Record<string, RateRule>;

export interface RateVerdict {
  allowed: boolean;
  /** How many hits this window has seen, this one included. */
  count: number;
  /** Until the window ends. */
  retryAfterMs: number;
}

const windowOf = (rule: RateRule, now: number) => Math.floor(now / rule.windowMs);
const rateKey = (name: string, subject: string | number, window: number) => `rate:${name}:${subject}:${window}`;

/**
 * The counter a hit of `rule` goes to now, and the verdict on the count it reaches: for a
 * count taken in one step with something else (an update's claim, src/bot/update-guard.ts).
 */
export function rateCounter(name: string, subject: string | number, rule: RateRule, now: number) {
  const window = windowOf(rule, now);
  return {
    key: rateKey(name, subject, window),
    ttlMs: rule.windowMs,
    verdict: (count: number): RateVerdict => ({ allowed: count <= rule.limit, count, retryAfterMs: (window + 1) * rule.windowMs - now }),
  };
}

export type RateCounter = ReturnType<typeof rateCounter>;

export async function hitRateLimit(kv: HotState, name: string, subject: string | number, rule: RateRule, now: number): Promise<RateVerdict> {
  const counter = rateCounter(name, subject, rule, now);
  return counter.verdict(await kv.incr(counter.key, counter.ttlMs));
}

/** Whether this window's hits already reached the limit, without counting one more: for limits on failures only. */
export async function rateLimitReached(kv: HotState, name: string, subject: string | number, rule: RateRule, now: number): Promise<boolean> {
  const count = Number((await kv.get(rateKey(name, subject, windowOf(rule, now)))) ?? 0);
  return count >= rule.limit;
}
