/**
 * The Cloudflare Workers entry: `fetch` is the Hono app (the Telegram webhook and /healthz),
 * `scheduled` is tick(now) on the cron trigger. Storage is Turso (libSQL over HTTP) and, when
 * configured, Upstash Redis; without Upstash the hot state lives in the same database.
 * One Hazardline is built per isolate from its env and reused across requests.
 */
import { createClient } from "@libsql/client/web";
import { Redis } from "@upstash/redis/cloudflare";
import type { ExecutionContext } from "hono";
import { retryBusy } from "../db/busy-retry";
import { type R2BucketLike, r2FileStore } from "../db/file-store-r2";
import { upstashHotState } from "../db/hot-state-upstash";
import { type Config, ConfigError, createConfig } from "./config";
import { type AssetsBinding, pageFromAssets } from "./console/serve-page";
import { createHazardline, type Hazardline } from "./hazardline";
import { consoleLogger as log } from "./log";

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
  // Turso refuses a write as busy while another isolate writes: sent again rather than answered 500.
  // No client-side queue (`concurrency`, 20 by default): the client is shared by every request
  // the isolate serves, and its queue starts a waiting statement from the request whose
  // statement just finished. In workerd that is the other request's I/O, cancelled when that
  // request ends, and the waiting update hung until grammY's 25 s timeout (the soak in
  // `npm run bench`, and test/workers/worker.test.ts). Workers itself bounds each request's
  // open connections, in that request's own context.
  const client = retryBusy(createClient({ url: config.database.url, authToken: config.database.authToken, concurrency: Number.MAX_SAFE_INTEGER }));
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
    // Auto-pipelining (on by default) batches concurrent requests' commands into one fetch,
    // which every request in the batch awaits, so none ends before it: forty at once pass in
    // test/workers/worker.test.ts.
    hotState: config.redis ? upstashHotState(new Redis({ ...config.redis, automaticDeserialization: false })) : undefined,
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
