/**
 * The Node entry: one self-hosted server on the embedded default (a libSQL file, no other
 * service). Reads process.env, migrates the database, serves the Hono app, ticks every
 * minute with croner, and takes updates by long polling, or by webhook when PUBLIC_URL is set.
 * Without BOT_TOKEN it starts local mode instead: the playground (src/local/mode.ts).
 * With BACKUP_DIR set, it also takes the nightly backup (db/backup.ts: Node-only, so wired
 * here and not in the shared tick), in a child process so the server keeps answering.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { Redis } from "@upstash/redis";
import { Cron } from "croner";
import { migrate } from "drizzle-orm/libsql/migrator";
import { pruneBackups } from "../db/backup";
import { takeBackupInChild } from "../db/backup-process";
import { preferWal } from "../db/client";
import { fsFileStore } from "../db/file-store-fs";
import { fileHotState, hotStatePath } from "../db/hot-state-file";
import { upstashHotState } from "../db/hot-state-upstash";
import { openClient } from "../db/node-client";
import { ALLOWED_UPDATES } from "./bot";
import { type Config, ConfigError, createConfig } from "./config";
import { PAGE_FILES, type PageFile, pageFromMemory } from "./console/serve-page";
import { createHazardline, type Hazardline } from "./hazardline";
import { readCast } from "./local/cast";
import { createBotApi, createLocalMode, LOCAL_BOT_INFO, LOCAL_TOKEN, MovableClock } from "./local/mode";
import { consoleLogger as log } from "./log";
import { type Clock, systemClock } from "./services/clock";
import { nightlyBackupService } from "./services/nightly-backup";
import { setCommands, setWebhook } from "./services/telegram-setup";

/**
 * A file of the repository by its path from the root. This module runs as src/node.ts (tests,
 * tsx) and compiled as dist/node.mjs (`npm start`, scripts/build-server.ts): both one folder
 * below the root.
 */
const fromRoot = (path: string) => new URL(`../${path}`, import.meta.url);

export const MIGRATIONS_FOLDER = fileURLToPath(fromRoot("db/migrations"));

function loadConfig(env: Record<string, unknown>) {
  try {
    return createConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`Hazardline cannot start: ${err.problems.join("; ")} (see README.md, Configuration)`);
    process.exit(1);
  }
}

/** The console's page (src/console/page: plain files, no build step), read once at start. */
function readConsolePage() {
  const read = (file: PageFile) => readFileSync(fromRoot(`src/console/page/${file}`), "utf8");
  return pageFromMemory(Object.fromEntries(PAGE_FILES.map((file) => [file, read(file)])) as Record<PageFile, string>);
}

/** Opens the database and the archive the config names, migrated, with the app on them. */
async function open(config: Config, clock?: Clock) {
  if (config.database.url.startsWith("file:")) {
    mkdirSync(dirname(config.database.url.slice("file:".length)), { recursive: true });
  }
  const client = openClient(config.database.url, config.database.authToken);
  await preferWal(client, config.database.url);
  const archiveDir = resolve(config.archiveDir);
  mkdirSync(archiveDir, { recursive: true });
  const hazardline = createHazardline({
    config,
    client,
    log,
    clock,
    files: fsFileStore(archiveDir),
    consolePage: readConsolePage(),
    hotState: hotStateFor(config, clock),
  });
  await migrate(hazardline.db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { client, hazardline, archiveDir };
}

/**
 * Upstash when the config names it; else, on a database file, the hot file beside it
 * (db/hot-state-file.ts); else (a database server) the server's kv table, which every
 * process on it shares (createHazardline's default).
 */
function hotStateFor(config: Config, clock: Clock | undefined) {
  if (config.redis) return upstashHotState(new Redis({ ...config.redis, automaticDeserialization: false }));
  if (!config.database.url.startsWith("file:")) return undefined;
  const databasePath = config.database.url.slice("file:".length);
  return fileHotState(hotStatePath(databasePath), { now: () => (clock ?? systemClock).now(), takeOverFrom: databasePath });
}

/**
 * A case stored just before the last process died may be neither routed nor announced yet:
 * finish it now rather than at the first tick (a minute away).
 */
async function finishPendingIntake(hazardline: Hazardline) {
  try {
    const finished = await hazardline.services.intake.finishPending();
    if (finished > 0) {
      log.info("finished the intake of cases stored before a restart", { cases: finished });
      void hazardline.services.outbox.drainSoon();
    }
  } catch (err) {
    log.error("intake after restart failed; the next tick tries again", { err });
  }
}

/** The tick, as croner runs it in the office's zone (every minute unless TICK_SECONDS says); a failure waits for the next. */
function everyTick(config: Config, tick: () => Promise<unknown>) {
  const pattern = config.tickSeconds === 60 ? "* * * * *" : `*/${config.tickSeconds} * * * * *`;
  return new Cron(pattern, { timezone: config.officeTz, protect: true }, async () => {
    try {
      await tick();
    } catch (err) {
      log.error("tick failed", { err });
    }
  });
}

function onSignals(stop: (signal: string) => Promise<void>) {
  let stopping = false;
  const once = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("Hazardline stopping", { signal });
    void stop(signal).then(() => process.exit(0));
  };
  process.on("SIGINT", () => once("SIGINT"));
  process.on("SIGTERM", () => once("SIGTERM"));
}

async function main() {
  // No token: nobody's Telegram bot to run, so run the playground instead.
  if (!process.env.BOT_TOKEN) return startLocalMode();
  const config = loadConfig(process.env);
  const { client, hazardline, archiveDir } = await open(config);

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
  await finishPendingIntake(hazardline);

  const server = serve({ fetch: app.fetch, port: config.port });
  const cron = everyTick(config, () => tick(Date.now()));

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

  onSignals(async () => {
    cron.stop();
    backups?.stop();
    if (bot.isRunning()) await bot.stop();
    server.close();
    client.close();
  });
}

/**
 * Local mode (no BOT_TOKEN): the same app and services on their own embedded database
 * (LOCAL_DIR, default ./data: local.db and local-files/, apart from an office's
 * hazardline.db), with the Bot API stand-in in place of Telegram and the playground page, on
 * one port bound to 127.0.0.1 unless HOST says otherwise. See src/local/mode.ts.
 */
async function startLocalMode() {
  const host = process.env.HOST || "127.0.0.1";
  const dir = resolve(process.env.LOCAL_DIR || "./data");
  const read = (path: string) => readFileSync(fromRoot(path), "utf8");
  const cast = readCast(read("examples/directory.yaml"), read("examples/playground.yaml"));
  const page = { html: read("src/local/page/index.html"), script: read("src/local/page/play.js"), style: read("src/local/page/play.css") };
  const webhookSecret = randomBytes(24).toString("hex");
  const config = loadConfig({
    ...process.env,
    BOT_TOKEN: LOCAL_TOKEN,
    BOT_INFO: JSON.stringify(LOCAL_BOT_INFO),
    WEBHOOK_SECRET: webhookSecret,
    PUBLIC_URL: "",
    DATABASE_URL: `file:${join(dir, "local.db")}`,
    DATABASE_AUTH_TOKEN: "",
    ARCHIVE_DIR: join(dir, "local-files"),
    UPSTASH_REDIS_REST_URL: "",
    UPSTASH_REDIS_REST_TOKEN: "",
    // Nobody's real Telegram limits to keep here: answers come as fast as a person clicks.
    SEND_RATE_PRIVATE: process.env.SEND_RATE_PRIVATE || "20",
    SEND_RATE_GROUP: process.env.SEND_RATE_GROUP || "1200",
  });

  let handle: (request: Request) => Response | Promise<Response> = () => new Response("starting", { status: 503 });
  const server = serve({ fetch: (request) => handle(request), port: config.port, hostname: host });
  await new Promise<void>((ready, fail) => {
    server.once("listening", ready);
    server.once("error", fail);
  });
  const { port } = server.address() as AddressInfo;
  const loopback = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const address = `http://${loopback === "127.0.0.1" && host === "127.0.0.1" ? "localhost" : loopback}:${port}/`;
  const clock = new MovableClock();
  // The console at its own address, so the playground's staff can sign in with /web (a
  // browser takes the Secure cookie on http://localhost); over http, no Mini App buttons.
  // The public site (the posters' report form) is this same server.
  const { client, hazardline } = await open(
    { ...config, apiRoot: `http://${loopback}:${port}`, consoleUrl: `${address}console`, siteUrl: address.slice(0, -1) },
    clock,
  );
  const local = createLocalMode({
    hazardline,
    botApi: createBotApi(),
    client,
    clock,
    cast,
    page,
    webhookSecret,
    officeTz: config.officeTz,
    digestTime: config.digestTime,
  });
  await local.load();
  handle = local.app.fetch;
  await hazardline.bot.init();
  await setCommands(hazardline.bot.api).catch((err) => log.warn("setMyCommands failed", { err }));
  await finishPendingIntake(hazardline);
  const cron = everyTick(config, local.tick);

  console.log(`Hazardline local mode: open ${address} (no BOT_TOKEN, so no Telegram: a playground on ${join(dir, "local.db")})`);
  log.info("Hazardline started", {
    mode: "local",
    host,
    port,
    database: join(dir, "local.db"),
    listening: host === "127.0.0.1" ? "this computer only" : host,
  });

  onSignals(async () => {
    cron.stop();
    server.close();
    client.close();
  });
}

/**
 * The nightly backup, when BACKUP_DIR is set: checked every minute on its own croner job, so
 * that a long backup never holds up the tick; claimed once a night in the database; taken in a
 * child process, so that neither the tick nor the webhook waits for SQLite's snapshot.
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
      // In a child process (db/backup-process.ts): SQLite's snapshot would stop this event loop.
      const { path, manifest } = await takeBackupInChild({
        ...config.database,
        archive: { dir: archiveDir },
        dir,
        migrationsFolder: MIGRATIONS_FOLDER,
        now,
      });
      if (manifest.missing.length > 0) log.error("backup: archived files missing from the archive", { path, missing: manifest.missing });
      return path;
    },
    prune: (retention) => pruneBackups(dir, settings.keep, retention),
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
