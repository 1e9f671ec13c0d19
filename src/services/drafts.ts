/**
 * Citizens' drafts: the report flow's view of the person's one conversation (see
 * conversations.ts), kept for 24 hours so they survive a restart and work on Workers, where no
 * memory outlives a request. Changes run under the person's lock, because the photos of an
 * album arrive as separate updates at the same moment and would otherwise overwrite each
 * other's additions.
 */
import type { Draft } from "../domain/report-draft";
import type { ConversationService } from "./conversations";
import { randomToken } from "./user-lock";

/** A draft's id; the case it becomes is keyed by (person, draft id), so 8 symbols are plenty. */
export const randomId = (length = 8) => randomToken(length);

export function draftService(conversations: ConversationService) {
  const report = conversations.flow("report");
  return {
    get: report.get,
    save: (userId: number, draft: Draft) => report.update(userId, async () => ({ state: draft, result: undefined })),
    clear: report.end,
    /**
     * Reads the draft (null when none, or when another flow is open), applies a change and keeps
     * the result, all under the person's lock. The change returns the new draft (kept, and
     * replacing any other flow), null (the draft ends) or undefined (left as it was).
     */
    update: <T>(userId: number, change: (draft: Draft | null) => Promise<{ draft?: Draft | null; result: T }>): Promise<T> =>
      report.update(userId, async (current) => {
        const { draft, result } = await change(current);
        return { state: draft, result };
      }),
  };
}

export type DraftService = ReturnType<typeof draftService>;
