/**
 * The Node entry: one self-hosted server on the embedded default (a libSQL file, no other
 * service). Reads process.env, migrates the database, serves the Hono app, ticks every
 * minute with croner, and takes updates by long polling, or by webhook when PUBLIC_URL is set.
 * With BACKUP_DIR set, it also takes the nightly backup (db/backup.ts: Node-only, so wired
 * here and not in the shared tick).
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { Redis } from "@upstash/redis";
import { Cron } from "croner";
import { migrate } from "drizzle-orm/libsql/migrator";
import { pruneBackups, takeBackup } from "../db/backup";
import { preferWal } from "../db/client";
import { fsFileStore } from "../db/file-store-fs";
import { upstashHotState } from "../db/hot-state-upstash";
import { openClient } from "../db/node-client";
import { ALLOWED_UPDATES } from "./bot";
import { type Config, ConfigError, createConfig } from "./config";
import { createHazardline, type Hazardline } from "./hazardline";
import { consoleLogger as log } from "./log";
import { nightlyBackupService } from "./services/nightly-backup";
import { setCommands, setWebhook } from "./services/telegram-setup";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../db/migrations", import.meta.url));

function loadConfig() {
  try {
    return createConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`Hazardline cannot start: ${err.problems.join("; ")} (see README.md, Configuration)`);
    process.exit(1);
  }
}

async function main() {
  const config = loadConfig();

  if (config.database.url.startsWith("file:")) {
    mkdirSync(dirname(config.database.url.slice("file:".length)), { recursive: true });
  }
  const client = openClient(config.database.url, config.database.authToken);
  const archiveDir = resolve(config.archiveDir);
  mkdirSync(archiveDir, { recursive: true });
  const hazardline = createHazardline({
    config,
    client,
    log,
    files: fsFileStore(archiveDir),
    hotState: config.redis ? upstashHotState(new Redis({ ...config.redis, automaticDeserialization: false })) : undefined,
  });
  await preferWal(client, config.database.url);
  await migrate(hazardline.db, { migrationsFolder: MIGRATIONS_FOLDER });

  const { bot, app, tick } = hazardline;
  // getMe, unless BOT_INFO gave it. grammY retries a network failure quietly until Telegram
  // answers, so say what it is waiting for rather than sit silent.
  const waiting = setInterval(
    () => log.warn("still waiting for Telegram to answer getMe", { apiRoot: config.apiRoot ?? "https://api.telegram.org" }),
    10_000,
  );
  try {
    await bot.init();
  } finally {
    clearInterval(waiting);
  }
  await setCommands(bot.api).catch((err) => log.warn("setMyCommands failed", { err }));
  // A case stored just before the last process died may be neither routed nor announced yet:
  // finish it now rather than at the first tick (a minute away).
  try {
    const finished = await hazardline.services.intake.finishPending();
    if (finished > 0) {
      log.info("finished the intake of cases stored before a restart", { cases: finished });
      void hazardline.services.outbox.drainSoon();
    }
  } catch (err) {
    log.error("intake after restart failed; the next tick tries again", { err });
  }

  const server = serve({ fetch: app.fetch, port: config.port });
  const cron = new Cron("* * * * *", { timezone: config.officeTz, protect: true }, async () => {
    try {
      await tick(Date.now());
    } catch (err) {
      log.error("tick failed", { err });
    }
  });

  const backups = nightlyBackups(config, hazardline, archiveDir);

  if (config.bot.mode === "webhook") {
    await setWebhook(bot.api, config.bot.webhookUrl, config.bot.secret);
    log.info("Hazardline started", { mode: "webhook", url: config.bot.webhookUrl, port: config.port, bot: bot.botInfo.username });
  } else {
    // bot.start() drops any webhook first; it resolves only when polling stops.
    void bot.start({
      allowed_updates: [...ALLOWED_UPDATES],
      onStart: (me) => log.info("Hazardline started", { mode: "polling", port: config.port, bot: me.username }),
    });
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("Hazardline stopping", { signal });
    cron.stop();
    backups?.stop();
    if (bot.isRunning()) await bot.stop();
    server.close();
    client.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

/**
 * The nightly backup, when BACKUP_DIR is set: checked every minute on its own croner job, so
 * that a long backup never holds up the tick; claimed once a night in the database.
 */
function nightlyBackups(config: Config, hazardline: Hazardline, archiveDir: string): Cron | undefined {
  const settings = config.backup;
  if (settings === undefined) return undefined;
  const dir = resolve(settings.dir);
  const nightly = nightlyBackupService({
    db: hazardline.db,
    log,
    officeTz: config.officeTz,
    time: settings.time,
    async take(now) {
      const { path, manifest } = await takeBackup({ ...config.database, archiveDir, dir, migrationsFolder: MIGRATIONS_FOLDER, now });
      if (manifest.missing.length > 0) log.error("backup: archived files missing from the archive", { path, missing: manifest.missing });
      const pruned = await pruneBackups(dir, settings.keep);
      if (pruned.length > 0) log.info("backup: old backups removed", { pruned });
      return path;
    },
  });
  log.info("nightly backup on", { dir, at: settings.time.map((n) => String(n).padStart(2, "0")).join(":"), keep: settings.keep });
  const check = async () => {
    try {
      if ((await nightly.runDue(Date.now())) === "failed") void hazardline.services.outbox.drainSoon();
    } catch (err) {
      log.error("nightly backup check failed; tried again in a minute", { err });
    }
  };
  // At start too: a server started after the backup time takes that night's backup now.
  const job = new Cron("* * * * *", { timezone: config.officeTz, protect: true }, check);
  void job.trigger();
  return job;
}

main().catch((err) => {
  log.error("Hazardline failed to start", { err });
  process.exit(1);
});
