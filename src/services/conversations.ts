/**
 * The one conversation each person has (see src/domain/conversation.ts), in hot state under
 * `conversation:<user>`, changed only under the person's lock. A change reads the conversation,
 * decides, and returns what to keep and what happened; the caller answers the person after the
 * lock is released, so no Telegram call is made while it is held.
 */
import { CONVERSATION_TTL_MS, type Conversation, type ConversationFlow, type FlowStates, stateOf } from "../domain/conversation";
import { getJson, type HotState } from "./hot-state";
import { withLockedValue } from "./user-lock";

const conversationKey = (userId: number) => `conversation:${userId}`;

/** What a change keeps: a conversation (saved), null (ended) or undefined (left as it was). */
export type Change<S, T> = { state?: S | null; result: T };

export function conversationService(kv: HotState) {
  const key = conversationKey;
  async function update<T>(userId: number, change: (current: Conversation | null) => Promise<Change<Conversation, T>>): Promise<T> {
    return withLockedValue(kv, "conversation", userId, key(userId), async (raw) => {
      const { state, result } = await change(raw === null ? null : (JSON.parse(raw) as Conversation));
      const leave = state === null || state === undefined ? state : { value: JSON.stringify(state), ttlMs: CONVERSATION_TTL_MS[state.flow] };
      return { leave, result };
    });
  }

  /**
   * One flow's view: a change sees that flow's state, or null when the person is in another
   * flow or none. Keeping a state starts or continues this flow (replacing any other); null
   * ends it, and leaves another flow alone.
   */
  function flow<F extends ConversationFlow>(name: F) {
    return {
      get: async (userId: number) => stateOf(await getJson<Conversation>(kv, key(userId)), name),
      update: <T>(userId: number, change: (state: FlowStates[F] | null) => Promise<Change<FlowStates[F], T>>) =>
        update(userId, async (current) => {
          const mine = stateOf(current, name);
          const { state, result } = await change(mine);
          if (state === null) return { state: mine === null ? undefined : null, result };
          return { state: state === undefined ? undefined : ({ flow: name, state } as Conversation), result };
        }),
      /** Ends this flow if it is the one open. */
      end: (userId: number) => update(userId, async (current) => ({ state: stateOf(current, name) === null ? undefined : null, result: undefined })),
    };
  }

  return {
    /** The conversation open now, read without the lock: for routing a message, not for changing it. */
    get: (userId: number) => getJson<Conversation>(kv, key(userId)),
    update,
    flow,
  };
}

export type ConversationService = ReturnType<typeof conversationService>;
