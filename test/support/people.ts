/**
 * Scripted people: build the updates Telegram would send when a person types, presses a
 * button or talks in a group. Update and message ids increase like Telegram's.
 */
import type { Chat, Message, Update, User } from "grammy/types";

let nextUpdateId = 10_000;
let nextMessageId = 1;
const unixNow = () => Math.floor(Date.now() / 1000);

export interface Person extends User {
  /** A text message in the person's private chat with the bot. */
  says(text: string): Update;
  /** A press of an inline button under a bot message in the private chat. */
  presses(data: string, message?: Partial<Message>): Update;
  /** A text message in a group. */
  saysInGroup(groupId: number, text: string): Update;
}

export function person(user: Partial<User> & { id: number }): Person {
  const from: User = { is_bot: false, first_name: "王小明", language_code: "zh-hans", ...user };
  const privateChat = { id: from.id, type: "private" as const, first_name: from.first_name };
  const message = (chat: Chat.PrivateChat | Chat.SupergroupChat, text: string) => {
    const entities =
      text.startsWith("/") ? [{ type: "bot_command" as const, offset: 0, length: text.split(/\s/)[0]!.length }] : undefined;
    return { message_id: nextMessageId++, date: unixNow(), chat, from, text, ...(entities ? { entities } : {}) };
  };
  return {
    ...from,
    says: (text) => ({ update_id: nextUpdateId++, message: message(privateChat, text) }),
    saysInGroup: (groupId, text) => ({
      update_id: nextUpdateId++,
      message: message({ id: groupId, type: "supergroup", title: "安委办工作群" }, text),
    }),
    presses: (data, original) => ({
      update_id: nextUpdateId++,
      callback_query: {
        id: String(nextUpdateId * 7),
        from,
        chat_instance: `ci-${from.id}`,
        data,
        message: {
          message_id: nextMessageId++,
          date: unixNow(),
          chat: privateChat,
          from: { id: 123456789, is_bot: true, first_name: "Hazardline" },
          text: "…",
          ...original,
        } as Message,
      },
    }),
  };
}
