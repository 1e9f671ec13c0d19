/**
 * Which failures are worth a retry. A Telegram update is answered with a 5xx only when
 * storage failed in a way that a retry can get past (the database or Redis was unreachable,
 * busy or closed); a failure caused by the update's content is logged and answered 200, since
 * Telegram would otherwise redeliver it forever.
 */

/** Thrown by storage adapters when the store could not be reached or did not answer. */
export class StorageUnavailableError extends Error {
  override name = "StorageUnavailableError";
  constructor(store: string, cause: unknown) {
    super(`${store} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

// libSQL error codes that mean "the store was not usable just now", not "the data is wrong".
const TRANSIENT_LIBSQL_CODES = new Set([
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_IOERR",
  "SQLITE_CANTOPEN",
  "SQLITE_FULL",
  "CLIENT_CLOSED",
  "HRANA_WEBSOCKET_ERROR",
  "HRANA_CLOSED_ERROR",
  "SERVER_ERROR",
  "STREAM_EXPIRED",
]);

/** True when `err` (or anything in its cause chain) is a storage failure a retry may cure. */
export function isTransientStorageError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof StorageUnavailableError) return true;
    const code = (e as { code?: unknown }).code;
    if (e.name === "LibsqlError" && typeof code === "string") {
      if (TRANSIENT_LIBSQL_CODES.has(code) || code.startsWith("SQLITE_IOERR")) return true;
    }
    // fetch-based clients (libSQL over HTTP) fail with a TypeError when the server is down.
    if (e.name === "TypeError" && /fetch failed|network/i.test(e.message)) return true;
  }
  return false;
}

/** True when the database refused a write because another connection holds the write lock just now. */
export function isBusyError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))) return true;
  }
  return false;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` again while the database answers "busy": a write that waited out its busy
 * timeout behind another process, or its turn behind a transaction of this process that did
 * not finish (db/serialized-writes.ts), or a remote database that said so. Waiting
 * asynchronously lets the other writer finish. Only for work that is safe to run again:
 * a failed attempt wrote nothing (a statement, or a whole transaction that rolled back).
 *
 * Bounded by time, not by a count of attempts: a refusal may take the whole busy timeout or
 * come at once (a file in WAL refuses at once a transaction whose snapshot another process's
 * commit has outdated), and under load a dozen instant refusals were over in two seconds
 * while the other server was still firing the same tick's reminders.
 */
export function retryOnBusy<T>(work: () => Promise<T>, budgetMs = BUSY_RETRY_BUDGET_MS): Promise<T> {
  return retryOnBusyFor(work, budgetMs);
}

/** How long retryOnBusy keeps trying. */
export const BUSY_RETRY_BUDGET_MS = 20_000;

/** 10 ms, doubling to a quarter of a second, jittered so that two waiting processes do not retry in step. */
const busyBackoff = (attempt: number) => Math.min(250, 5 * 2 ** attempt) * (0.5 + Math.random());

/**
 * retryOnBusy with a budget of the caller's: for a write whose failure costs more than
 * waiting, such as recording that a message went out (else it goes out again).
 */
export async function retryOnBusyFor<T>(
  work: () => Promise<T>,
  budgetMs: number,
  clock: () => number = Date.now,
  /** Whether this failure may be retried: a busy answer, unless the caller knows more. */
  retryable: (err: unknown) => boolean = isBusyError,
): Promise<T> {
  const deadline = clock() + budgetMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (clock() >= deadline || !retryable(err)) throw err;
      await sleep(busyBackoff(attempt));
    }
  }
}
