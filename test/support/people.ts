/**
 * Scripted people: build the updates Telegram would send when a person types, presses a
 * button, sends photos, a location or a contact, or talks in a group. Update and message
 * ids increase like Telegram's.
 */
import type { Chat, Message, Update, User } from "grammy/types";

let nextUpdateId = 10_000;
let nextMessageId = 1;
const unixNow = () => Math.floor(Date.now() / 1000);

type Extra = Record<string, unknown>;

export interface Person extends User {
  /** A text message in the person's private chat with the bot. */
  says(text: string): Update;
  /** A press of an inline button under a bot message in the private chat. */
  presses(data: string, message?: Partial<Message>): Update;
  /** A text message in a group. */
  saysInGroup(groupId: number, text: string): Update;
  /** Any other kind of message (photo, video, location, contact, sticker…) in private. */
  sends(content: Extra): Update;
  sendsPhoto(uniqueId: string, opts?: { mediaGroupId?: string; caption?: string }): Update;
  sendsLocation(lat: number, lng: number): Update;
  sharesContact(phone: string, ownerId?: number): Update;
  /** An edit of an earlier message in the private chat. */
  edits(text: string): Update;
}

export function person(user: Partial<User> & { id: number }): Person {
  const from: User = { is_bot: false, first_name: "王小明", language_code: "zh-hans", ...user };
  const privateChat = { id: from.id, type: "private" as const, first_name: from.first_name };
  const message = (chat: Chat.PrivateChat | Chat.SupergroupChat, content: Extra) => ({
    message_id: nextMessageId++,
    date: unixNow(),
    chat,
    from,
    ...content,
  });
  const text = (t: string): Extra => {
    const entities = t.startsWith("/") ? [{ type: "bot_command" as const, offset: 0, length: t.split(/\s/)[0]!.length }] : undefined;
    return { text: t, ...(entities ? { entities } : {}) };
  };
  const sends = (content: Extra) => ({ update_id: nextUpdateId++, message: message(privateChat, content) }) as Update;
  return {
    ...from,
    says: (t) => sends(text(t)),
    sends,
    saysInGroup: (groupId, t) =>
      ({ update_id: nextUpdateId++, message: message({ id: groupId, type: "supergroup", title: "安委办工作群" }, text(t)) }) as Update,
    sendsPhoto: (uniqueId, opts = {}) =>
      sends({
        photo: [
          { file_id: `small-${uniqueId}`, file_unique_id: `small-${uniqueId}`, width: 90, height: 90 },
          { file_id: `file-${uniqueId}`, file_unique_id: uniqueId, width: 1280, height: 960 },
        ],
        ...(opts.mediaGroupId ? { media_group_id: opts.mediaGroupId } : {}),
        ...(opts.caption ? { caption: opts.caption } : {}),
      }),
    sendsLocation: (latitude, longitude) => sends({ location: { latitude, longitude } }),
    sharesContact: (phone, ownerId = from.id) => sends({ contact: { phone_number: phone, first_name: from.first_name, user_id: ownerId } }),
    edits: (t) => ({ update_id: nextUpdateId++, edited_message: { ...message(privateChat, text(t)), edit_date: unixNow() } }) as Update,
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
