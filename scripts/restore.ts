/**
 * npm run restore -- BACKUP [--force]
 *
 * Restores a backup folder made by `npm run backup` into the database and archive this
 * environment names (DATABASE_URL, a file or a libSQL server; ARCHIVE_DIR, or the R2 bucket
 * R2_ENDPOINT names; the server's defaults), after checking
 * every byte of it against its manifest; migrates an older backup to the current schema.
 * Refuses a database that already holds cases unless --force. Stop the server first.
 * Needs no BOT_TOKEN.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { restoreBackup } from "../db/backup";
import { DEFAULT_DATABASE_URL } from "../src/config";
import { archiveFromEnv, operatorPath, runCli, UsageError } from "./cli";
import { progressLine } from "./progress";

const USAGE = `Usage:
  npm run restore -- BACKUP [--force]
BACKUP is a folder npm run backup wrote (DIR/hazardline-…). It is checked in full first;
then its files go into ARCHIVE_DIR (or, with R2_ENDPOINT, R2_ACCESS_KEY_ID and
R2_SECRET_ACCESS_KEY, into the R2 bucket R2_BUCKET or hazardline-archive) and its database,
migrated to this version's schema, replaces DATABASE_URL (a file, or a libSQL server or Turso
with DATABASE_AUTH_TOKEN). A database that holds cases is replaced only with --force.
Stop the server (or the worker) before restoring.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { force: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(positionals.length === 0 ? "the backup folder is needed" : `unexpected ${positionals.slice(1).join(" ")}`);
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const archive = archiveFromEnv();
  const progress = progressLine();
  const restored = await restoreBackup({
    backup: operatorPath(positionals[0]!),
    url,
    authToken: process.env.DATABASE_AUTH_TOKEN || undefined,
    // A remote database's files are in its R2 bucket: a local ARCHIVE_DIR is not where its server looks.
    archive: "dir" in archive && !url.startsWith("file:") ? null : archive,
    force: values.force,
    migrationsFolder: fileURLToPath(new URL("../db/migrations", import.meta.url)),
    progress: progress.update,
  }).finally(progress.done);
  const from = restored.manifest.schema.migration;
  const files =
    restored.filesCopied === null
      ? `; the ${restored.manifest.files.length} files were not uploaded: set R2_ENDPOINT, R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY to restore them into the R2 bucket`
      : ` and ${restored.filesCopied} of ${restored.manifest.files.length} files into ${restored.archive}`;
  console.log(
    `Restored ${restored.cases} cases into ${restored.database}${files}; schema ${from ?? "unknown"}${restored.migration === from ? "" : ` migrated to ${restored.migration}`}. Backup taken ${restored.manifest.createdAt}.`,
  );
  return 0;
}

await runCli("restore", USAGE, main);
