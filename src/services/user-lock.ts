/**
 * A short per-user lock in hot state, for changes that read and write a person's state in
 * several steps (a draft, a staff member's pending input) while Telegram may deliver their
 * updates at the same moment (the photos of an album arrive together).
 *
 * The lock holds a random token and is released only by its holder (one compare-and-delete),
 * so a holder that ran past the TTL cannot release someone else's lock. Waiting backs off, so
 * a busy user costs a handful of store round trips, not hundreds.
 */
import { StorageUnavailableError } from "./errors";
import type { HotState } from "./hot-state";

const LOCK_TTL_MS = 15_000;
const LOCK_WAIT_MS = 5_000;

export function randomToken(length = 16): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

export async function withUserLock<T>(kv: HotState, name: string, userId: number, work: () => Promise<T>): Promise<T> {
  const key = `lock:${name}:${userId}`;
  const token = randomToken();
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let wait = 10; !(await kv.setIfAbsent(key, token, LOCK_TTL_MS)); wait = Math.min(wait * 2, 400)) {
    // Still busy after LOCK_WAIT_MS: a stuck handler. Let Telegram retry the update later.
    // The error is logged: it names no one, because the person may be an anonymous reporter.
    if (Date.now() > deadline) throw new StorageUnavailableError(`${name} lock`, new Error("held by another update past the wait"));
    await new Promise((r) => setTimeout(r, wait));
  }
  try {
    return await work();
  } finally {
    // Release only our own lock; one that expired and was taken since is someone else's.
    await kv.deleteIf(key, token);
  }
}
