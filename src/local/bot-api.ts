/**
 * A stand-in for the Telegram Bot API, answering as Telegram does: the one part of the system
 * tests cannot reach for real, and what local mode will talk to instead of Telegram. Its core
 * is a `fetch(Request): Promise<Response>` handler on Web-standard APIs only, so it runs
 * in-process on any runtime; test/support/fake-bot-api.ts serves it on a loopback port for
 * grammY's `client.apiRoot`.
 *
 * - Records every call (method and parameters) for tests to assert on.
 * - Checks every call against the official method descriptions (bot-api-methods.json, from
 *   Bot API 10.1): the method exists, required fields are present, no unknown field is sent,
 *   types are plausible, and the documented limits hold (text 1-4096 characters, caption
 *   ≤ 1024, callback_data 1-64 bytes, callback answers ≤ 200 characters). A call that breaks a
 *   rule is refused with 400, as Telegram would, and kept in `violations`, which the tests
 *   require to be empty: a bot that passes this stand-in must not be refused by Telegram.
 * - Answers like Telegram ({ ok, result }), serves getUpdates for long polling, and can be
 *   told to answer 429 with retry_after, 403, 500, or to hang (until the client gives up or
 *   the stand-in stops): the next calls to a method (`failNext`), or any call a test's hook
 *   picks (`failWith`, e.g. a seeded random share of all calls with `faultMix`). Each call
 *   so failed keeps its failure in `calls`.
 * - Holds files (`addFile`): getFile answers as Telegram does (a file over 20 MB is "file is
 *   too big", an unknown id is "invalid file_id") and GET /file/bot<token>/<path> serves the
 *   real bytes; each download is recorded in `downloads`, and `failDownloads` makes the next
 *   ones fail with 500.
 * - Can enforce Telegram's rate limits (`enforceLimits`), on its own clock or one the test
 *   shares with the bot: a send that comes too soon after the last one to a private chat,
 *   past the per-minute count of a group, or past the count per second in all is answered 429
 *   with a retry_after, as Telegram does, and kept in `limitBreaches`.
 */
import type { Update, UserFromGetMe } from "grammy/types";
import spec from "./bot-api-methods.json" with { type: "json" };

type FieldSpec = { required: boolean; types: string[] };
const METHODS = spec.methods as Record<string, Record<string, FieldSpec>>;

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
  /** What the fake answered with, when it answered ok (or delivered before hanging). */
  result?: unknown;
  /** The failure injected into this call (failNext or failWith), if any. */
  failure?: Failure;
}

/** The limits the fake enforces, and the clock it reads time from (ms). */
export interface RateLimits {
  privateGapMs: number;
  groupPerMinute: number;
  globalPerSecond: number;
  clock?: () => number;
}

/** The methods that post a message to a chat, and so count toward the limits. */
const SENDING = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendVideo",
  "sendVoice",
  "sendMediaGroup",
  "sendLocation",
  "sendVenue",
  "copyMessage",
  "forwardMessage",
]);

export type Failure =
  | { kind: "error"; status: 400 | 403 | 500 | 502; description?: string; parameters?: Record<string, unknown> }
  | { kind: "flood"; retryAfter: number }
  /**
   * No answer until the client gives up. `delivered`: the message reaches the chat first (it is
   * recorded with its result) and only the answer is lost, which a client that timed out
   * cannot tell apart from a request that never arrived.
   */
  | { kind: "hang"; delivered?: boolean };

/** Picks the failure for a call, or none; consulted for calls `failNext` has nothing queued for. */
export type FaultHook = (call: { method: string; params: Record<string, unknown> }) => Failure | undefined;

/**
 * A hook that fails a seeded random share `rate` of the calls (to `methods`, default all),
 * each with one of `kinds`, picked with equal chance. The same seed and the same order of
 * calls give the same faults. The generator is xorshift32, a few lines here rather than
 * fast-check's: this file is part of local mode too, which ships without the test tools.
 */
export function faultMix(opts: { rate: number; seed: number; kinds: Failure[]; methods?: string[] }): FaultHook {
  let state = opts.seed >>> 0 || 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
  const methods = opts.methods === undefined ? undefined : new Set(opts.methods);
  return ({ method }) => {
    if (methods !== undefined && !methods.has(method)) return undefined;
    if (next() >= opts.rate) return undefined;
    return opts.kinds[Math.floor(next() * opts.kinds.length)];
  };
}

type StoredFile = { uniqueId: string; path: string; bytes: Uint8Array; size: number };

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const refusal = (status: number, description: string, parameters?: Record<string, unknown>) =>
  json(status, { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) });
const flood = (retryAfter: number) => refusal(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });

/** Settles when `signal` aborts (the client gave up), or at once if it already has. */
const onAbort = (signal: AbortSignal, done: () => void) => {
  if (signal.aborted) done();
  else signal.addEventListener("abort", done, { once: true });
};

/** What getMe answers for a bot named Hazardline with this id and username. */
export function botIdentity(id: number, username: string): UserFromGetMe {
  return {
    id,
    is_bot: true,
    first_name: "Hazardline",
    username,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
  } as UserFromGetMe;
}

export class LocalBotApi {
  readonly calls: RecordedCall[] = [];
  readonly violations: string[] = [];
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  private readonly failures = new Map<string, Failure[]>();
  private faultHook: FaultHook | undefined;
  private readonly updates: Update[] = [];
  /** Long polls waiting for an update, and hung calls waiting for their client or for `release`. */
  private waiters: Array<() => void> = [];
  private hanging: Array<() => void> = [];
  private nextMessageId = 1000;
  private limits: RateLimits | undefined;
  private readonly sendTimes = new Map<string, number[]>();
  /** Sends that broke the limits set with `enforceLimits` (each was answered 429). */
  readonly limitBreaches: string[] = [];
  private readonly files = new Map<string, StoredFile>();
  /** The file paths downloaded, one entry per download served. */
  readonly downloads: string[] = [];
  private downloadFailures = 0;

  private readonly listeners = new Set<(call: RecordedCall) => void>();
  private readonly keepCalls: boolean;

  /**
   * `keepCalls: false` keeps no record in `calls` (local mode runs for days; its playground
   * follows the calls through `subscribe` instead).
   */
  constructor(opts: { token: string; botInfo: UserFromGetMe; keepCalls?: boolean }) {
    this.token = opts.token;
    this.botInfo = opts.botInfo;
    this.keepCalls = opts.keepCalls ?? true;
  }

  /** Calls `listener` with every call answered ok, once answered; returns the unsubscribe. */
  subscribe(listener: (call: RecordedCall) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A message id not used yet, for a message a person sends (the bot's own come from the same count). */
  allocateMessageId(): number {
    return this.nextMessageId++;
  }

  /**
   * A file Telegram holds under `fileId`: its bytes, and the size getFile reports (default:
   * the bytes' length; over 20 MB, getFile refuses it as Telegram does).
   */
  addFile(fileId: string, bytes: Uint8Array, opts: { uniqueId?: string; ext?: string; size?: number } = {}): void {
    const path = `photos/${fileId.replace(/[^A-Za-z0-9_-]/g, "_")}.${opts.ext ?? "jpg"}`;
    this.files.set(fileId, { uniqueId: opts.uniqueId ?? fileId, path, bytes, size: opts.size ?? bytes.length });
  }

  /** The bytes held under `fileId`, if any. */
  fileBytes(fileId: string): Uint8Array | undefined {
    return this.files.get(fileId)?.bytes;
  }

  /** The next `times` downloads answer 500. */
  failDownloads(times = 1): void {
    this.downloadFailures += times;
  }

  /** The next `times` calls to `method` fail this way. */
  failNext(method: string, failure: Failure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(method, queue);
  }

  /**
   * From now on, asks `hook` for each call that `failNext` has no failure queued for; the
   * calls it fails keep their failure in `calls`. `undefined` stops it.
   */
  failWith(hook: FaultHook | undefined): void {
    this.faultHook = hook;
  }

  /** From now on, answers sends that break these limits with 429 (see the module comment). */
  enforceLimits(limits: RateLimits): void {
    this.limits = limits;
  }

  /** Which limit a send to `chatId` at `at` would break, if any, with how long to wait (ms). */
  private breach(chatId: number, at: number): { rule: string; waitMs: number } | undefined {
    const l = this.limits!;
    const times = (key: string) => this.sendTimes.get(key) ?? [];
    const global = times("*").filter((t) => t > at - 1000);
    if (global.length >= l.globalPerSecond) return { rule: `more than ${l.globalPerSecond}/s in all`, waitMs: global[0]! + 1000 - at };
    const chat = times(String(chatId));
    if (chatId > 0) {
      const last = chat[chat.length - 1];
      if (last !== undefined && at - last < l.privateGapMs)
        return { rule: `private chat ${chatId} again after ${at - last} ms`, waitMs: last + l.privateGapMs - at };
    } else {
      const minute = chat.filter((t) => t > at - 60_000);
      if (minute.length >= l.groupPerMinute)
        return { rule: `more than ${l.groupPerMinute}/min to group ${chatId}`, waitMs: minute[0]! + 60_000 - at };
    }
    return undefined;
  }

  private countSend(chatId: number, at: number): void {
    for (const key of ["*", String(chatId)]) {
      const list = this.sendTimes.get(key) ?? [];
      list.push(at);
      if (list.length > 200) list.splice(0, list.length - 200);
      this.sendTimes.set(key, list);
    }
  }

  /** Queues an update for getUpdates (long polling). */
  pushUpdate(update: Update): void {
    this.updates.push(update);
    for (const wake of this.waiters.splice(0)) wake();
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Texts of sendMessage calls, optionally to one chat. */
  sentTexts(chatId?: number): string[] {
    return this.callsTo("sendMessage")
      .filter((c) => chatId === undefined || c.params.chat_id === chatId)
      .map((c) => String(c.params.text));
  }

  /** Waits until a call matching the predicate has been recorded; returns it. */
  async waitForCall(method: string, predicate: (call: RecordedCall) => boolean = () => true, timeoutMs = 5000): Promise<RecordedCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.find((c) => c.method === method && predicate(c));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${method} call matched within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  clear(): void {
    this.calls.length = 0;
    this.violations.length = 0;
    this.failures.clear();
    this.faultHook = undefined;
  }

  /** Ends every long poll and hung call now, as stopping the server would (see `fetch`). */
  release(): void {
    for (const wake of [...this.waiters.splice(0), ...this.hanging.splice(0)]) wake();
  }

  // ── request handling ──────────────────────────────────────────────────────────────────

  /** Answers one Bot API request: POST /bot<token>/<method>, or GET /file/bot<token>/<path>. */
  readonly fetch = async (request: Request): Promise<Response> => {
    try {
      return await this.handle(request);
    } catch (err) {
      this.violations.push(`fake crashed: ${String(err)}`);
      return new Response(null, { status: 500 });
    }
  };

  private async handle(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(pathname);
    if (download) return this.download(download[1]!, decodeURIComponent(download[2]!));
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(pathname);
    if (!match) return refusal(404, "Not Found");
    const [, token, method] = match as unknown as [string, string, string];
    if (token !== this.token) return refusal(401, "Unauthorized");
    const params = await readParams(request);
    const call: RecordedCall = { method, params, at: this.limits?.clock?.() ?? Date.now() };
    if (this.keepCalls) this.calls.push(call);

    const problems = checkCall(method, params);
    if (problems.length > 0) {
      this.violations.push(...problems.map((p) => `${method}: ${p}`));
      return refusal(400, `Bad Request: ${problems.join("; ")}`);
    }

    if (this.limits && SENDING.has(method)) {
      const chatId = Number(params.chat_id);
      const broken = this.breach(chatId, call.at);
      if (broken) {
        this.limitBreaches.push(`${method} at ${call.at}: ${broken.rule}`);
        return flood(Math.max(1, Math.ceil(broken.waitMs / 1000)));
      }
    }

    const failure = this.failures.get(method)?.shift() ?? this.faultHook?.({ method, params });
    if (failure) call.failure = failure;
    if (failure?.kind === "hang") {
      if (failure.delivered) this.answered(call, this.result(method, params));
      // No answer until the client gives up or the stand-in is released; by then nobody reads
      // this one (over HTTP, the connection is already gone).
      await new Promise<void>((resolve) => {
        this.hanging.push(resolve);
        onAbort(request.signal, resolve);
      });
      return refusal(502, "Bad Gateway");
    }
    if (failure?.kind === "flood") return flood(failure.retryAfter);
    if (failure?.kind === "error") {
      const description =
        failure.description ??
        { 400: "Bad Request", 403: "Forbidden: bot was blocked by the user", 500: "Internal Server Error", 502: "Bad Gateway" }[failure.status];
      return refusal(failure.status, description, failure.parameters);
    }

    if (method === "getFile") {
      const file = this.files.get(String(params.file_id));
      const refused = file === undefined ? "Bad Request: invalid file_id" : file.size > 20 * 1024 * 1024 ? "Bad Request: file is too big" : undefined;
      if (refused) return refusal(400, refused);
    }
    this.answered(call, method === "getUpdates" ? await this.getUpdates(params, request.signal) : this.result(method, params));
    return json(200, { ok: true, result: call.result });
  }

  /** Carries out a call Telegram takes: its result recorded, counted against the limits, told to listeners. */
  private answered(call: RecordedCall, result: unknown): void {
    const { method, params } = call;
    call.result = result;
    if (this.limits && SENDING.has(method)) {
      // An album counts as its parts against Telegram's limits.
      const messages = method === "sendMediaGroup" && Array.isArray(params.media) ? params.media.length : 1;
      for (let i = 0; i < messages; i++) this.countSend(Number(params.chat_id), call.at);
    }
    for (const listener of this.listeners) listener(call);
  }

  private result(method: string, params: Record<string, unknown>): unknown {
    const now = Math.floor(Date.now() / 1000);
    const chatId = Number(params.chat_id);
    const chat = { id: chatId, type: chatId > 0 ? "private" : "supergroup", ...(chatId > 0 ? { first_name: "User" } : { title: "Group" }) };
    switch (method) {
      case "getMe":
        return this.botInfo;
      case "getWebhookInfo":
        return { url: "", has_custom_certificate: false, pending_update_count: 0 };
      case "sendMessage":
        return { message_id: this.nextMessageId++, date: now, chat, from: this.botInfo, text: params.text };
      case "editMessageText":
        return params.inline_message_id
          ? true
          : { message_id: params.message_id, date: now, edit_date: now, chat, from: this.botInfo, text: params.text };
      case "sendPhoto":
      case "sendDocument":
      case "sendVideo":
      case "sendVoice":
        return { message_id: this.nextMessageId++, date: now, chat, from: this.botInfo, caption: params.caption };
      case "sendMediaGroup":
        // One message per item, as Telegram answers an album.
        return (params.media as Array<{ caption?: string }>).map((item) => ({
          message_id: this.nextMessageId++,
          date: now,
          chat,
          from: this.botInfo,
          caption: item.caption,
        }));
      case "sendLocation":
      case "sendVenue":
        return {
          message_id: this.nextMessageId++,
          date: now,
          chat,
          from: this.botInfo,
          location: { latitude: params.latitude, longitude: params.longitude },
        };
      case "getFile": {
        const file = this.files.get(String(params.file_id));
        return file && { file_id: params.file_id, file_unique_id: file.uniqueId, file_size: file.size, file_path: file.path };
      }
      default:
        return true;
    }
  }

  private async getUpdates(params: Record<string, unknown>, signal: AbortSignal): Promise<Update[]> {
    const offset = Number(params.offset ?? 0);
    const limit = Number(params.limit ?? 100);
    const timeoutMs = Math.min(Number(params.timeout ?? 0), 30) * 1000;
    const pending = () => this.updates.filter((u) => u.update_id >= offset).slice(0, limit);
    // Telegram forgets updates below the offset once the bot confirms them.
    this.updates.splice(0, this.updates.length, ...this.updates.filter((u) => u.update_id >= offset));
    if (pending().length === 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.push(done);
        onAbort(signal, done);
      });
    }
    return pending();
  }

  private download(token: string, path: string): Response {
    const file = [...this.files.values()].find((f) => f.path === path);
    if (token !== this.token) return refusal(401, "Unauthorized");
    if (this.downloadFailures > 0) {
      this.downloadFailures--;
      return new Response(null, { status: 500 });
    }
    if (file === undefined) return refusal(404, "Not Found");
    this.downloads.push(path);
    return new Response(file.bytes.slice(), {
      status: 200,
      headers: { "content-type": "application/octet-stream", "content-length": String(file.bytes.length) },
    });
  }
}

const utf8 = new TextDecoder();

async function readParams(request: Request): Promise<Record<string, unknown>> {
  const body = new Uint8Array(await request.arrayBuffer());
  const type = request.headers.get("content-type") ?? "";
  if (body.length === 0) return {};
  if (type.includes("application/json")) return JSON.parse(utf8.decode(body)) as Record<string, unknown>;
  // multipart/form-data (file uploads): scalar fields arrive as strings, objects as JSON, and
  // each file as a part of its own that a field names with "attach://<part>" (grammY's way).
  // The file is recorded in that field, with its name and bytes, for tests to read back.
  const params: Record<string, unknown> = {};
  const files = new Map<string, { file: string; bytes: Uint8Array }>();
  for (const part of multipartParts(body, /boundary="?([^";]+)"?/.exec(type)?.[1] ?? "")) {
    if (part.filename !== undefined) files.set(part.name, { file: part.filename, bytes: part.data.slice() });
    else {
      const value = utf8.decode(part.data);
      params[part.name] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    }
  }
  const attached = (value: unknown) => {
    const part = typeof value === "string" && value.startsWith("attach://") ? value.slice("attach://".length) : undefined;
    const file = part === undefined ? undefined : files.get(part);
    if (file) files.delete(part!);
    return file;
  };
  for (const [key, value] of Object.entries(params)) {
    const file = attached(value);
    if (file) params[key] = file;
  }
  // An album names its items' files inside `media`.
  if (Array.isArray(params.media)) {
    params.media = (params.media as Record<string, unknown>[]).map((item) => {
      const file = attached(item.media);
      return file ? { ...item, media: file } : item;
    });
  }
  for (const [key, file] of files) params[key] = file; // named by nothing: kept as sent, where the checks see it
  return params;
}

/** Where `needle` first occurs in `bytes` at or after `from`, or -1. */
function indexOfBytes(bytes: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  for (let i = bytes.indexOf(first!, from); i !== -1 && i <= bytes.length - needle.length; i = bytes.indexOf(first!, i + 1)) {
    let j = 1;
    while (j < needle.length && bytes[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/**
 * The parts of a multipart/form-data body. Our own few lines rather than the platform's
 * `Request.formData()`: that one refuses the unquoted `filename=` grammY writes, which
 * Telegram takes.
 */
function multipartParts(body: Uint8Array, boundary: string): Array<{ name: string; filename?: string; data: Uint8Array }> {
  const delimiter = new TextEncoder().encode(`--${boundary}`);
  const blankLine = new TextEncoder().encode("\r\n\r\n");
  const parts: Array<{ name: string; filename?: string; data: Uint8Array }> = [];
  let at = indexOfBytes(body, delimiter);
  while (at !== -1 && boundary !== "") {
    const start = at + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // "--": the closing delimiter
    const next = indexOfBytes(body, delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start + 2, next - 2); // without the CRLF after this delimiter and before the next
    const split = indexOfBytes(part, blankLine);
    const disposition = /content-disposition:\s*form-data\s*;([^\r\n]*)/i.exec(utf8.decode(part.subarray(0, split)))?.[1] ?? "";
    const param = (key: string) => {
      const m = new RegExp(`(?:^|;)\\s*${key}=(?:"([^"]*)"|([^;]*))`, "i").exec(disposition);
      return m ? (m[1] ?? m[2]!.trim()) : undefined;
    };
    parts.push({ name: param("name") ?? "", filename: param("filename"), data: part.subarray(split + 4) });
    at = next;
  }
  return parts;
}

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

/** Everything wrong with a call, judged by the official method descriptions. */
export function checkCall(method: string, params: Record<string, unknown>): string[] {
  const fields = METHODS[method];
  if (fields === undefined) return [`method ${method} does not exist`];
  const problems: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    if (field.required && (params[name] === undefined || params[name] === null)) {
      problems.push(`required field ${name} is missing`);
    }
  }
  for (const [name, value] of Object.entries(params)) {
    const field = fields[name];
    if (field === undefined) {
      problems.push(`unknown field ${name}`);
      continue;
    }
    if (value !== undefined && !field.types.some((t) => matchesType(t, value))) {
      problems.push(`field ${name} should be ${field.types.join(" or ")}, got ${JSON.stringify(value)}`);
    }
  }
  const text = params.text;
  if (typeof text === "string" && (method === "sendMessage" || method === "editMessageText")) {
    if (text.trim().length === 0 || text.length > 4096) problems.push(`text must be 1-4096 characters (${text.length})`);
  }
  if (typeof params.caption === "string" && params.caption.length > 1024) {
    problems.push(`caption must be at most 1024 characters (${params.caption.length})`);
  }
  if (method === "answerCallbackQuery" && typeof text === "string" && text.length > 200) {
    problems.push(`callback answer text must be at most 200 characters (${text.length})`);
  }
  problems.push(...checkReplyMarkup(params.reply_markup));
  problems.push(...checkWebApps(params));
  if (method === "setMyCommands" || method === "deleteMyCommands" || method === "getMyCommands") {
    problems.push(...checkCommandScope(params.scope));
    if (typeof params.language_code === "string" && !/^([a-z]{2})?$/.test(params.language_code)) {
      problems.push(`language_code must be a two-letter ISO 639-1 code or empty (${params.language_code})`);
    }
  }
  if (method === "setMyCommands") problems.push(...checkCommands(params.commands));
  return problems;
}

/** BotCommand: command 1-32 of a-z, 0-9 and _; description 1-256 characters; at most 100 of them. */
function checkCommands(commands: unknown): string[] {
  if (!Array.isArray(commands)) return [];
  const problems: string[] = [];
  if (commands.length > 100) problems.push(`at most 100 commands (${commands.length})`);
  for (const c of commands as Array<Record<string, unknown>>) {
    const unknown = Object.keys(c ?? {}).filter((k) => k !== "command" && k !== "description");
    if (unknown.length > 0) problems.push(`BotCommand has unknown fields ${unknown.join(", ")}`);
    if (typeof c?.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command))
      problems.push(`command must be 1-32 of a-z, 0-9, _ (${JSON.stringify(c?.command)})`);
    if (typeof c?.description !== "string" || c.description.length < 1 || c.description.length > 256) {
      problems.push(`command description must be 1-256 characters (${JSON.stringify(c?.description)})`);
    }
  }
  return problems;
}

/** BotCommandScope: one of the seven types, with exactly the fields that type has. */
function checkCommandScope(scope: unknown): string[] {
  if (scope === undefined) return [];
  if (typeof scope !== "object" || scope === null) return ["scope must be a BotCommandScope object"];
  const s = scope as Record<string, unknown>;
  const fields: Record<string, string[]> = {
    default: [],
    all_private_chats: [],
    all_group_chats: [],
    all_chat_administrators: [],
    chat: ["chat_id"],
    chat_administrators: ["chat_id"],
    chat_member: ["chat_id", "user_id"],
  };
  const wanted = typeof s.type === "string" ? fields[s.type] : undefined;
  if (wanted === undefined) return [`scope type ${JSON.stringify(s.type)} is not a BotCommandScope type`];
  const problems: string[] = [];
  for (const f of wanted) {
    const v = s[f];
    if (!(Number.isInteger(v) || (f === "chat_id" && typeof v === "string" && v.startsWith("@"))))
      problems.push(`scope ${s.type} needs ${f} (${JSON.stringify(v)})`);
  }
  const extra = Object.keys(s).filter((k) => k !== "type" && !wanted.includes(k));
  if (extra.length > 0) problems.push(`scope ${s.type} has unknown fields ${extra.join(", ")}`);
  return problems;
}

function matchesType(type: string, value: unknown): boolean {
  if (type.startsWith("Array of ")) return Array.isArray(value);
  switch (type) {
    case "Integer":
      return Number.isInteger(typeof value === "string" ? Number(value) : value);
    case "Float":
      return typeof (typeof value === "string" ? Number(value) : value) === "number";
    case "String":
      return typeof value === "string";
    case "Boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    case "InputFile":
      return typeof value === "object" && value !== null;
    default:
      return typeof value === "object" && value !== null && !Array.isArray(value);
  }
}

/**
 * Telegram's rules for Mini App buttons: an inline `web_app` button only in a private chat
 * (a group refuses it: BUTTON_TYPE_INVALID), and a Mini App's URL only over https, in a
 * keyboard or as a chat's menu button.
 */
function checkWebApps(params: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const https = (webApp: unknown) =>
    typeof (webApp as { url?: unknown } | null)?.url === "string" && (webApp as { url: string }).url.startsWith("https://");
  const rows = (params.reply_markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  const buttons = Array.isArray(rows) ? (rows.flat() as Array<Record<string, unknown> | null>) : [];
  for (const button of buttons) {
    if (button?.web_app === undefined) continue;
    if (Number(params.chat_id) < 0 || (typeof params.chat_id === "string" && params.chat_id.startsWith("@"))) {
      problems.push("web_app buttons are allowed only in private chats");
    }
    if (!https(button.web_app)) problems.push(`a web_app button needs an https URL (${JSON.stringify(button.web_app)})`);
  }
  const menu = params.menu_button as { type?: unknown; web_app?: unknown } | undefined;
  if (menu?.type === "web_app" && !https(menu.web_app)) problems.push(`a web_app menu button needs an https URL (${JSON.stringify(menu.web_app)})`);
  return problems;
}

function checkReplyMarkup(markup: unknown): string[] {
  if (typeof markup !== "object" || markup === null) return [];
  const problems: string[] = [];
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (rows !== undefined) {
    if (!Array.isArray(rows)) return ["inline_keyboard must be an array of rows"];
    for (const row of rows as unknown[]) {
      for (const button of (Array.isArray(row) ? row : []) as Array<Record<string, unknown>>) {
        if (typeof button.text !== "string" || button.text.length === 0) problems.push("a button has no text");
        const data = button.callback_data;
        if (data !== undefined && (typeof data !== "string" || utf8Bytes(data) < 1 || utf8Bytes(data) > 64)) {
          problems.push(`callback_data must be 1-64 bytes (${JSON.stringify(data)})`);
        }
      }
    }
  }
  return problems;
}
