/**
 * Backups of the office's records, and their restore: the database and the evidence archive's
 * files, in one dated folder with a manifest that says what it holds and their SHA-256s.
 *
 * - The database is a consistent snapshot taken while the server keeps answering: SQLite's
 *   `VACUUM INTO` for a local file (a read transaction: writers in WAL mode go on), or, for a
 *   libSQL server or Turso, every table read inside one read transaction and written into a
 *   fresh local SQLite file.
 * - The archive's files are those the snapshot names (`archive_files.sha256`), read from the
 *   Node server's folder or, for a Workers office, from its R2 bucket through the S3 API: the
 *   same bytes are named by their hash, so a file already in the previous backup in the same
 *   folder is hard-linked from it rather than copied again; a new one is copied and its hash
 *   checked.
 * - The folder is written as `NAME.partial` and renamed only once the manifest is written, so
 *   no half-written backup looks complete; on failure the partial folder is removed.
 *
 * A restore checks the whole backup (every hash) before it writes anything, refuses a target
 * that holds cases unless forced, copies the files into the archive, then writes the database
 * next to the target, migrates it to the current schema and renames it into place; for a
 * libSQL server or Turso, it replays the migrated copy there instead (its files go to the
 * R2 bucket when one is named).
 *
 * Node-only (node:fs): imported by src/node.ts and the scripts, never by what Workers bundle.
 */
import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { access, constants, copyFile, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { type Client, createClient, type InStatement, type InValue } from "@libsql/client";
import { migrate } from "drizzle-orm/libsql/migrator";
import { type BackupKeep, type BackupRetention, backupName, backupsToPrune, backupTakenAt } from "../src/domain/backups";
import { isSha256Hex } from "../src/domain/hash";
import type { FileStore } from "../src/services/file-store";
import { createDb } from "./client";
import { archivePath, fsFileStore } from "./file-store-fs";
import { type S3Bucket, s3FileStore } from "./file-store-s3";
import { BUSY_TIMEOUT_MS } from "./node-client";

export const BACKUP_FORMAT = "hazardline-backup";
export const BACKUP_VERSION = 1;
const DB_FILE = "hazardline.db";
const FILES_DIR = "files";
const MANIFEST = "manifest.json";

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  createdAt: string;
  /** The last drizzle migration applied to the snapshot (its tag in db/migrations), and when it was made. */
  schema: { migration: string | null; createdAt: number | null };
  database: { file: string; sha256: string; bytes: number };
  /** Rows per table, counted in the snapshot itself. */
  tables: Record<string, number>;
  /** Every archived file in the backup, under files/ab/abcdef… (its name is its SHA-256). */
  files: Array<{ sha256: string; bytes: number }>;
  /** Files the snapshot names that the archive did not have (or had damaged): not in the backup. */
  missing: Array<{ sha256: string; why: string }>;
}

/** A backup or restore that cannot be done, said so an operator knows what to do. */
export class BackupError extends Error {
  override name = "BackupError";
}

export type Progress = (line: string) => void;

/**
 * Where the evidence archive's files are: the Node server's folder (ARCHIVE_DIR), or a
 * Workers office's R2 bucket through its S3 API. Plain data, so that the nightly backup's
 * child process receives it over IPC.
 */
export type ArchiveLocation = { dir: string } | { bucket: S3Bucket };

const archiveStore = (at: ArchiveLocation): FileStore => ("dir" in at ? fsFileStore(resolve(at.dir)) : s3FileStore(at.bucket));

const codeOf = (err: unknown) => (err as { code?: unknown } | null)?.code;
const isMissing = (err: unknown) => codeOf(err) === "ENOENT";
const fileOf = (sha256: string) => archivePath(FILES_DIR, sha256);
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** SHA-256 and size of a file, read as a stream (archive files may be large). */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/** A full disk, from node:fs or from SQLite, said plainly; anything else as it was. */
function explain(err: unknown, where: string): Error {
  if (err instanceof BackupError) return err;
  const text = err instanceof Error ? err.message : String(err);
  if (codeOf(err) === "ENOSPC" || /SQLITE_FULL|disk is full/i.test(text)) {
    return new BackupError(`the disk holding ${where} is full (ENOSPC): free some space, or back up to another disk`, { cause: err });
  }
  if (codeOf(err) === "EACCES" || codeOf(err) === "EPERM" || codeOf(err) === "EROFS") {
    return new BackupError(`${where} cannot be written (${String(codeOf(err))}): ${text}`, { cause: err });
  }
  return err instanceof Error ? err : new Error(text);
}

const filePathOf = (url: string) => resolve(url.slice("file:".length).replace(/\?.*$/, ""));

// ── Taking a backup ───────────────────────────────────────────────────────────────────────

/** Objects of a database that are its own (not SQLite's, libSQL's or a replicator's), in the order they were made. */
const OWN_OBJECTS =
  "select type, name, sql from sqlite_master where sql is not null and name not like 'sqlite_%' and name not like 'libsql_%' and name not like '_litestream%' order by rowid";

/**
 * Copies every table's schema and rows from `read` (one read transaction: one snapshot) into
 * an empty database through `write`, which runs a batch with foreign keys off (libSQL's
 * `migrate`): the tables go in one by one, a child's rows possibly before its parent's.
 * `first` statements (dropping what the target held) go in the first batch.
 */
async function copyDatabase(
  read: Pick<Client, "execute">,
  write: (stmts: InStatement[]) => Promise<unknown>,
  first: InStatement[] = [],
): Promise<void> {
  const { rows: objects } = await read.execute(OWN_OBJECTS);
  const tables = objects.filter((o) => o.type === "table");
  await write([...first, ...tables.map((o) => String(o.sql))]);
  const hasSequence = (await read.execute("select 1 from sqlite_master where name = 'sqlite_sequence'")).rows.length > 0;
  for (const table of [...tables.map((o) => String(o.name)), ...(hasSequence ? ["sqlite_sequence"] : [])]) {
    // The inserts above counted their own AUTOINCREMENT sequences: the source's replace them.
    const clear: InStatement[] = table === "sqlite_sequence" ? ["delete from sqlite_sequence"] : [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await read.execute({ sql: `select * from ${quote(table)} limit ${PAGE} offset ?`, args: [offset] });
      const columns = page.columns.map(quote).join(", ");
      const marks = page.columns.map(() => "?").join(", ");
      const inserts = page.rows.map((row) => ({
        sql: `insert into ${quote(table)} (${columns}) values (${marks})`,
        args: page.columns.map((_, i) => row[i] as InValue),
      }));
      if (clear.length + inserts.length > 0) await write([...clear.splice(0), ...inserts]);
      if (page.rows.length < PAGE) break;
    }
  }
  // Indexes, views and triggers after the rows: faster, and triggers do not fire on the copy.
  const rest = objects.filter((o) => o.type !== "table").map((o) => String(o.sql));
  if (rest.length > 0) await write(rest);
}
const PAGE = 500;

/** Copies the database into a new local SQLite file at `path`, consistently, while it is in use. */
async function snapshotDatabase(url: string, authToken: string | undefined, path: string): Promise<void> {
  // On a file, the server's processes write beside it: a moment's lock (a checkpoint) is waited out, as they do.
  const source = createClient({ url, authToken, ...(url.startsWith("file:") ? { timeout: BUSY_TIMEOUT_MS } : {}) });
  try {
    if (url.startsWith("file:")) {
      await source.execute({ sql: "VACUUM INTO ?", args: [path] });
      return;
    }
    // A libSQL server or Turso: VACUUM INTO would write on the server's disk, so read every
    // table inside one read transaction (one snapshot) and write it here.
    const tx = await source.transaction("read");
    const target = createClient({ url: `file:${path}` });
    try {
      await copyDatabase(tx, (stmts) => target.migrate(stmts));
    } finally {
      tx.close();
      target.close();
    }
  } finally {
    source.close();
  }
}

/** The tag of the last migration applied to a database (from drizzle's table and the journal). */
async function schemaVersion(client: Client, migrationsFolder: string): Promise<BackupManifest["schema"]> {
  const { rows } = await client
    .execute(
      "select created_at from __drizzle_migrations where (select count(*) from sqlite_master where name = '__drizzle_migrations') > 0 order by created_at desc limit 1",
    )
    .catch(() => ({ rows: [] }));
  const createdAt = rows[0]?.created_at == null ? null : Number(rows[0].created_at);
  if (createdAt === null) return { migration: null, createdAt: null };
  const journal = JSON.parse(await readFile(join(migrationsFolder, "meta/_journal.json"), "utf8")) as {
    entries: Array<{ tag: string; when: number }>;
  };
  return { migration: journal.entries.find((e) => e.when === createdAt)?.tag ?? null, createdAt };
}

async function tableCounts(client: Client): Promise<Record<string, number>> {
  const { rows } = await client.execute("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name");
  const counts: Record<string, number> = {};
  for (const { name } of rows) {
    const { rows: n } = await client.execute(`select count(*) as n from ${quote(String(name))}`);
    counts[String(name)] = Number(n[0]?.n ?? 0);
  }
  return counts;
}

/** The complete backups in a folder, newest first. */
async function backupsIn(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((err: unknown) => (isMissing(err) ? [] : Promise.reject(err)));
  return names.filter((n) => backupTakenAt(n) !== null).sort((a, b) => (backupTakenAt(b) ?? 0) - (backupTakenAt(a) ?? 0));
}

async function checkFolder(dir: string): Promise<void> {
  const info = await stat(dir).catch((err: unknown) => {
    if (isMissing(err)) throw new BackupError(`${dir} does not exist: make it (a folder on another disk is best), then run the backup again`);
    throw err;
  });
  if (!info.isDirectory()) throw new BackupError(`${dir} is not a folder`);
  await access(dir, constants.W_OK).catch(() => {
    throw new BackupError(`${dir} cannot be written by this user`);
  });
}

export interface TakeBackupOptions {
  /** The database to back up, as DATABASE_URL names it, and its token for Turso. */
  url: string;
  authToken?: string;
  /** Where the evidence archive's files are read from. */
  archive: ArchiveLocation;
  /** The folder that holds the dated backups. */
  dir: string;
  migrationsFolder: string;
  now?: number;
  progress?: Progress;
}

/** Takes one backup into a new dated folder inside `dir`; returns its path and manifest. */
export async function takeBackup(opts: TakeBackupOptions): Promise<{ path: string; manifest: BackupManifest }> {
  const dir = resolve(opts.dir);
  const progress = opts.progress ?? (() => undefined);
  await checkFolder(dir);
  // Opening a file that is not there would make an empty database and back that up.
  if (
    opts.url.startsWith("file:") &&
    !(await stat(filePathOf(opts.url)).then(
      (s) => s.isFile(),
      () => false,
    ))
  ) {
    throw new BackupError(`there is no database at ${filePathOf(opts.url)}: set DATABASE_URL to the server's`);
  }
  const now = opts.now ?? Date.now();
  const final = join(dir, backupName(now));
  const partial = `${final}.partial`;
  if (
    await stat(final).then(
      () => true,
      () => false,
    )
  )
    throw new BackupError(`${final} already exists: a backup was taken this second`);
  const [previous] = await backupsIn(dir);
  try {
    await mkdir(join(partial, FILES_DIR), { recursive: true });
    const dbPath = join(partial, DB_FILE);
    progress("database: taking a snapshot");
    await snapshotDatabase(opts.url, opts.authToken, dbPath);

    const snapshot = createClient({ url: `file:${dbPath}` });
    let schema: BackupManifest["schema"];
    let tables: Record<string, number>;
    let wanted: string[];
    try {
      const integrity = await snapshot.execute("PRAGMA integrity_check");
      if (integrity.rows[0]?.[0] !== "ok") throw new BackupError(`the snapshot fails SQLite's integrity check: ${String(integrity.rows[0]?.[0])}`);
      schema = await schemaVersion(snapshot, opts.migrationsFolder);
      tables = await tableCounts(snapshot);
      wanted =
        "archive_files" in tables
          ? (await snapshot.execute("select distinct sha256 from archive_files where sha256 is not null order by sha256")).rows.map((r) =>
              String(r.sha256),
            )
          : [];
    } finally {
      snapshot.close();
    }

    const archive = archiveStore(opts.archive);
    const files: BackupManifest["files"] = [];
    const missing: BackupManifest["missing"] = [];
    for (const [i, sha256] of wanted.entries()) {
      if (i % 50 === 0) progress(`files: ${i}/${wanted.length}`);
      if (!isSha256Hex(sha256)) {
        missing.push({ sha256, why: "not a SHA-256" });
        continue;
      }
      const to = join(partial, fileOf(sha256));
      await mkdir(dirname(to), { recursive: true });
      // Unchanged since the last backup: the same bytes under the same name, linked, not copied.
      if (previous !== undefined) {
        const linked = await link(join(dir, previous, fileOf(sha256)), to).then(
          () => true,
          () => false,
        );
        if (linked) {
          files.push({ sha256, bytes: (await stat(to)).size });
          continue;
        }
      }
      const bytes = await archive.get(sha256);
      if (bytes === null) {
        missing.push({ sha256, why: `not in the archive at ${archive.where}` });
        continue;
      }
      const actual = createHash("sha256").update(bytes).digest("hex");
      if (actual !== sha256) {
        missing.push({ sha256, why: `damaged in the archive: its bytes hash to ${actual}` });
        continue;
      }
      await writeFile(to, bytes);
      files.push({ sha256, bytes: bytes.length });
    }
    progress(`files: ${wanted.length}/${wanted.length}`);

    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date(now).toISOString(),
      schema,
      database: { file: DB_FILE, ...(await hashFile(dbPath)) },
      tables,
      files,
      missing,
    };
    await writeFile(join(partial, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(partial, final);
    return { path: final, manifest };
  } catch (err) {
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    throw explain(err, dir);
  }
}

/**
 * Deletes the dated backups in `dir` the keep rule lets go, and with `retention` those past
 * the reporter-identity period (see backupsToPrune); returns their names.
 */
export async function pruneBackups(dir: string, keep: BackupKeep, retention?: BackupRetention): Promise<string[]> {
  const gone = backupsToPrune(await backupsIn(dir), keep, retention);
  for (const name of gone) await rm(join(dir, name), { recursive: true, force: true });
  return gone;
}

// ── Checking and restoring ────────────────────────────────────────────────────────────────

/** Reads a backup's manifest and checks every byte it names; throws a BackupError listing what is wrong. */
export async function verifyBackup(path: string, progress: Progress = () => undefined): Promise<BackupManifest> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(join(path, MANIFEST), "utf8")) as BackupManifest;
  } catch (err) {
    throw new BackupError(
      isMissing(err)
        ? `${path} has no ${MANIFEST}: it is not a backup, or not a complete one`
        : `${path}/${MANIFEST} cannot be read: ${(err as Error).message}`,
    );
  }
  if (manifest?.format !== BACKUP_FORMAT || manifest.version !== BACKUP_VERSION || !manifest.database || !Array.isArray(manifest.files)) {
    throw new BackupError(`${path}/${MANIFEST} is not a Hazardline backup manifest of version ${BACKUP_VERSION}`);
  }
  const problems: string[] = [];
  const check = async (relative: string, expected: { sha256: string; bytes: number }) => {
    const actual = await hashFile(join(path, relative)).catch((err: unknown) => (isMissing(err) ? null : Promise.reject(err)));
    if (actual === null) problems.push(`${relative} is missing`);
    else if (actual.bytes !== expected.bytes) problems.push(`${relative} has ${actual.bytes} bytes, not ${expected.bytes}`);
    else if (actual.sha256 !== expected.sha256) problems.push(`${relative} has changed: its SHA-256 is ${actual.sha256}, not ${expected.sha256}`);
  };
  progress("checking the database");
  await check(manifest.database.file, manifest.database);
  for (const [i, file] of manifest.files.entries()) {
    if (i % 50 === 0) progress(`checking files: ${i}/${manifest.files.length}`);
    if (!isSha256Hex(file.sha256)) problems.push(`the manifest names a file ${JSON.stringify(file.sha256)}, which is not a SHA-256`);
    else await check(fileOf(file.sha256), file);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).map((p) => `  - ${p}`);
    if (problems.length > 10) shown.push(`  - and ${problems.length - 10} more`);
    throw new BackupError(`${path} is damaged or incomplete; nothing was restored:\n${shown.join("\n")}`);
  }
  return manifest;
}

export interface RestoreOptions {
  backup: string;
  /** The target, as DATABASE_URL names it: a file, or a libSQL server or Turso (with its token). */
  url: string;
  authToken?: string;
  /** Where the files go; null to leave them (a remote database whose bucket is not named). */
  archive: ArchiveLocation | null;
  force?: boolean;
  migrationsFolder: string;
  progress?: Progress;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Where the database was written (a path, or the remote URL without credentials). */
  database: string;
  cases: number;
  /** Files copied into the archive (those it already had are left as they are); null when no archive was named. */
  filesCopied: number | null;
  /** Where the files went (a folder, or the bucket's address); null when no archive was named. */
  archive: string | null;
  /** The schema after the restore's migration. */
  migration: string | null;
}

async function casesIn(client: Pick<Client, "execute">): Promise<number> {
  const { rows } = await client.execute("select count(*) as n from sqlite_master where type = 'table' and name = 'cases'");
  if (Number(rows[0]?.n) === 0) return 0;
  return Number((await client.execute("select count(*) as n from cases")).rows[0]?.n ?? 0);
}

const withoutCredentials = (url: string) => url.replace(/\/\/[^@/]*@/, "//");

/** Restores a checked backup into the database and archive named; see the module's comment for the order. */
export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const progress = opts.progress ?? (() => undefined);
  const backup = resolve(opts.backup);
  const manifest = await verifyBackup(backup, progress);
  const remote = opts.url.startsWith("file:") ? null : createClient({ url: opts.url, authToken: opts.authToken });
  try {
    const target = remote ? withoutCredentials(opts.url) : filePathOf(opts.url);
    let held = 0;
    if (remote) held = await casesIn(remote);
    else if (
      await stat(target).then(
        () => true,
        () => false,
      )
    ) {
      const current = createClient({ url: `file:${target}` });
      held = await casesIn(current).finally(() => current.close());
    }
    if (held > 0 && !opts.force) {
      throw new BackupError(
        `${target} already holds ${held} case${held === 1 ? "" : "s"}: stop the server, and add --force to replace them with the backup's; nothing was restored`,
      );
    }

    // The files first: once the database is in place, every file it names is there.
    const archive = opts.archive === null ? null : archiveStore(opts.archive);
    const filesCopied = archive === null ? null : await restoreFiles(backup, manifest, archive, progress);

    progress("database");
    // The backup's database is migrated in a copy (beside a file target, so the rename is
    // atomic) before it replaces anything: an older backup is brought to the current schema.
    const temporary = remote ? join(tmpdir(), `hazardline-restore-${randomUUID()}.db`) : `${target}.restore-${randomUUID()}`;
    try {
      await mkdir(dirname(temporary), { recursive: true });
      await copyFile(join(backup, manifest.database.file), temporary);
      const client = createClient({ url: `file:${temporary}` });
      let result: { cases: number; migration: string | null };
      try {
        await migrate(createDb(client), { migrationsFolder: opts.migrationsFolder });
        await client.execute("PRAGMA journal_mode=DELETE");
        result = { cases: await casesIn(client), migration: (await schemaVersion(client, opts.migrationsFolder)).migration };
        if (remote) await replaceRemote(client, remote);
      } finally {
        client.close();
      }
      if (!remote) {
        // The old database's write-ahead log must not be replayed onto the restored file.
        await rm(`${target}-wal`, { force: true });
        await rm(`${target}-shm`, { force: true });
        await rename(temporary, target);
      }
      return { manifest, database: target, filesCopied, archive: archive?.where ?? null, ...result };
    } catch (err) {
      throw explain(err, remote ? target : dirname(target));
    } finally {
      await rm(temporary, { force: true }).catch(() => undefined);
      await rm(`${temporary}-journal`, { force: true }).catch(() => undefined);
    }
  } finally {
    remote?.close();
  }
}

async function restoreFiles(backup: string, manifest: BackupManifest, store: FileStore, progress: Progress): Promise<number> {
  let copied = 0;
  try {
    for (const [i, file] of manifest.files.entries()) {
      if (i % 50 === 0) progress(`files: ${i}/${manifest.files.length}`);
      if (await store.has(file.sha256)) continue;
      await store.put(file.sha256, await readFile(join(backup, fileOf(file.sha256))));
      copied++;
    }
  } catch (err) {
    throw explain(err, store.where);
  }
  return copied;
}

/**
 * Replaces everything a libSQL server or Turso database holds with the migrated backup: its
 * tables dropped (newest first) in the same batch that creates the backup's, then the rows a
 * batch at a time. Not one transaction (a database may not fit one request): a restore cut
 * off halfway leaves the database partly written, to be restored again.
 */
async function replaceRemote(from: Client, to: Client): Promise<void> {
  const { rows } = await to.execute(OWN_OBJECTS);
  const drops = rows
    .filter((o) => o.type === "table" || o.type === "view")
    .reverse()
    .map((o) => `drop ${o.type === "view" ? "view" : "table"} if exists ${quote(String(o.name))}`);
  await copyDatabase(from, (stmts) => to.migrate(stmts), drops);
}
