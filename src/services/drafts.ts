/**
 * Citizens' drafts in hot state, keyed by user, for 24 hours: they survive a restart and
 * work on Workers, where no memory outlives a request. Changes run under a short per-user
 * lock, because the photos of an album arrive as separate updates at the same moment and
 * would otherwise overwrite each other's additions.
 */
import { DRAFT_TTL_MS, type Draft } from "../domain/report-draft";
import { StorageUnavailableError } from "./errors";
import { getJson, type HotState, setJson } from "./hot-state";

const LOCK_TTL_MS = 10_000;
const LOCK_WAIT_MS = 5_000;
const LOCK_POLL_MS = 20;

const draftKey = (userId: number) => `draft:${userId}`;
const lockKey = (userId: number) => `lock:draft:${userId}`;

export function randomId(length = 8): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

export function draftService(kv: HotState) {
  async function withLock<T>(userId: number, work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    while (!(await kv.setIfAbsent(lockKey(userId), "1", LOCK_TTL_MS))) {
      // A lock held past LOCK_WAIT_MS means a stuck handler: let Telegram retry the update.
      if (Date.now() > deadline) throw new StorageUnavailableError("draft lock", new Error(`user ${userId} is busy`));
      await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
    }
    try {
      return await work();
    } finally {
      await kv.delete(lockKey(userId));
    }
  }

  return {
    get: (userId: number) => getJson<Draft>(kv, draftKey(userId)),
    save: (userId: number, draft: Draft) => setJson(kv, draftKey(userId), draft, DRAFT_TTL_MS),
    clear: (userId: number) => kv.delete(draftKey(userId)),
    /**
     * Reads the draft, applies a change and saves the result, all under the user's lock.
     * The change returns the new draft (saved), null (deleted) or undefined (left as it was).
     */
    async update<T>(userId: number, change: (draft: Draft | null) => Promise<{ draft?: Draft | null; result: T }>): Promise<T> {
      return withLock(userId, async () => {
        const current = await getJson<Draft>(kv, draftKey(userId));
        const { draft, result } = await change(current);
        if (draft === null) await kv.delete(draftKey(userId));
        else if (draft !== undefined) await setJson(kv, draftKey(userId), draft, DRAFT_TTL_MS);
        return result;
      });
    },
  };
}

export type DraftService = ReturnType<typeof draftService>;
