/**
 * npm run backup -- DIR
 *
 * Takes one backup of the database (DATABASE_URL, with DATABASE_AUTH_TOKEN for Turso) and of
 * the evidence archive's files (ARCHIVE_DIR; for a Workers office, the R2 bucket R2_ENDPOINT
 * and its keys name) into a new dated folder inside DIR, while the server keeps running; see
 * db/backup.ts. Needs no BOT_TOKEN.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { takeBackup } from "../db/backup";
import { DEFAULT_DATABASE_URL } from "../src/config";
import { archiveFromEnv, operatorPath, runCli, UsageError } from "./cli";
import { progressLine } from "./progress";

const USAGE = `Usage:
  npm run backup -- DIR
Writes DIR/hazardline-YYYY-MM-DDTHHMMSSZ/ with the database (DATABASE_URL), the archived
files (ARCHIVE_DIR, or with R2_ENDPOINT, R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY the
Workers office's R2 bucket, R2_BUCKET or hazardline-archive) and manifest.json. DIR must exist. Files unchanged since the newest
backup in DIR are hard-linked from it.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: "boolean", short: "h" } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(positionals.length === 0 ? "the folder to back up into is needed" : `unexpected ${positionals.slice(1).join(" ")}`);
  // npm runs scripts from the package root; a folder the operator typed is relative to where they typed it.
  const dir = operatorPath(positionals[0]!);
  const archive = archiveFromEnv();
  const progress = progressLine();
  const { path, manifest } = await takeBackup({
    url: process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    authToken: process.env.DATABASE_AUTH_TOKEN || undefined,
    archive,
    dir,
    migrationsFolder: fileURLToPath(new URL("../db/migrations", import.meta.url)),
    progress: progress.update,
  }).finally(progress.done);
  console.log(
    `Backed up ${manifest.tables.cases ?? 0} cases and ${manifest.files.length} files (schema ${manifest.schema.migration ?? "unknown"}) into ${path}`,
  );
  if (manifest.missing.length > 0) {
    for (const m of manifest.missing) console.error(`backup: archived file ${m.sha256} is not in the backup: ${m.why}`);
    console.error(`backup: the backup is complete but for these ${manifest.missing.length} files, which the archive lacks`);
    return 1;
  }
  return 0;
}

await runCli("backup", USAGE, main);
