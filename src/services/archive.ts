/**
 * The evidence archive: every file that enters a case (the report, progress, the resolution)
 * or a notice is copied from Telegram (getFile, then the file's download URL) into the
 * office's own storage (`FileStore`), content-addressed by SHA-256. Telegram's file ids are a
 * cache that dies with the bot token; the archive is the record.
 *
 * It runs in the background, never inside an update: after each update (`archiveSoon`, like
 * the outbox's drain) and on every tick, a batch at a time within a time budget. A file is
 * claimed with a lease, so two workers never download the same one at once.
 * - Telegram will not hand it out (400: over 20 MB, or the id is gone): recorded
 *   `unavailable`, with the reason, and never tried again.
 * - Telegram or the download fails otherwise: tried again with backoff (1 min, 4, 16 … at
 *   most 6 h), never given up: nothing is lost.
 * - The storage fails (a full disk, an R2 error): the same, and the failure is kept in hot
 *   state for /healthz and logged; the batch stops, since the next file would fail alike.
 */
import { type Api, GrammyError } from "grammy";
import type { Db } from "../../db/client";
import {
  type ArchiveRow,
  anyArchiveDue,
  archiveBacklog,
  archivedByFileId,
  claimDueFiles,
  markArchived,
  markRetry,
  markUnavailable,
} from "../../db/queries/archive";
import { sha256HexOfBytes } from "../domain/hash";
import { archiveMedia, contentTypeOf, MAX_UPLOAD_BYTES, pictureTypeOf } from "../domain/media";
import type { MediaItem } from "../domain/report-draft";
import type { Logger } from "../log";
import type { Clock } from "./clock";
import { retryOnBusy } from "./errors";
import type { FileStore } from "./file-store";
import type { HotState } from "./hot-state";

/** The most the public Bot API hands out through getFile (a local Bot API server has no such limit). */
export const TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024;
/** How long a claimed file is kept from other workers: one getFile and one download of 20 MB fit well inside it. */
const LEASE_MS = 5 * 60_000;
/** 1 min, 4 min, 16 min, 64 min, 4 h 16 min, then every 6 h. */
export const archiveBackoffMs = (attempts: number) => Math.min(60_000 * 4 ** Math.max(0, attempts - 1), 6 * 3_600_000);
const DOWNLOAD_TIMEOUT_MS = 60_000;
export const TICK_ARCHIVE_MS = 20_000;
export const UPDATE_ARCHIVE_MS = 8_000;
const BATCH = 10;

/** Hot-state key of the storage's last failure, cleared by its next success; read by /healthz. */
export const STORAGE_ERROR_KEY = "archive:storage-error";

export interface ArchiveRun {
  archived: number;
  unavailable: number;
  retried: number;
}

export interface ArchiveHealth {
  /** off: no storage configured; failing: the storage's last write failed. */
  state: "ok" | "failing" | "off";
  /** Files waiting to be archived. */
  pending: number;
  error?: string;
}

/** A Bot API answer that says the file id itself is no good (a new bot token, a file Telegram dropped). */
export const DEAD_FILE_ID = /wrong file identifier|wrong remote file id|file not found|invalid file_?id|file reference/i;

class StorageError extends Error {
  override name = "StorageError";
}

const extOf = (path: string) => /\.([A-Za-z0-9]{1,8})$/.exec(path)?.[1]?.toLowerCase() ?? null;

export function archiveService(deps: { db: Db; kv: HotState; log: Logger; clock: Clock; api: Api; files?: FileStore; fetch?: typeof fetch }) {
  const { db, kv, log, clock, api, files } = deps;
  const download = deps.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));
  const fileUrl = (path: string) => `${api.options?.apiRoot ?? "https://api.telegram.org"}/file/bot${api.token}/${path}`;
  let running: Promise<ArchiveRun> | undefined;
  let again = false;

  /** Copies one claimed file; says what became of it. */
  async function archiveOne(store: FileStore, row: ArchiveRow): Promise<keyof ArchiveRun> {
    let path: string | undefined;
    try {
      const file = await api.getFile(row.fileId);
      path = file.file_path;
      if (path === undefined) {
        const big = (file.file_size ?? 0) > TELEGRAM_DOWNLOAD_LIMIT;
        return unavailable(row, big ? "too_big" : "gone", `getFile gave no file path (${file.file_size ?? "?"} bytes)`);
      }
    } catch (err) {
      if (err instanceof GrammyError && err.error_code === 400) {
        return unavailable(row, /too big/i.test(err.description) ? "too_big" : "gone", err.description);
      }
      return retry(row, `getFile: ${errorText(err)}`);
    }
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      const res = await download(fileUrl(path), { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (err) {
      return retry(row, `download: ${errorText(err)}`);
    }
    const sha256 = await sha256HexOfBytes(bytes);
    const ext = extOf(path);
    try {
      if (!(await store.has(sha256))) await store.put(sha256, bytes, contentTypeOf(ext));
    } catch (err) {
      await retry(row, `storage (${store.where}): ${errorText(err)}`);
      throw new StorageError(errorText(err), { cause: err });
    }
    await retryOnBusy(() => markArchived(db, row.fileUniqueId, { sha256, size: bytes.length, ext }, clock.now()));
    return "archived";
  }

  async function unavailable(row: ArchiveRow, reason: "too_big" | "gone", detail: string): Promise<"unavailable"> {
    log.warn("archive: Telegram will not hand out a file; recorded as not archived", { fileUniqueId: row.fileUniqueId, reason, detail });
    await retryOnBusy(() => markUnavailable(db, row.fileUniqueId, reason, detail));
    return "unavailable";
  }

  async function retry(row: ArchiveRow, error: string): Promise<"retried"> {
    const at = clock.now() + archiveBackoffMs(row.attempts);
    log.warn("archive: a file could not be archived; it is tried again later", { fileUniqueId: row.fileUniqueId, attempts: row.attempts, error });
    await retryOnBusy(() => markRetry(db, row.fileUniqueId, error, at));
    return "retried";
  }

  /** Archives what is due, a batch at a time, until nothing is due or the budget is spent. */
  async function runDue(opts: { budgetMs?: number; limit?: number } = {}): Promise<ArchiveRun> {
    const result: ArchiveRun = { archived: 0, unavailable: 0, retried: 0 };
    if (files === undefined) return result;
    const deadline = clock.now() + (opts.budgetMs ?? TICK_ARCHIVE_MS);
    let left = opts.limit ?? Number.POSITIVE_INFINITY;
    while (left > 0 && clock.now() <= deadline) {
      const now = clock.now();
      const rows = await retryOnBusy(() => claimDueFiles(db, now, Math.min(BATCH, left), now + LEASE_MS));
      if (rows.length === 0) break;
      left -= rows.length;
      for (const [i, row] of rows.entries()) {
        try {
          result[await archiveOne(files, row)]++;
        } catch (err) {
          if (!(err instanceof StorageError)) throw err;
          result.retried++;
          log.error("archive: the storage failed; files stay queued and are tried again", { where: files.where, err });
          await kv.set(STORAGE_ERROR_KEY, JSON.stringify({ at: clock.now(), error: err.message }), 7 * 86_400_000).catch(() => undefined);
          // The rest of the batch would fail alike: give their claims back for the next run.
          for (const rest of rows.slice(i + 1)) {
            await retry(rest, `storage (${files.where}) failed for an earlier file`);
            result.retried++;
          }
          return result;
        }
      }
      if (result.archived > 0) await kv.delete(STORAGE_ERROR_KEY).catch(() => undefined);
    }
    return result;
  }

  return {
    /** Whether files are archived at all (a storage is configured). */
    enabled: files !== undefined,
    runDue,

    /**
     * Archives in the background of this process, once at a time, like the outbox's drainSoon:
     * a call while a run is going asks for one more round. Never throws; the tick tries again.
     */
    archiveSoon(budgetMs = UPDATE_ARCHIVE_MS): Promise<ArchiveRun | undefined> {
      if (files === undefined) return Promise.resolve(undefined);
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        const deadline = clock.now() + budgetMs;
        const total: ArchiveRun = { archived: 0, unavailable: 0, retried: 0 };
        do {
          again = false;
          if (!(await anyArchiveDue(db, clock.now()))) continue;
          const run = await runDue({ budgetMs: Math.max(0, deadline - clock.now()) });
          total.archived += run.archived;
          total.unavailable += run.unavailable;
          total.retried += run.retried;
        } while (again && clock.now() < deadline);
        return total;
      })()
        .catch((err: unknown) => {
          log.error("archive run failed; the next tick tries again", { err });
          return { archived: 0, unavailable: 0, retried: 0 };
        })
        .finally(() => {
          running = undefined;
        });
      return running;
    },

    /** Resolves once no background run of this process is going (tests, and a clean shutdown). */
    async settle(): Promise<void> {
      while (running) await running;
    },

    /**
     * What to send in place of a Telegram file id that stopped working: the archived copy's
     * hash and a file name (by kind, never anything about who sent it), or null.
     */
    async archivedCopy(fileId: string): Promise<{ sha256: string; filename: string } | null> {
      if (files === undefined) return null;
      const row = await archivedByFileId(db, fileId);
      if (row?.sha256 == null) return null;
      return { sha256: row.sha256, filename: `${row.kind}.${row.ext ?? "bin"}` };
    },

    /**
     * A picture uploaded on the web (no Telegram file behind it): checked by its first bytes,
     * stored in the archive at once, and named for the case by its hash (src/domain/media.ts).
     * The storage's own failure is thrown: the caller answers "try again", nothing is stored half.
     */
    async keepPicture(
      bytes: Uint8Array<ArrayBuffer>,
    ): Promise<{ ok: true; item: MediaItem } | { ok: false; problem: "upload-too-large" | "upload-wrong-type" | "upload-off" }> {
      if (files === undefined) return { ok: false, problem: "upload-off" };
      if (bytes.length > MAX_UPLOAD_BYTES) return { ok: false, problem: "upload-too-large" };
      const ext = pictureTypeOf(bytes);
      if (ext === null) return { ok: false, problem: "upload-wrong-type" };
      const sha256 = await sha256HexOfBytes(bytes);
      if (!(await files.has(sha256))) await files.put(sha256, bytes, contentTypeOf(ext));
      return { ok: true, item: archiveMedia("photo", sha256, ext, bytes.length) };
    },

    /** The archived bytes of a hash, or null. */
    read: (sha256: string): Promise<Uint8Array | null> => (files ? files.get(sha256) : Promise.resolve(null)),

    async health(): Promise<ArchiveHealth> {
      if (files === undefined) return { state: "off", pending: await archiveBacklog(db) };
      const [pending, failure] = await Promise.all([archiveBacklog(db), kv.get(STORAGE_ERROR_KEY).catch(() => null)]);
      if (failure === null) return { state: "ok", pending };
      return { state: "failing", pending, error: (JSON.parse(failure) as { error?: string }).error };
    },
  };
}

export type ArchiveService = ReturnType<typeof archiveService>;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
