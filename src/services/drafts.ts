/**
 * Citizens' drafts in hot state, keyed by user, for 24 hours: they survive a restart and
 * work on Workers, where no memory outlives a request. Changes run under a short per-user
 * lock, because the photos of an album arrive as separate updates at the same moment and
 * would otherwise overwrite each other's additions.
 */
import { DRAFT_TTL_MS, type Draft } from "../domain/report-draft";
import { getJson, type HotState, setJson } from "./hot-state";
import { randomToken, withUserLock } from "./user-lock";

const draftKey = (userId: number) => `draft:${userId}`;

/** A draft's id; the case it becomes is keyed by (person, draft id), so 8 symbols are plenty. */
export const randomId = (length = 8) => randomToken(length);

export function draftService(kv: HotState) {
  const withLock = <T>(userId: number, work: () => Promise<T>) => withUserLock(kv, "draft", userId, work);

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
