/**
 * The playground: Telegram's side of local mode. People of the cast type, press buttons, send
 * files, pins and contacts; each becomes the update Telegram would send, posted to the bot's
 * real webhook. What the bot sends comes back through the Bot API stand-in (`LocalBotApi`)
 * and is kept here as each chat's transcript, which the page reads as a stream of events.
 * No rule of the office lives here: the playground only builds updates and keeps what was sent.
 */
import type { Update } from "grammy/types";
import { contentTypeOf } from "../domain/media";
import type { LocalBotApi, RecordedCall } from "./bot-api";
import type { CastGroup, CastPerson } from "./cast";

export type MediaKind = "photo" | "video" | "voice" | "audio" | "document" | "animation";

export interface MediaItem {
  kind: MediaKind;
  /** Where the page gets the bytes: /play/files/<key>. */
  key: string;
  name?: string;
}

export interface InlineButton {
  text: string;
  data?: string;
  url?: string;
}

export interface ReplyButton {
  text: string;
  contact?: boolean;
  location?: boolean;
}

/** One message in a chat, as the page shows it. */
export interface Entry {
  chatId: number;
  messageId: number;
  /** The bot, or the Telegram id of the person who sent it. */
  from: "bot" | number;
  at: number;
  text?: string;
  media?: MediaItem[];
  location?: { lat: number; lng: number; title?: string; address?: string };
  contact?: { phone: string; name: string };
  buttons?: InlineButton[][];
  edited?: boolean;
}

export type PlaygroundEvent =
  | { seq: number; type: "message"; entry: Entry }
  | { seq: number; type: "edit"; entry: Entry }
  | { seq: number; type: "delete"; chatId: number; messageId: number }
  | { seq: number; type: "keyboard"; chatId: number; keyboard: ReplyButton[][] | null }
  | { seq: number; type: "toast"; chatId: number; text: string }
  | { seq: number; type: "clock"; now: number }
  | { seq: number; type: "reset" };

type NewEvent = PlaygroundEvent extends infer E ? (E extends { seq: number } ? Omit<E, "seq"> : never) : never;

/** An uploaded or bot-sent file, served to the page. */
export interface StoredFile {
  bytes: Uint8Array;
  name: string;
  type: string;
}

export class PlaygroundError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

/** Events kept for pages that fall behind; a page further back reloads the whole state. */
const EVENT_LOG = 2000;
/** Messages kept per chat. */
const TRANSCRIPT = 300;

export interface PlaygroundDeps {
  botApi: LocalBotApi;
  people: CastPerson[];
  groups: CastGroup[];
  /** Posts an update to the bot's webhook; resolves with the HTTP status it answered. */
  postUpdate: (update: Update) => Promise<number>;
  now: () => number;
}

export class Playground {
  private seq = 0;
  private nextUpdateId = 1;
  private nextFileId = 1;
  private readonly events: PlaygroundEvent[] = [];
  private readonly transcripts = new Map<number, Entry[]>();
  private readonly keyboards = new Map<number, ReplyButton[][]>();
  private readonly files = new Map<string, StoredFile>();
  /** Which chat each button press came from, for the toast the bot answers it with. */
  private readonly callbacks = new Map<string, number>();
  private waiters: Array<() => void> = [];

  constructor(private readonly deps: PlaygroundDeps) {
    deps.botApi.subscribe((call) => this.record(call));
  }

  // ── what the page reads ─────────────────────────────────────────────────────────────

  state() {
    return {
      seq: this.seq,
      now: this.deps.now(),
      bot: { username: this.deps.botApi.botInfo.username, name: this.deps.botApi.botInfo.first_name },
      people: this.deps.people,
      groups: this.deps.groups,
      transcripts: Object.fromEntries(this.transcripts),
      keyboards: Object.fromEntries(this.keyboards),
    };
  }

  /** The number of the newest event. */
  get lastSeq(): number {
    return this.seq;
  }

  /** One chat's messages, oldest first. */
  transcript(chatId: number): readonly Entry[] {
    return this.transcripts.get(chatId) ?? [];
  }

  /** Events after `seq`, waiting up to `waitMs` for one; null when `seq` is too old to follow. */
  async eventsAfter(seq: number, waitMs: number, signal?: AbortSignal): Promise<PlaygroundEvent[] | null> {
    if (seq > this.seq) return null;
    if (seq === this.seq && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        this.waiters.push(done);
        signal?.addEventListener("abort", done, { once: true });
      });
    }
    const first = this.events[0];
    if (first !== undefined && first.seq > seq + 1) return null;
    return this.events.filter((e) => e.seq > seq);
  }

  file(key: string): StoredFile | undefined {
    return this.files.get(key) ?? this.fromBotApi(key);
  }

  // ── what people do ──────────────────────────────────────────────────────────────────

  /** Text typed in a chat: a command gets its bot_command entity, as Telegram marks it. */
  sendText(as: number, chatId: number, text: string): Promise<Entry> {
    const trimmed = text.trim();
    if (trimmed === "") throw new PlaygroundError(400, "empty message");
    const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(trimmed)?.[0];
    const entities = command ? [{ type: "bot_command", offset: 0, length: command.length }] : undefined;
    return this.sendMessage(as, chatId, { text: trimmed, ...(entities ? { entities } : {}) }, { text: trimmed });
  }

  /** A press of an inline button on a message the bot sent in this chat. */
  async press(as: number, chatId: number, messageId: number, data: string): Promise<void> {
    const person = this.person(as);
    const chat = this.chat(chatId, person);
    const entry = this.transcripts.get(chatId)?.find((e) => e.messageId === messageId && e.from === "bot");
    if (entry === undefined) throw new PlaygroundError(404, `no message ${messageId} from the bot in chat ${chatId}`);
    const callbackId = `${this.nextUpdateId}${Date.now() % 100_000}`;
    this.callbacks.set(callbackId, chatId);
    const update = {
      update_id: this.nextUpdateId++,
      callback_query: {
        id: callbackId,
        from: this.user(person),
        chat_instance: `playground-${chatId}`,
        data,
        message: {
          message_id: entry.messageId,
          date: Math.floor(entry.at / 1000),
          chat,
          from: this.botUser(),
          ...(entry.text !== undefined && entry.media === undefined ? { text: entry.text } : { caption: entry.text ?? "" }),
          ...(entry.buttons ? { reply_markup: { inline_keyboard: entry.buttons.map((row) => row.map(toTelegramButton)) } } : {}),
        },
      },
    } as unknown as Update;
    await this.post(update, chatId);
  }

  /** A file the person attaches: a picture goes as a photo, sound as a voice note, film as a video, the rest as a document. */
  async sendFile(as: number, chatId: number, file: StoredFile, caption?: string): Promise<Entry> {
    const kind: MediaKind =
      file.type.startsWith("image/") && !file.type.includes("svg")
        ? "photo"
        : file.type.startsWith("audio/")
          ? "voice"
          : file.type.startsWith("video/")
            ? "video"
            : "document";
    const n = this.nextFileId++;
    const fileId = `play-${kind}-${n}`;
    const uniqueId = `play-${n}`;
    this.files.set(fileId, file);
    this.deps.botApi.addFile(fileId, file.bytes, { uniqueId, ext: extensionOf(file.name) });
    const base = { file_id: fileId, file_unique_id: uniqueId, file_size: file.bytes.length };
    const content =
      kind === "photo"
        ? { photo: [{ ...base, width: 1280, height: 960 }] }
        : kind === "voice"
          ? { voice: { ...base, duration: 5, mime_type: file.type } }
          : kind === "video"
            ? { video: { ...base, width: 640, height: 480, duration: 5, mime_type: file.type, file_name: file.name } }
            : { document: { ...base, file_name: file.name, mime_type: file.type || "application/octet-stream" } };
    const text = caption?.trim() || undefined;
    return this.sendMessage(
      as,
      chatId,
      { ...content, ...(text ? { caption: text } : {}) },
      { media: [{ kind, key: fileId, name: file.name }], text },
    );
  }

  sendLocation(as: number, chatId: number, lat: number, lng: number): Promise<Entry> {
    if (!(Math.abs(lat) <= 90 && Math.abs(lng) <= 180)) throw new PlaygroundError(400, "latitude must be within ±90 and longitude within ±180");
    return this.sendMessage(as, chatId, { location: { latitude: lat, longitude: lng } }, { location: { lat, lng } });
  }

  /** The person shares their own contact, as Telegram's contact button does. */
  shareContact(as: number, chatId: number): Promise<Entry> {
    const person = this.person(as);
    const phone = `+86 138 0000 ${String(person.id % 10000).padStart(4, "0")}`;
    return this.sendMessage(
      as,
      chatId,
      { contact: { phone_number: phone, first_name: person.name, user_id: person.id } },
      { contact: { phone, name: person.name } },
    );
  }

  /** Starts over: every transcript and keyboard gone (the caller empties the database). */
  reset(): void {
    this.transcripts.clear();
    this.keyboards.clear();
    this.files.clear();
    this.events.length = 0;
    this.emit({ type: "reset" });
  }

  clockMoved(): void {
    this.emit({ type: "clock", now: this.deps.now() });
  }

  // ── inside ──────────────────────────────────────────────────────────────────────────

  private async sendMessage(
    as: number,
    chatId: number,
    content: Record<string, unknown>,
    shown: Omit<Entry, "chatId" | "messageId" | "from" | "at">,
  ) {
    const person = this.person(as);
    const chat = this.chat(chatId, person);
    const at = this.deps.now();
    const messageId = this.deps.botApi.allocateMessageId();
    const entry: Entry = { chatId, messageId, from: person.id, at, ...shown };
    this.append(entry);
    const update = {
      update_id: this.nextUpdateId++,
      message: { message_id: messageId, date: Math.floor(at / 1000), chat, from: this.user(person), ...content },
    } as unknown as Update;
    await this.post(update, chatId);
    return entry;
  }

  private async post(update: Update, chatId: number): Promise<void> {
    const status = await this.deps.postUpdate(update);
    if (status >= 400) this.emit({ type: "toast", chatId, text: `webhook answered ${status}` });
  }

  private person(id: number): CastPerson {
    const person = this.deps.people.find((p) => p.id === id);
    if (person === undefined) throw new PlaygroundError(404, `nobody in the cast has id ${id}`);
    return person;
  }

  /** The chat as Telegram describes it; a person speaks only in their own private chat or a group of the cast. */
  private chat(chatId: number, person: CastPerson) {
    if (chatId === person.id) return { id: chatId, type: "private", first_name: person.name };
    const group = this.deps.groups.find((g) => g.id === chatId);
    if (group === undefined) throw new PlaygroundError(404, `chat ${chatId} is neither ${person.name}'s private chat nor a group of the cast`);
    return { id: chatId, type: group.purpose === "public" ? "channel" : "supergroup", title: group.title };
  }

  private user(person: CastPerson) {
    return { id: person.id, is_bot: false, first_name: person.name, language_code: "zh-hans" };
  }

  private botUser() {
    const { id, first_name, username } = this.deps.botApi.botInfo;
    return { id, is_bot: true, first_name, username };
  }

  private append(entry: Entry) {
    const list = this.transcripts.get(entry.chatId) ?? [];
    list.push(entry);
    if (list.length > TRANSCRIPT) list.splice(0, list.length - TRANSCRIPT);
    this.transcripts.set(entry.chatId, list);
    this.emit({ type: "message", entry });
  }

  private emit(event: NewEvent) {
    const full = { ...event, seq: ++this.seq } as PlaygroundEvent;
    this.events.push(full);
    if (this.events.length > EVENT_LOG) this.events.splice(0, this.events.length - EVENT_LOG);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** What the bot sent, as the chat shows it. */
  private record(call: RecordedCall) {
    const p = call.params;
    const chatId = Number(p.chat_id);
    const at = this.deps.now();
    const sent = (result: unknown) => (result as { message_id: number }).message_id;
    const caption = typeof p.caption === "string" ? p.caption : undefined;
    const buttons = inlineButtons(p.reply_markup);
    const base = (messageId: number): Entry => ({ chatId, messageId, from: "bot", at, ...(buttons ? { buttons } : {}) });
    switch (call.method) {
      case "sendMessage":
        this.replyKeyboard(chatId, p.reply_markup);
        return this.append({ ...base(sent(call.result)), text: String(p.text) });
      case "sendPhoto":
      case "sendDocument":
      case "sendVideo":
      case "sendVoice":
      case "sendAudio":
      case "sendAnimation": {
        const kind = call.method.slice(4).toLowerCase() as MediaKind;
        const media = this.mediaOf(kind, p[kind]);
        this.replyKeyboard(chatId, p.reply_markup);
        return this.append({ ...base(sent(call.result)), media: [media], ...(caption ? { text: caption } : {}) });
      }
      case "sendMediaGroup": {
        const items = (p.media as Array<{ type: MediaKind; media: unknown; caption?: string }>).map((item) => this.mediaOf(item.type, item.media));
        const ids = (call.result as Array<{ message_id: number }>).map((m) => m.message_id);
        const text = (p.media as Array<{ caption?: string }>).find((item) => item.caption)?.caption;
        return this.append({ chatId, messageId: ids[0]!, from: "bot", at, media: items, ...(text ? { text } : {}) });
      }
      case "sendLocation":
      case "sendVenue":
        return this.append({
          ...base(sent(call.result)),
          location: {
            lat: Number(p.latitude),
            lng: Number(p.longitude),
            ...(typeof p.title === "string" ? { title: p.title } : {}),
            ...(typeof p.address === "string" ? { address: p.address } : {}),
          },
        });
      case "copyMessage": {
        const original = this.transcripts.get(Number(p.from_chat_id))?.find((e) => e.messageId === Number(p.message_id));
        const {
          chatId: _c,
          messageId: _m,
          from: _f,
          at: _a,
          buttons: _b,
          ...content
        } = original ?? { chatId, messageId: 0, from: "bot", at, text: "…" };
        return this.append({ ...base(sent(call.result)), ...content, ...(caption ? { text: caption } : {}) });
      }
      case "editMessageText":
      case "editMessageCaption":
      case "editMessageReplyMarkup":
        return this.edit(chatId, Number(p.message_id), (entry) => ({
          ...entry,
          ...(call.method === "editMessageText" ? { text: String(p.text) } : {}),
          ...(call.method === "editMessageCaption" && caption !== undefined ? { text: caption } : {}),
          buttons: buttons ?? undefined,
          edited: true,
        }));
      case "deleteMessage": {
        const list = this.transcripts.get(chatId);
        const i = list?.findIndex((e) => e.messageId === Number(p.message_id)) ?? -1;
        if (list && i >= 0) list.splice(i, 1);
        return this.emit({ type: "delete", chatId, messageId: Number(p.message_id) });
      }
      case "answerCallbackQuery": {
        const from = this.callbacks.get(String(p.callback_query_id));
        this.callbacks.delete(String(p.callback_query_id));
        if (from !== undefined && typeof p.text === "string" && p.text !== "") this.emit({ type: "toast", chatId: from, text: p.text });
        return;
      }
    }
  }

  private edit(chatId: number, messageId: number, change: (entry: Entry) => Entry) {
    const list = this.transcripts.get(chatId);
    const i = list?.findIndex((e) => e.messageId === messageId) ?? -1;
    if (!list || i < 0) return;
    const entry = change(list[i]!);
    if (entry.buttons === undefined) delete entry.buttons;
    list[i] = entry;
    this.emit({ type: "edit", entry });
  }

  private replyKeyboard(chatId: number, markup: unknown) {
    if (typeof markup !== "object" || markup === null) return;
    const m = markup as {
      keyboard?: Array<Array<string | { text: string; request_contact?: boolean; request_location?: boolean }>>;
      remove_keyboard?: boolean;
    };
    if (m.remove_keyboard) {
      this.keyboards.delete(chatId);
      this.emit({ type: "keyboard", chatId, keyboard: null });
    } else if (Array.isArray(m.keyboard)) {
      const keyboard = m.keyboard.map((row) =>
        row.map((b) =>
          typeof b === "string"
            ? { text: b }
            : { text: b.text, ...(b.request_contact ? { contact: true } : {}), ...(b.request_location ? { location: true } : {}) },
        ),
      );
      this.keyboards.set(chatId, keyboard);
      this.emit({ type: "keyboard", chatId, keyboard });
    }
  }

  /** A file the bot sent: by file id (one Telegram holds) or uploaded with the call. */
  private mediaOf(kind: MediaKind, value: unknown): MediaItem {
    if (typeof value === "string") return { kind, key: value };
    const upload = value as { file?: string; bytes?: Uint8Array } | undefined;
    const key = `sent-${this.nextFileId++}`;
    const name = upload?.file ?? key;
    this.files.set(key, { bytes: upload?.bytes ?? new Uint8Array(), name, type: typeOf(name) });
    return { kind, key, name };
  }

  private fromBotApi(fileId: string): StoredFile | undefined {
    const bytes = this.deps.botApi.fileBytes(fileId);
    return bytes && { bytes, name: fileId, type: "application/octet-stream" };
  }
}

function inlineButtons(markup: unknown): InlineButton[][] | undefined {
  const rows = (markup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string; url?: string }>> } | undefined)?.inline_keyboard;
  if (!Array.isArray(rows)) return undefined;
  return rows.map((row) =>
    row.map((b) => ({ text: b.text, ...(b.callback_data ? { data: b.callback_data } : {}), ...(b.url ? { url: b.url } : {}) })),
  );
}

function toTelegramButton(b: InlineButton) {
  return { text: b.text, ...(b.data ? { callback_data: b.data } : {}), ...(b.url ? { url: b.url } : {}) };
}

function extensionOf(name: string): string {
  return /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase() ?? "bin";
}

function typeOf(name: string): string {
  return contentTypeOf(extensionOf(name)) ?? "application/octet-stream";
}
