/**
 * npm run restore -- BACKUP [--force]
 *
 * Restores a backup folder made by `npm run backup` into the database and archive this
 * environment names (DATABASE_URL, a file or a libSQL server; ARCHIVE_DIR; the server's defaults), after checking
 * every byte of it against its manifest; migrates an older backup to the current schema.
 * Refuses a database that already holds cases unless --force. Stop the server first.
 * Needs no BOT_TOKEN.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { restoreBackup } from "../db/backup";
import { DEFAULT_ARCHIVE_DIR, DEFAULT_DATABASE_URL } from "../src/config";
import { operatorPath, runCli, UsageError } from "./cli";
import { progressLine } from "./progress";

const USAGE = `Usage:
  npm run restore -- BACKUP [--force]
BACKUP is a folder npm run backup wrote (DIR/hazardline-…). It is checked in full first;
then its files go into ARCHIVE_DIR and its database, migrated to this version's schema,
replaces DATABASE_URL (a file, or a libSQL server or Turso with DATABASE_AUTH_TOKEN; their
files are not uploaded to R2). A database that holds cases is replaced only with --force.
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
  const progress = progressLine();
  const restored = await restoreBackup({
    backup: operatorPath(positionals[0]!),
    url: process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    authToken: process.env.DATABASE_AUTH_TOKEN || undefined,
    archiveDir: process.env.ARCHIVE_DIR || DEFAULT_ARCHIVE_DIR,
    force: values.force,
    migrationsFolder: fileURLToPath(new URL("../db/migrations", import.meta.url)),
    progress: progress.update,
  }).finally(progress.done);
  const from = restored.manifest.schema.migration;
  const files =
    restored.filesCopied === null
      ? `; the ${restored.manifest.files.length} files were not uploaded: copy FOLDER/files/ab/HASH to the R2 bucket as sha256/HASH`
      : ` and ${restored.filesCopied} of ${restored.manifest.files.length} files into the archive`;
  console.log(
    `Restored ${restored.cases} cases into ${restored.database}${files}; schema ${from ?? "unknown"}${restored.migration === from ? "" : ` migrated to ${restored.migration}`}. Backup taken ${restored.manifest.createdAt}.`,
  );
  return 0;
}

await runCli("restore", USAGE, main);
