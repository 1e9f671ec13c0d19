/**
 * The Cloudflare Workers entry: `fetch` is the Hono app (the Telegram webhook and /healthz),
 * `scheduled` is tick(now) on the cron trigger. Storage is Turso (libSQL over HTTP) and, when
 * configured, Upstash Redis; without Upstash the hot state lives in the same database.
 * One Hazardline is built per isolate from its env and reused across requests.
 */
import type { ExecutionContext } from "hono";
import { type R2BucketLike, r2FileStore } from "../db/file-store-r2";
import { type Config, ConfigError, createConfig } from "./config";
import { type AssetsBinding, pageFromAssets } from "./console/serve-page";
import { createHazardline, type Hazardline } from "./hazardline";
import { consoleLogger as log } from "./log";
import { openWorkersClient, workersHotState } from "./workers-storage";

// The Workers types this file uses beyond Hono's ExecutionContext, declared here rather than pulling in
// @cloudflare/workers-types, whose globals clash with the Node types the rest compiles with.
type Env = Record<string, unknown>;
interface ScheduledController {
  readonly scheduledTime: number;
  readonly cron: string;
}

interface Instance {
  hazardline: Hazardline;
  /** bot.init() once per isolate when BOT_INFO is not configured. */
  ready: Promise<void>;
}

let instance: Instance | undefined;

function checkWorkersConfig(config: Config): void {
  const problems: string[] = [];
  if (config.webhookSecret === undefined) problems.push("WEBHOOK_SECRET is required on Workers (webhook mode)");
  if (config.database.url.startsWith("file:")) {
    problems.push("DATABASE_URL must be a libsql:// or https:// URL on Workers (a Turso database)");
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

function hazardlineFor(env: Env): Instance {
  if (instance !== undefined) return instance;
  const config = createConfig(env);
  checkWorkersConfig(config);
  const client = openWorkersClient(config.database);
  // The evidence archive's R2 bucket (wrangler.toml [[r2_buckets]]); without it files are queued, not archived.
  const bucket = env.ARCHIVE as R2BucketLike | undefined;
  if (bucket === undefined) log.warn("no ARCHIVE R2 binding: files are queued for the evidence archive but not archived");
  // The console's page, uploaded with the Worker as static assets (wrangler.toml [assets]).
  const assets = env.ASSETS as AssetsBinding | undefined;
  const hazardline = createHazardline({
    config,
    client,
    log,
    consolePage: assets ? pageFromAssets(assets) : undefined,
    files: bucket ? r2FileStore(bucket) : undefined,
    hotState: config.redis ? workersHotState(config.redis) : undefined,
  });
  if (config.botInfo === undefined) {
    log.warn("BOT_INFO is not set: calling getMe once per isolate; set it to skip the call");
  }
  const ready = hazardline.bot.init().catch((err: unknown) => {
    instance = undefined; // try again on the next request
    throw err;
  });
  instance = { hazardline, ready };
  return instance;
}

function misconfigured(err: unknown): Response {
  const detail = err instanceof ConfigError ? err.problems.join("; ") : String(err);
  log.error("Hazardline is misconfigured", { detail });
  return new Response(JSON.stringify({ ok: false, error: "misconfigured" }), {
    status: 500,
    headers: { "content-type": "application/json" },
  });
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    let current: Instance;
    try {
      current = hazardlineFor(env);
      await current.ready;
    } catch (err) {
      return misconfigured(err);
    }
    return current.hazardline.app.fetch(request, env, ctx);
  },

  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const { hazardline } = hazardlineFor(env);
    ctx.waitUntil(
      hazardline.tick(controller.scheduledTime).catch((err: unknown) => {
        log.error("tick failed", { err, cron: controller.cron });
        throw err; // a failed scheduled event shows as such in Cloudflare's dashboard
      }),
    );
  },
};
