/**
 * A short per-user lock in hot state, for changes that read and write a person's state in
 * several steps (a draft, a staff member's pending input) while Telegram may deliver their
 * updates at the same moment (the photos of an album arrive together).
 *
 * The lock holds a random token and is released only by its holder (a compare-and-delete),
 * so a holder that ran past the TTL cannot release someone else's lock. Waiting backs off, so
 * a busy user costs a handful of store round trips, not hundreds.
 */
import { StorageUnavailableError } from "./errors";
import type { HotState, Leave } from "./hot-state";

const LOCK_TTL_MS = 15_000;
const LOCK_WAIT_MS = 5_000;

export function randomToken(length = 16): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

/**
 * Runs `work` on the value at `key` under the person's lock. The lock is taken and the value
 * read in one step, and what `work` leaves is written as the lock is released, in one step
 * too: two round trips to the store, where a lock, a read, a write and a release were four.
 */
export async function withLockedValue<T>(
  kv: HotState,
  name: string,
  userId: number,
  key: string,
  work: (value: string | null) => Promise<{ leave: Leave; result: T }>,
): Promise<T> {
  const lockKey = `lock:${name}:${userId}`;
  const token = randomToken();
  const taken = await waitingFor(() => kv.lockAndGet(lockKey, token, LOCK_TTL_MS, key), name);
  let leave: Leave;
  try {
    const done = await work(taken.value);
    leave = done.leave;
    return done.result;
  } finally {
    // Release only our own lock; one that expired and was taken since is someone else's.
    // A failed change leaves the value as it was.
    await kv.setAndUnlock(lockKey, token, key, leave);
  }
}

/** Asks again, backing off, until `take` gives something; a stuck holder ends the wait after LOCK_WAIT_MS. */
async function waitingFor<T>(take: () => Promise<T | null>, name: string): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let wait = 10; ; wait = Math.min(wait * 2, 400)) {
    const taken = await take();
    if (taken !== null) return taken;
    // Still busy after LOCK_WAIT_MS: a stuck handler. Let Telegram retry the update later.
    // The error is logged: it names no one, because the person may be an anonymous reporter.
    if (Date.now() > deadline) throw new StorageUnavailableError(`${name} lock`, new Error("held by another update past the wait"));
    await new Promise((r) => setTimeout(r, wait));
  }
}
