/**
 * The shape check at the door: an update whose fields the bot reads have the wrong type, are
 * missing, or are out of Telegram's range never reaches the update guard or a handler. Only
 * the fields something reads are checked (the handlers, and grammY's own shortcuts ctx.from,
 * ctx.chat, ctx.msg and the reply helpers built on them); every object is loose, so the
 * fields Telegram adds over time pass untouched. The limits are Telegram's, with room to
 * spare, so that nothing Telegram really sends is refused. Pure, and bundled for Workers.
 */
import { z } from "zod";

/** Telegram's limits, counted in characters (a character may be two UTF-16 code units). */
export const SHAPE_LIMITS = {
  text: 4096,
  caption: 1024,
  /** Telegram caps names at 64 and titles at 128; the spare room costs nothing. */
  name: 1024,
  /** An IETF language tag is at most 35 characters. */
  languageCode: 35,
  /** Callback data is at most 64 bytes of UTF-8. */
  callbackDataBytes: 64,
  fileId: 512,
  /** Opaque ids and short words Telegram makes (query ids, chat types, statuses, album ids). */
  token: 256,
  phone: 256,
  /** No message has more entities than characters. */
  entities: 4096,
  photoSizes: 100,
} as const;

/** At most `max` characters; counted cheaply when the string is short enough either way. */
const text = (max: number) =>
  z.string().refine((s) => s.length <= max || (s.length <= 2 * max && [...s].length <= max), { error: `longer than ${max} characters` });

const utf8 = new TextEncoder();
/** Every UTF-16 code unit is at least one byte, so a long string fails without being encoded. */
const callbackData = z.string().refine((s) => s.length <= SHAPE_LIMITS.callbackDataBytes && utf8.encode(s).length <= SHAPE_LIMITS.callbackDataBytes, {
  error: `longer than ${SHAPE_LIMITS.callbackDataBytes} bytes`,
});

// z.int() takes safe integers only: ids become SQLite integers and Bot API parameters.
const userId = z.int().min(1);
const chatId = z.int();
const unixTime = z.int().min(0);
const fileId = text(SHAPE_LIMITS.fileId);
const token = text(SHAPE_LIMITS.token);

const user = z.looseObject({
  id: userId,
  is_bot: z.boolean(),
  first_name: text(SHAPE_LIMITS.name),
  last_name: text(SHAPE_LIMITS.name).optional(),
  username: text(SHAPE_LIMITS.name).optional(),
  language_code: text(SHAPE_LIMITS.languageCode).optional(),
});

const chat = z.looseObject({
  id: chatId,
  type: token,
  title: text(SHAPE_LIMITS.name).optional(),
});

const entities = z
  .array(z.looseObject({ type: token, offset: z.int().min(0), length: z.int().min(0) }))
  .max(SHAPE_LIMITS.entities)
  .optional();

/** What ctx.reply and the other reply helpers copy from a message into the Bot API call. */
const replyFields = {
  is_topic_message: z.boolean().optional(),
  message_thread_id: z.int().optional(),
  direct_messages_topic: z.looseObject({ topic_id: z.int() }).optional(),
  business_connection_id: token.optional(),
};

const messageFields = {
  message_id: z.int().min(1),
  date: unixTime,
  chat,
  text: text(SHAPE_LIMITS.text).optional(),
  entities,
  caption: text(SHAPE_LIMITS.caption).optional(),
  caption_entities: entities,
  // The handlers take the largest size, the last: an empty list has none.
  photo: z
    .array(z.looseObject({ file_id: fileId, file_unique_id: fileId }))
    .min(1)
    .max(SHAPE_LIMITS.photoSizes)
    .optional(),
  video: z.looseObject({ file_id: fileId, file_unique_id: fileId }).optional(),
  document: z.looseObject({ file_id: fileId, file_unique_id: fileId.optional() }).optional(),
  location: z.looseObject({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
  contact: z.looseObject({ phone_number: text(SHAPE_LIMITS.phone), user_id: userId.optional() }).optional(),
  media_group_id: token.optional(),
  ...replyFields,
};

type MessageLike = { text?: unknown; entities?: unknown; caption?: unknown; caption_entities?: unknown };

/** grammY's command matcher reads the text the entities point into; Telegram never sends one without the other. */
const entitiesHaveText = <T extends z.ZodType<MessageLike>>(schema: T) =>
  schema
    .refine((m) => m.entities === undefined || m.text !== undefined, { error: "entities without text", path: ["entities"] })
    .refine((m) => m.caption_entities === undefined || m.caption !== undefined, { error: "entities without caption", path: ["caption_entities"] });

/** A person's message: in a private chat or a group there is always a sender. */
const message = entitiesHaveText(z.looseObject({ ...messageFields, from: user }));

/**
 * The message under a pressed button: the bot's own, or only its chat and id once it is too
 * old for Telegram to send (date 0).
 */
const buttonMessage = entitiesHaveText(z.looseObject({ ...messageFields, from: user.optional() }));

const callbackQuery = z.looseObject({
  id: token.min(1),
  from: user,
  chat_instance: token,
  // This bot has no inline mode, so every button it made is under a message it sent; without
  // the message a handler would have no chat to answer in.
  message: buttonMessage,
  inline_message_id: token.optional(),
  data: callbackData.optional(),
});

const chatMember = z.looseObject({ status: token, user });

const chatMemberUpdated = z.looseObject({
  chat,
  from: user,
  date: unixTime,
  old_chat_member: chatMember,
  new_chat_member: chatMember,
});

/**
 * An update kind the bot did not ask for is left to pass, but grammY's shortcuts still read
 * some of it before any handler ignores it (ctx.from in resolveLocale and flood control,
 * ctx.chat, the reply fields): those parts must hold what their names promise.
 */
const viewedByGrammy = z.looseObject({
  from: user.optional(),
  user: user.optional(),
  chat: chat.optional(),
  source: z.looseObject({ user: user.optional() }).optional(),
  boost: z.looseObject({ source: z.looseObject({ user: user.optional() }).optional() }).optional(),
  ...replyFields,
});

/** Kinds grammY's ctx.from / ctx.chat / ctx.msg look into (grammY 1.46's Context getters). */
const VIEWED_KINDS = [
  "channel_post",
  "edited_channel_post",
  "business_connection",
  "business_message",
  "edited_business_message",
  "deleted_business_messages",
  "guest_message",
  "stopped_message_generation",
  "message_reaction",
  "message_reaction_count",
  "inline_query",
  "chosen_inline_result",
  "shipping_query",
  "pre_checkout_query",
  "chat_member",
  "chat_join_request",
  "chat_boost",
  "removed_chat_boost",
  "managed_bot",
  "subscription",
  "purchased_paid_media",
] as const;

const update = z.looseObject({
  update_id: z.int(),
  message: message.optional(),
  edited_message: message.optional(),
  callback_query: callbackQuery.optional(),
  my_chat_member: chatMemberUpdated.optional(),
  ...Object.fromEntries(VIEWED_KINDS.map((kind) => [kind, viewedByGrammy.optional()])),
});

export type ShapeVerdict = { ok: true } | { ok: false; problem: string };

/**
 * Whether `body` is an update the bot may act on. `problem` names the first field at fault
 * and why, in the schema's words only: no value from the body is quoted, so it is safe to log.
 */
export function checkUpdateShape(body: unknown): ShapeVerdict {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { ok: false, problem: "update: expected an object" };
  // Telegram: "at most one of the optional parameters can be present in any given update".
  // Two would let grammY's shortcuts mix them (ctx.from from one kind, ctx.chat from another).
  if (Object.keys(body).filter((key) => key !== "update_id").length > 1) return { ok: false, problem: "update: more than one kind" };
  const parsed = update.safeParse(body, { error: describeIssue });
  if (parsed.success) return { ok: true };
  const [issue] = parsed.error.issues;
  return { ok: false, problem: issue ? `${pathText(issue.path)}: ${issue.message}` : "update: malformed" };
}

/** `message.photo[1].file_id`: the schema's own keys, so nothing from the body. */
function pathText(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : `${out === "" ? "" : "."}${String(key)}`;
  return out === "" ? "update" : out;
}

/** What the value at fault is, as a word: its type, never its content. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && !Number.isInteger(value)) return "fraction";
  return typeof value;
}

type Issue = z.core.$ZodRawIssue;

function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "missing";
      return `expected ${issue.expected === "int" ? "integer" : issue.expected}, got ${kindOf(issue.input)}`;
    case "too_big":
      if (issue.origin === "int" && Number(issue.maximum) >= Number.MAX_SAFE_INTEGER) return "not a safe integer";
      if (issue.origin === "string") return `longer than ${issue.maximum} characters`;
      if (issue.origin === "array") return `more than ${issue.maximum} items`;
      return `above ${issue.maximum}`;
    case "too_small":
      if (issue.origin === "int" && Number(issue.minimum) <= Number.MIN_SAFE_INTEGER) return "not a safe integer";
      if (issue.origin === "string") return `shorter than ${issue.minimum} characters`;
      if (issue.origin === "array") return `fewer than ${issue.minimum} items`;
      return `below ${issue.minimum}`;
    default:
      return issue.code ?? "malformed";
  }
}
