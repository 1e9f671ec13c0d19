/** What the command-line scripts share: how a bad invocation and a failure end, and how the database is opened. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { ArchiveLocation } from "../db/backup";
import { createDb, type Db } from "../db/client";
import type { S3Bucket } from "../db/file-store-s3";
import { openClient } from "../db/node-client";
import { DEFAULT_ARCHIVE_DIR, DEFAULT_DATABASE_URL } from "../src/config";

/** A mistake in how the script was called: the message, then the usage, exit code 2. */
export class UsageError extends Error {}

/**
 * Runs `main` with the arguments and sets the exit code: its result; 2 with the usage for a
 * UsageError or an argument node:util's parseArgs refused; 1 with the message for anything else.
 */
export async function runCli(name: string, usage: string, main: (args: string[]) => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${name}: ${(error as Error).message}\n${usage}`);
      process.exitCode = 2;
    } else {
      console.error(`${name}: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  }
}

/**
 * Opens the database the environment names (DATABASE_URL, DATABASE_AUTH_TOKEN; a file's folder
 * is made), migrates it, runs `work` with it and where it is (without credentials), closes it.
 */
export async function withDb(work: (db: Db, where: string) => Promise<number>): Promise<number> {
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (url.startsWith("file:")) mkdirSync(dirname(url.slice("file:".length)), { recursive: true });
  const client = openClient(url, process.env.DATABASE_AUTH_TOKEN || undefined);
  try {
    const db = createDb(client);
    await migrate(db, { migrationsFolder: fileURLToPath(new URL("../db/migrations", import.meta.url)) });
    // Credentials in the URL stay out of the output.
    return await work(db, url.replace(/\/\/[^@/]*@/, "//"));
  } finally {
    client.close();
  }
}

/** A path the operator typed, resolved where they typed it: npm runs scripts from the package root, and says where it was run (INIT_CWD). */
export const operatorPath = (path = ".") => resolve(process.env.INIT_CWD || process.cwd(), path);

/** Writes each file into `dir` (made if need be), saying where and how big. */
export function writeFilesInto(dir: string, files: readonly { filename: string; bytes: Uint8Array }[]): void {
  mkdirSync(dir, { recursive: true });
  for (const file of files) {
    const path = join(dir, file.filename);
    writeFileSync(path, file.bytes);
    console.log(`Wrote ${path} (${file.bytes.length} bytes)`);
  }
}

/** The bucket wrangler.toml binds as ARCHIVE, and the README's deploy steps create. */
export const DEFAULT_R2_BUCKET = "hazardline-archive";

/**
 * A Workers office's R2 bucket, when R2_ENDPOINT names its S3 API
 * (https://<ACCOUNT_ID>.r2.cloudflarestorage.com): then R2_ACCESS_KEY_ID and
 * R2_SECRET_ACCESS_KEY (an R2 API token) are needed too, and R2_BUCKET may name another bucket
 * than wrangler.toml's. Undefined when R2_ENDPOINT is not set.
 */
export function bucketFromEnv(env: NodeJS.ProcessEnv = process.env): S3Bucket | undefined {
  const endpoint = env.R2_ENDPOINT;
  if (!endpoint) return undefined;
  if (!/^https?:\/\//.test(endpoint)) throw new UsageError(`R2_ENDPOINT must be the bucket's S3 address, https://…: ${JSON.stringify(endpoint)}`);
  const unset = ["R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY"].filter((name) => !env[name]);
  if (unset.length > 0) throw new UsageError(`R2_ENDPOINT is set, so ${unset.join(" and ")} must be too (an R2 API token's keys)`);
  return {
    endpoint,
    bucket: env.R2_BUCKET || DEFAULT_R2_BUCKET,
    accessKeyId: env.R2_ACCESS_KEY_ID!,
    secretAccessKey: env.R2_SECRET_ACCESS_KEY!,
  };
}

/** The evidence archive the environment names: the R2 bucket when R2_ENDPOINT is set, else the folder ARCHIVE_DIR. */
export function archiveFromEnv(env: NodeJS.ProcessEnv = process.env): ArchiveLocation {
  const bucket = bucketFromEnv(env);
  return bucket ? { bucket } : { dir: resolve(env.ARCHIVE_DIR || DEFAULT_ARCHIVE_DIR) };
}
