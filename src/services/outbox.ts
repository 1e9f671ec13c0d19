/**
 * The outbox: every message that is not the direct reply to the update being handled (a
 * status push, a rating request, later reminders and notices) is written here, in the same
 * transaction as the change that causes it, and sent by drain(). Nothing is lost to a crash,
 * a 429 or a failed send: a row is claimed before sending and marked after; a 429 waits as
 * long as Telegram asks; a passing failure is retried with backoff; after MAX_ATTEMPTS, or on
 * a refusal that will not change (403 blocked, 400 bad request), the row is dead and logged.
 *
 * First cut: pacing under Telegram's per-chat and global limits comes with the delivery issue.
 */
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import { type Api, GrammyError } from "grammy";
import type { Db } from "../../db/client";
import { chats, outbox, schedules, users } from "../../db/schema";
import type { Logger } from "../log";
import { retryOnBusy } from "./errors";

/** Longer than a whole batch can take (BATCH sends × the outbox Api's 20 s timeout). */
export const LEASE_MS = 10 * 60_000;
export const MAX_ATTEMPTS = 6;
const BATCH = 25;
/** 30 s, 2 min, 8 min, 32 min, 2 h: long enough to ride out an outage of Telegram or the network. */
const backoffMs = (attempts: number) => 30_000 * 4 ** Math.max(0, attempts - 1);

/** Methods that send to `chat_id`; the others (a chat's command menu) name their chat in `payload` themselves. */
const SEND_METHODS = new Set(["sendMessage", "sendPhoto", "sendDocument"]);

export interface OutboxMessage {
  /** Who it is for: the chat a message goes to, the person a menu is for (checked for "blocked" before sending). */
  chatId: number;
  method: "sendMessage" | "sendPhoto" | "sendDocument" | "setMyCommands" | "deleteMyCommands";
  payload: Record<string, unknown>;
  /** Makes "send this once" durable: a second enqueue with the same key is ignored. */
  dedupeKey?: string;
  notBefore?: number;
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

export function outboxService(deps: { db: Db; api: Api; log: Logger }) {
  const { db, api, log } = deps;

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

  /** Claims due rows in one statement, so two drainers never take the same row. */
  async function claim(now: number) {
    const due = db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.status, "pending"), lte(outbox.notBefore, now)))
      .orderBy(outbox.notBefore, outbox.id)
      .limit(BATCH);
    return db
      .update(outbox)
      .set({ status: "sending", leaseUntil: now + LEASE_MS, attempts: sql`${outbox.attempts} + 1` })
      .where(inArray(outbox.id, due))
      .returning();
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
    if (chatId > 0) await db.update(users).set({ blockedAt }).where(eq(users.telegramId, chatId));
    else await db.update(chats).set({ blockedAt }).where(eq(chats.chatId, chatId));
  }

  /** A group became a supergroup: Telegram names the new id; the binding, its recurring reminders and the message follow it. */
  async function followMigration(row: { id: number; chatId: number; payload: unknown; attempts: number }, newChatId: number, now: number) {
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

  return {
    enqueue: (messages: OutboxMessage[], now: number) => enqueue(db, messages, now),
    setReachable,

    async drain(now: number): Promise<DrainResult> {
      const result: DrainResult = { sent: 0, retried: 0, dead: 0 };
      // Each write waits out a moment's "database busy" (another tick or a webhook's
      // transaction holding the lock): failing after a send would send it again later.
      await retryOnBusy(() => requeueInterrupted(now));
      for (const row of await retryOnBusy(() => claim(now))) {
        if (await isBlocked(row.chatId)) {
          // They blocked the bot or removed it from the group: Telegram would only say 403.
          await retryOnBusy(() => db.update(outbox).set({ status: "dead", lastError: "recipient unreachable (blocked or removed)", leaseUntil: null }).where(eq(outbox.id, row.id)));
          result.dead++;
          continue;
        }
        const call = (api.raw as unknown as Record<string, RawCall>)[row.method];
        try {
          if (call === undefined) throw new Error(`unknown method ${row.method}`);
          await call(row.payload as Record<string, unknown>);
          await retryOnBusy(() => db.update(outbox).set({ status: "sent", sentAt: now, leaseUntil: null }).where(eq(outbox.id, row.id)));
          result.sent++;
        } catch (err) {
          const description = err instanceof Error ? err.message : String(err);
          const code = err instanceof GrammyError ? err.error_code : undefined;
          const retryAfter = err instanceof GrammyError ? err.parameters.retry_after : undefined;
          const migratedTo = err instanceof GrammyError ? err.parameters.migrate_to_chat_id : undefined;
          if (migratedTo !== undefined) {
            await retryOnBusy(() => followMigration(row, migratedTo, now));
            result.retried++;
          } else if (code === 429 && retryAfter !== undefined) {
            // Not the message's fault: wait as told, without spending an attempt.
            await retryOnBusy(() =>
              db
                .update(outbox)
                .set({ status: "pending", notBefore: now + retryAfter * 1000, attempts: row.attempts - 1, lastError: description, leaseUntil: null })
                .where(eq(outbox.id, row.id)),
            );
            result.retried++;
          } else if (code === 403 || code === 400 || row.attempts >= MAX_ATTEMPTS) {
            await retryOnBusy(() => db.update(outbox).set({ status: "dead", lastError: description, leaseUntil: null }).where(eq(outbox.id, row.id)));
            if (code === 403) await retryOnBusy(() => setReachable(row.chatId, false, now));
            log.error("outbox message dead", { outboxId: row.id, chatId: row.chatId, attempts: row.attempts, err });
            result.dead++;
          } else {
            await retryOnBusy(() =>
              db
                .update(outbox)
                .set({ status: "pending", notBefore: now + backoffMs(row.attempts), lastError: description, leaseUntil: null })
                .where(eq(outbox.id, row.id)),
            );
            result.retried++;
          }
        }
      }
      return result;
    },
  };
}

export type OutboxService = ReturnType<typeof outboxService>;
