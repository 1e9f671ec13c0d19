/**
 * The outbox: every message that is not the direct reply to the update being handled (a
 * status push, a rating request, later reminders and notices) is written here, in the same
 * transaction as the change that causes it, and sent by drain(). Nothing is lost to a crash,
 * a 429 or a failed send: a row is claimed before sending and marked after; a 429 waits as
 * long as Telegram asks; a passing failure is retried with backoff; after MAX_ATTEMPTS, or on
 * a refusal that will not change (403 blocked, 400 bad request), the row is dead, logged, and
 * the dispatchers are told in their group.
 *
 * Pacing keeps Telegram's limits across every drainer on every runtime (Workers isolates, a
 * tick and a webhook on Node at once): the next free moment of each chat and of Telegram as
 * a whole live in `send_pace`, and a drainer reserves its send slots there, in the
 * transaction that claims the rows, before it sends. Per chat the oldest due message goes
 * first; a long text goes out in parts from one row (`parts_sent`), in order.
 */
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import { type Api, GrammyError, InputFile } from "grammy";
import type { Db } from "../../db/client";
import { chatsFor, membersWithRole } from "../../db/queries/staff";
import { chats, members, type OutboxRow, outbox, schedules, sendPace, users } from "../../db/schema";
import { DEFAULT_LOCALE } from "../domain/locale";
import { messageParts } from "../domain/message-parts";
import { translator } from "../i18n";
import type { Logger } from "../log";
import { type ArchiveService, DEAD_FILE_ID } from "./archive";
import type { Clock } from "./clock";
import { retryOnBusy, retryOnBusyFor } from "./errors";

/**
 * Longer than a drain can hold a row: its longest budget (TICK_DRAIN_MS) plus one send's
 * timeout (the outbox Api's 20 s). A row claimed by a drainer that died goes back after it.
 */
export const LEASE_MS = 2 * 60_000;
/** How long recording a delivered send may wait out a busy database: well within the lease, so the row is never sent again for it. */
const RECORD_BUDGET_MS = 60_000;
export const MAX_ATTEMPTS = 6;
/** Rows a lane claims at once; each still waits for its own slot just before it is sent. */
const BATCH = 10;
/** A reservation further ahead than this means the clock was set back: it is not waited for. */
const MAX_AHEAD_MS = 60_000;
const GLOBAL_KEY = "*";

/**
 * Telegram's limits as we keep them: about 30 messages a second in all, one a second to a
 * private chat, 20 a minute to a group or channel. Configurable (see src/config.ts).
 */
export interface Pacing {
  globalPerSecond: number;
  /**
   * Drains a process runs side by side, each sending one message at a time: with Telegram
   * answering in ~100 ms, one lane alone reaches ~10 messages a second.
   */
  lanes: number;
  /** The least time between two messages to one private chat, ms. */
  privateGapMs: number;
  /** The least time between two messages to one group or channel, ms. */
  groupGapMs: number;
}

export const DEFAULT_PACING: Pacing = { globalPerSecond: 25, lanes: 4, privateGapMs: 1000, groupGapMs: 3000 };

/**
 * How long a drain may go on: the tick's, and the one after each update (on Workers, kept
 * alive by waitUntil for about 30 s after the answer: this plus one send's timeout fits).
 */
export const TICK_DRAIN_MS = 40_000;
export const UPDATE_DRAIN_MS = 8_000;
/** 30 s, 2 min, 8 min, 32 min, 2 h: long enough to ride out an outage of Telegram or the network. */
const backoffMs = (attempts: number) => 30_000 * 4 ** Math.max(0, attempts - 1);

/** Methods that send to `chat_id`; the others (a chat's command menu and menu button) name their chat in `payload` themselves. */
const SEND_METHODS = new Set<string>([
  "sendMessage",
  "sendPhoto",
  "sendVideo",
  "sendVoice",
  "sendDocument",
  "sendMediaGroup",
  "sendLocation",
  "sendVenue",
]);

export type OutboxMethod =
  | "sendMessage"
  | "sendPhoto"
  | "sendVideo"
  | "sendVoice"
  | "sendDocument"
  | "sendMediaGroup"
  | "sendLocation"
  | "sendVenue"
  | "setMyCommands"
  | "deleteMyCommands"
  | "setChatMenuButton";

/**
 * How many messages a call puts in the chat, as Telegram counts them against its limits: an
 * album is one call but as many messages as it has parts.
 */
export function messagesIn(method: string, payload: Record<string, unknown>): number {
  return method === "sendMediaGroup" && Array.isArray(payload.media) ? Math.max(1, payload.media.length) : 1;
}

export interface OutboxMessage {
  /** Who it is for: the chat a message goes to, the person a menu is for (checked for "blocked" before sending). */
  chatId: number;
  /** An album (sendMediaGroup) is one row, sent in one call: a retry never sends half of it twice. */
  method: OutboxMethod;
  payload: Record<string, unknown>;
  /** Makes "send this once" durable: a second enqueue with the same key is ignored. */
  dedupeKey?: string;
  notBefore?: number;
}

/**
 * A file to upload with a message (the digest's chart), kept in the row as base64 so the row
 * stays JSON, and turned into a grammY InputFile when it is sent.
 */
export interface Upload {
  upload: string;
  filename: string;
}

export function uploadOf(bytes: Uint8Array, filename: string): Upload {
  // btoa takes a binary string; built in chunks, as one spread of a large array overflows the stack.
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { upload: btoa(binary), filename };
}

/**
 * The evidence archive's copy of a file, sent in place of a Telegram file id that stopped
 * working (see `failed`): named by its hash in the row, read from the archive when sent.
 */
export interface ArchivedUpload {
  archived: string;
  filename: string;
}

/** What the outbox asks of the evidence archive (src/services/archive.ts). */
export type OutboxArchive = Pick<ArchiveService, "archivedCopy" | "read">;

const MEDIA_FIELDS = ["photo", "video", "voice", "document"] as const;

const isUpload = (v: unknown): v is Upload => typeof v === "object" && v !== null && typeof (v as Upload).upload === "string";
const isArchived = (v: unknown): v is ArchivedUpload => typeof v === "object" && v !== null && typeof (v as ArchivedUpload).archived === "string";

/** An upload or an archived copy as the InputFile the Bot API call takes; anything else (a file id) as it is. */
async function fileOf(v: unknown, archive: OutboxArchive | undefined): Promise<unknown> {
  if (isUpload(v))
    return new InputFile(
      Uint8Array.from(atob(v.upload), (c) => c.charCodeAt(0)),
      v.filename,
    );
  if (isArchived(v)) {
    const bytes = await archive?.read(v.archived);
    if (!bytes) throw new Error(`the archived copy ${v.archived} cannot be read`);
    return new InputFile(bytes, v.filename);
  }
  return v;
}

/** The payload as the Bot API call takes it: uploads and archived copies as InputFiles, in an album's items too. */
async function withFiles(payload: Record<string, unknown>, archive: OutboxArchive | undefined): Promise<Record<string, unknown>> {
  const out = { ...payload };
  for (const field of MEDIA_FIELDS) if (field in out) out[field] = await fileOf(out[field], archive);
  if (Array.isArray(out.media)) {
    out.media = await Promise.all(
      (out.media as Record<string, unknown>[]).map(async (item) => ({ ...item, media: await fileOf(item.media, archive) })),
    );
  }
  return out;
}

/** The rows to insert; pass `db` or a transaction so the message commits with its cause. */
export async function enqueue(db: Pick<Db, "insert">, messages: OutboxMessage[], now: number): Promise<void> {
  if (messages.length === 0) return;
  await db
    .insert(outbox)
    .values(
      messages.map((m) => ({
        chatId: m.chatId,
        method: m.method,
        payload: SEND_METHODS.has(m.method) ? { ...m.payload, chat_id: m.chatId } : m.payload,
        dedupeKey: m.dedupeKey,
        notBefore: m.notBefore ?? now,
        createdAt: now,
      })),
    )
    .onConflictDoNothing({ target: outbox.dedupeKey });
}

export interface DrainResult {
  sent: number;
  retried: number;
  dead: number;
}

type RawCall = (payload: Record<string, unknown>) => Promise<unknown>;

const isGroup = (chatId: number) => chatId < 0;

export function outboxService(deps: { db: Db; api: Api; log: Logger; clock: Clock; pacing?: Partial<Pacing>; archive?: OutboxArchive }) {
  const { db, api, log, clock } = deps;
  const pacing: Pacing = { ...DEFAULT_PACING, ...deps.pacing };
  const globalGap = 1000 / pacing.globalPerSecond;
  const chatGap = (chatId: number) => (isGroup(chatId) ? pacing.groupGapMs : pacing.privateGapMs);
  const canWait = clock.sleep !== undefined;
  const waitUntil = async (at: number) => {
    const ms = at - clock.now();
    if (ms > 0 && clock.sleep) await clock.sleep(ms);
  };

  /**
   * Rows whose sender died mid-send (claimed, lease run out, never marked) go back to the
   * queue. Telegram offers no idempotency key, so such a row may already have been
   * delivered; each one is logged rather than silently sent twice.
   */
  async function requeueInterrupted(now: number) {
    const rows = await db
      .update(outbox)
      .set({ status: "pending", lastError: "interrupted: the sender stopped mid-send; it may have been delivered", leaseUntil: null })
      .where(and(eq(outbox.status, "sending"), lte(outbox.leaseUntil, now)))
      .returning({ id: outbox.id, chatId: outbox.chatId });
    for (const row of rows) log.warn("outbox message interrupted mid-send; sending again", { outboxId: row.id, chatId: row.chatId });
  }

  /**
   * The oldest due row of each chat, with when its chat may next be written to; only chats
   * with no older row due or in flight (per chat, messages go in order).
   */
  const headsSql = (now: number) => sql`
      from outbox o
      left join send_pace p on p.key = cast(o.chat_id as text)
      where o.status = 'pending' and o.not_before <= ${now}
        and not exists (
          select 1 from outbox q
          where q.chat_id = o.chat_id and q.id < o.id
            and (q.status = 'sending' or (q.status = 'pending' and q.not_before <= ${now})))`;

  /**
   * How long a head's chat will take to empty at its pace: its due rows times its gap. The
   * longest go first (as in scheduling the longest jobs first): a group's ten messages three
   * seconds apart, started last, would outlast everything else and the drain's budget.
   */
  const backlogMs = (now: number) => sql`
    (select count(*) from outbox r where r.chat_id = o.chat_id and r.status = 'pending' and r.not_before <= ${now})
      * (case when o.chat_id < 0 then ${pacing.groupGapMs} else ${pacing.privateGapMs} end)`;

  /**
   * Claims up to `limit` heads whose chat may be written to now, in one statement, so two
   * drainers never take the same row, nor two rows of one chat.
   */
  async function claim(now: number, limit: number): Promise<OutboxRow[]> {
    const rows = await db
      .update(outbox)
      .set({ status: "sending", leaseUntil: now + LEASE_MS, attempts: sql`${outbox.attempts} + 1` })
      .where(
        and(
          eq(outbox.status, "pending"),
          inArray(
            outbox.id,
            sql`(select o.id ${headsSql(now)} and (p.next_at is null or p.next_at <= ${now})
                 order by ${backlogMs(now)} desc, o.not_before, o.id limit ${limit})`,
          ),
        ),
      )
      .returning();
    // The statement chose which heads by backlog; RETURNING gives them in no set order. Groups
    // (the slower pace, so the longer trains) go first within the batch, then the oldest.
    return rows.sort((x, y) => Number(isGroup(y.chatId)) - Number(isGroup(x.chatId)) || x.notBefore - y.notBefore || x.id - y.id);
  }

  /**
   * Reserves the next free moment of Telegram as a whole for `count` messages (an album's
   * parts), in one atomic statement shared by every drainer on every runtime: the slot is
   * `globalGap` for each message after the last one reserved.
   */
  async function reserveSlot(now: number, count: number): Promise<number> {
    const span = globalGap * count;
    const [row] = await db.all<{ next_at: number }>(sql`
      insert into send_pace (key, next_at) values (${GLOBAL_KEY}, ${now + span})
      on conflict (key) do update set next_at =
        (case when send_pace.next_at > ${now + MAX_AHEAD_MS} then ${now} else max(send_pace.next_at, ${now}) end) + ${span}
      returning next_at`);
    return row!.next_at - span;
  }

  /** Whether any row is due to be sent (through outbox_due_idx). */
  async function anythingDue(now: number): Promise<boolean> {
    const [row] = await db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.status, "pending"), lte(outbox.notBefore, now)))
      .limit(1);
    return row !== undefined;
  }

  /** When the next head's chat may be written to, or undefined when no row is due. */
  async function nextPacedAt(now: number): Promise<number | undefined> {
    const [row] = await db.all<{ chat_next: number | null; heads: number }>(sql`
      select min(coalesce(p.next_at, 0)) as chat_next, count(o.id) as heads ${headsSql(now)}`);
    if (!row || row.heads === 0) return undefined;
    return Math.max(row.chat_next ?? 0, now + 50); // never a busy loop
  }

  /** Pushes a chat's (or Telegram's) next free moment to at least `at`. */
  async function holdPace(ex: Pick<Db, "insert">, key: string, at: number) {
    await ex
      .insert(sendPace)
      .values({ key, nextAt: at })
      .onConflictDoUpdate({
        target: sendPace.key,
        set: { nextAt: key === GLOBAL_KEY ? sql`excluded.next_at` : sql`max(${sendPace.nextAt}, excluded.next_at)` },
      });
  }

  async function isBlocked(chatId: number): Promise<boolean> {
    const [row] =
      chatId > 0
        ? await db.select({ blockedAt: users.blockedAt }).from(users).where(eq(users.telegramId, chatId))
        : await db.select({ blockedAt: chats.blockedAt }).from(chats).where(eq(chats.chatId, chatId));
    return row?.blockedAt != null;
  }

  /** Whether the bot may write to a chat: 403 or being removed says no; being added back, yes. */
  async function setReachable(chatId: number, reachable: boolean, now: number) {
    const blockedAt = reachable ? null : now;
    if (chatId < 0) await db.update(chats).set({ blockedAt }).where(eq(chats.chatId, chatId));
    else if (reachable) await db.update(users).set({ blockedAt }).where(eq(users.telegramId, chatId));
    // A staff member the directory added may never have written to the bot: no row yet.
    else
      await db
        .insert(users)
        .values({ telegramId: chatId, locale: DEFAULT_LOCALE, blockedAt })
        .onConflictDoUpdate({ target: users.telegramId, set: { blockedAt } });
  }

  /** A group became a supergroup: Telegram names the new id; the binding, its recurring reminders and the message follow it. */
  async function followMigration(row: OutboxRow, newChatId: number, now: number) {
    const [taken] = await db.select({ chatId: chats.chatId }).from(chats).where(eq(chats.chatId, newChatId));
    if (!taken) await db.update(chats).set({ chatId: newChatId }).where(eq(chats.chatId, row.chatId));
    await db.update(schedules).set({ chatId: newChatId }).where(eq(schedules.chatId, row.chatId)); // its recurring reminders follow
    await db
      .update(outbox)
      .set({
        chatId: newChatId,
        payload: { ...(row.payload as Record<string, unknown>), chat_id: newChatId },
        status: "pending",
        notBefore: now,
        attempts: row.attempts - 1,
        leaseUntil: null,
      })
      .where(eq(outbox.id, row.id));
    log.info("group migrated to a supergroup; binding and message moved", { from: row.chatId, to: newChatId });
  }

  /** Who a dead message was for, as the dispatchers may read it: a group's title, a staff member's name, else only "a citizen". */
  async function recipientLabel(chatId: number): Promise<{ kind: "group" | "member" | "citizen"; name: string }> {
    if (isGroup(chatId)) {
      const [chat] = await db.select({ title: chats.title }).from(chats).where(eq(chats.chatId, chatId));
      return { kind: "group", name: chat?.title ?? String(chatId) };
    }
    const [member] = await db.select({ name: members.name }).from(members).where(eq(members.telegramId, chatId)).limit(1);
    return member ? { kind: "member", name: member.name } : { kind: "citizen", name: "" };
  }

  /**
   * Tells the dispatchers that a message could not be delivered (once per message: the dedupe
   * key names it). Not for a message to them itself, nor for such a notice: those are in the
   * log, where the administrator looks.
   */
  async function reportDead(row: OutboxRow, reason: string, now: number) {
    if (row.dedupeKey?.startsWith("dead:")) return;
    // Their group, or, where none is bound, each dispatcher privately (as case cards go).
    let targets = (await chatsFor(db, "dispatchers")).map((c) => c.chatId);
    if (targets.length === 0) targets = [...new Set((await membersWithRole(db, "dispatcher")).map((m) => m.telegramId))];
    targets = targets.filter((id) => id !== row.chatId);
    if (targets.length === 0) return;
    const t = translator(DEFAULT_LOCALE);
    const who = await recipientLabel(row.chatId);
    const payload = row.payload as Record<string, unknown>;
    const said = typeof payload.text === "string" ? payload.text : typeof payload.caption === "string" ? payload.caption : "";
    const text = t("outbox-dead", {
      kind: who.kind,
      name: who.name,
      reason: reason.slice(0, 200),
      attempts: row.attempts,
      excerpt: said.replace(/\s+/g, " ").slice(0, 120),
    });
    await enqueue(
      db,
      targets.map((chatId) => ({ chatId, method: "sendMessage" as const, payload: { text }, dedupeKey: `dead:${row.id}:${chatId}` })),
      now,
    );
  }

  async function markDead(row: OutboxRow, reason: string, now: number, opts: { err?: unknown; report?: boolean } = {}) {
    await retryOnBusy(() => db.update(outbox).set({ status: "dead", lastError: reason, leaseUntil: null }).where(eq(outbox.id, row.id)));
    log.error("outbox message dead", { outboxId: row.id, chatId: row.chatId, attempts: row.attempts, reason, err: opts.err });
    if (opts.report !== false) await retryOnBusy(() => reportDead(row, reason, now));
  }

  /** Sends the row's next part; says what became of the row. */
  async function send(row: OutboxRow): Promise<keyof DrainResult> {
    if (await isBlocked(row.chatId)) {
      // They blocked the bot or removed it from the group, as a 403 said before (and was
      // reported then): Telegram would only say 403 again. Logged, not reported again.
      await markDead(row, "recipient unreachable (blocked the bot or removed it)", clock.now(), { report: false });
      return "dead";
    }
    const parts = messageParts(row.method, row.payload as Record<string, unknown>);
    const part = parts[row.partsSent] ?? parts[parts.length - 1]!;
    const call = (api.raw as unknown as Record<string, RawCall>)[part.method];
    try {
      if (call === undefined) throw new Error(`unknown method ${part.method}`);
      await call(await withFiles(part.payload, deps.archive));
    } catch (err) {
      return failed(row, err);
    }
    // Delivered. Recording it waits out a busy database for as long as a lease lasts, in
    // place: given up, the row would be sent again when its lease ran out. A failure even so
    // is not a failed send: it is said as such and the drain stops; the row's lease runs out
    // and it is sent again, logged as interrupted.
    const now = clock.now();
    try {
      await retryOnBusy(() => holdPace(db, String(row.chatId), now + chatGap(row.chatId) * messagesIn(part.method, part.payload)));
      const more = row.partsSent + 1 < parts.length;
      await retryOnBusyFor(
        () =>
          db
            .update(outbox)
            // More parts: the row stays at the head of its chat's queue; the attempt was a success.
            .set(
              more
                ? { status: "pending", partsSent: row.partsSent + 1, attempts: 0, notBefore: now, leaseUntil: null }
                : { status: "sent", partsSent: parts.length, sentAt: now, leaseUntil: null },
            )
            .where(eq(outbox.id, row.id)),
        RECORD_BUDGET_MS,
      );
    } catch (err) {
      log.error("outbox message delivered but not recorded; it will be sent again when its lease runs out", {
        outboxId: row.id,
        chatId: row.chatId,
        err,
      });
      throw err;
    }
    return "sent";
  }

  /** What a failed send leads to: a wait Telegram asked for, a retry with backoff, or a dead row. */
  async function failed(row: OutboxRow, err: unknown): Promise<keyof DrainResult> {
    const now = clock.now();
    const description = err instanceof Error ? err.message : String(err);
    const code = err instanceof GrammyError ? err.error_code : undefined;
    const retryAfter = err instanceof GrammyError ? err.parameters.retry_after : undefined;
    const migratedTo = err instanceof GrammyError ? err.parameters.migrate_to_chat_id : undefined;
    if (migratedTo !== undefined) {
      await retryOnBusy(() => followMigration(row, migratedTo, now));
      return "retried";
    }
    if (code === 429 && retryAfter !== undefined) {
      // Not the message's fault: wait as told, without spending an attempt, and hold the chat too.
      const until = now + retryAfter * 1000;
      await retryOnBusy(() => holdPace(db, String(row.chatId), until));
      await retryOnBusy(() =>
        db
          .update(outbox)
          .set({ status: "pending", notBefore: until, attempts: row.attempts - 1, lastError: description, leaseUntil: null })
          .where(eq(outbox.id, row.id)),
      );
      return "retried";
    }
    if (code === 400 && DEAD_FILE_ID.test(description) && (await sendArchivedCopy(row, description, now))) return "retried";
    if (code === 403 || code === 400 || row.attempts >= MAX_ATTEMPTS) {
      if (code === 403) await retryOnBusy(() => setReachable(row.chatId, false, now));
      await markDead(row, description, now, { err });
      return "dead";
    }
    if (!(err instanceof GrammyError)) {
      // No answer (a timeout, a dropped connection): Telegram may have delivered it, and
      // offers no idempotency key to ask. Sent again after the backoff; said here.
      log.warn("outbox send got no answer; it may have been delivered and will be sent again", { outboxId: row.id, chatId: row.chatId, err });
    }
    await retryOnBusy(() =>
      db
        .update(outbox)
        .set({ status: "pending", notBefore: now + backoffMs(row.attempts), lastError: description, leaseUntil: null })
        .where(eq(outbox.id, row.id)),
    );
    return "retried";
  }

  /**
   * A file id Telegram no longer knows (a new bot token, a migrated chat): the row's media is
   * swapped for the archived copy, and the row sent again at once without spending an attempt.
   * False when the archive holds no copy (the row is then dead, as any 400).
   */
  async function sendArchivedCopy(row: OutboxRow, description: string, now: number): Promise<boolean> {
    const payload = { ...(row.payload as Record<string, unknown>) };
    let swapped = false;
    const copyOf = async (fileId: unknown): Promise<ArchivedUpload | null> => {
      const copy = typeof fileId === "string" ? await deps.archive?.archivedCopy(fileId) : null;
      return copy ? { archived: copy.sha256, filename: copy.filename } : null;
    };
    for (const field of MEDIA_FIELDS) {
      const copy = await copyOf(payload[field]);
      if (!copy) continue;
      payload[field] = copy;
      swapped = true;
    }
    // An album: each item whose file the archive holds is swapped; Telegram names no item, so all are tried.
    if (Array.isArray(payload.media)) {
      payload.media = await Promise.all(
        (payload.media as Record<string, unknown>[]).map(async (item) => {
          const copy = await copyOf(item.media);
          if (!copy) return item;
          swapped = true;
          return { ...item, media: copy };
        }),
      );
    }
    if (!swapped) return false;
    log.warn("outbox: a file id no longer works; sending the archived copy", { outboxId: row.id, chatId: row.chatId, error: description });
    await retryOnBusy(() =>
      db
        .update(outbox)
        .set({ status: "pending", payload, notBefore: now, attempts: row.attempts - 1, lastError: description, leaseUntil: null })
        .where(eq(outbox.id, row.id)),
    );
    return true;
  }

  /** Gives claimed rows back untouched (the drain's time is up). */
  async function release(rows: OutboxRow[]) {
    if (rows.length === 0) return;
    await retryOnBusy(() =>
      db
        .update(outbox)
        .set({ status: "pending", attempts: sql`${outbox.attempts} - 1`, leaseUntil: null })
        .where(
          and(
            inArray(
              outbox.id,
              rows.map((r) => r.id),
            ),
            eq(outbox.status, "sending"),
          ),
        ),
    );
  }

  /**
   * One lane: claims a few rows, and for each reserves Telegram's next free moment, waits for
   * it and sends; until nothing is due, or the time is up (rows it holds then go back).
   */
  async function lane(deadline: number, result: DrainResult): Promise<void> {
    const timeUp = () => canWait && clock.now() > deadline;
    while (!timeUp()) {
      const now = clock.now();
      const batch = await retryOnBusy(() => claim(now, BATCH));
      if (batch.length === 0) {
        if (!canWait) return;
        const next = await retryOnBusy(() => nextPacedAt(now));
        if (next === undefined || next > deadline) return;
        await waitUntil(next);
        continue;
      }
      for (const [i, row] of batch.entries()) {
        const slot = await retryOnBusy(() => reserveSlot(clock.now(), messagesIn(row.method, row.payload as Record<string, unknown>)));
        if (canWait && slot > deadline) {
          await release(batch.slice(i));
          return;
        }
        await waitUntil(slot);
        result[await send(row)]++;
      }
    }
  }

  /**
   * Sends what is due at Telegram's pace, in `pacing.lanes` lanes, for at most `budgetMs`
   * (one pass, each chat once, with a clock that cannot wait). Rows not due yet (a retry's
   * backoff, a 429's wait) are left for a later drain: the tick comes every minute.
   */
  async function drain(opts: { budgetMs?: number } = {}): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, retried: 0, dead: 0 };
    const deadline = clock.now() + (opts.budgetMs ?? 0);
    // Each write waits out a moment's "database busy" (another tick or a webhook's
    // transaction holding the lock): failing after a send would send it again later.
    await retryOnBusy(() => requeueInterrupted(clock.now()));
    const lanes = canWait ? Math.max(1, Math.floor(pacing.lanes)) : 1;
    await Promise.all(Array.from({ length: lanes }, () => lane(deadline, result)));
    return result;
  }

  let running: Promise<DrainResult | undefined> | undefined;
  let again = false;

  return {
    enqueue: (messages: OutboxMessage[], now: number) => enqueue(db, messages, now),
    setReachable,
    drain,

    /** Resolves once no background drain of this process is running (tests, and a clean shutdown). */
    async settle(): Promise<void> {
      while (running) await running;
    },

    /**
     * Drains now in the background of this process, once at a time: a call while a drain
     * runs asks for one more round after it (what the update just wrote may have come after
     * that drain's last claim), all within one `budgetMs`. Never throws; a failure is
     * logged and the tick tries again.
     */
    drainSoon(budgetMs = UPDATE_DRAIN_MS): Promise<DrainResult | undefined> {
      if (running) {
        again = true;
        return running;
      }
      const deadline = clock.now() + budgetMs;
      running = (async () => {
        let last: DrainResult | undefined;
        do {
          again = false;
          // Most updates write nothing to the outbox: one indexed look decides, instead of
          // a drain's claims in every lane (the tick puts back interrupted rows anyway).
          if (!(await anythingDue(clock.now()))) continue;
          last = await drain({ budgetMs: Math.max(0, deadline - clock.now()) });
        } while (again && clock.now() < deadline);
        return last;
      })()
        .catch((err: unknown) => {
          log.error("outbox drain failed; the next tick retries", { err });
          return undefined;
        })
        .finally(() => {
          running = undefined;
        });
      return running;
    },
  };
}

export type OutboxService = ReturnType<typeof outboxService>;
