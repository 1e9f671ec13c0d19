/**
 * How a Worker reaches its storage: Turso (libSQL over HTTP) and, when configured, Upstash.
 * Apart from src/worker.ts so that the bench can open the same clients on Node (a Worker's
 * main module may export only its handlers).
 */
import { type Client, createClient } from "@libsql/client/web";
import { Redis } from "@upstash/redis/cloudflare";
import { retryBusy } from "../db/busy-retry";
import { upstashHotState } from "../db/hot-state-upstash";
import type { Config } from "./config";
import type { HotState } from "./services/hot-state";

/**
 * The database client as a Worker opens it. `fetch` is for the bench, which counts the
 * round trips through it (scripts/bench/round-trips.ts).
 */
export function openWorkersClient(database: Config["database"], fetch?: typeof globalThis.fetch): Client {
  // Turso refuses a write as busy while another isolate writes: sent again rather than answered 500.
  // No client-side queue (`concurrency`, 20 by default): the client is shared by every request
  // the isolate serves, and its queue starts a waiting statement from the request whose
  // statement just finished. In workerd that is the other request's I/O, cancelled when that
  // request ends, and the waiting update hung until grammY's 25 s timeout (the soak in
  // `npm run bench`, and test/workers/worker.test.ts). Workers itself bounds each request's
  // open connections, in that request's own context.
  return retryBusy(
    createClient({ url: database.url, authToken: database.authToken, concurrency: Number.MAX_SAFE_INTEGER, ...(fetch ? { fetch } : {}) }),
  );
}

/** Hot state on Upstash as a Worker reaches it. */
export function workersHotState(redis: NonNullable<Config["redis"]>): HotState {
  // Auto-pipelining (on by default) batches concurrent requests' commands into one fetch,
  // which every request in the batch awaits, so none ends before it: forty at once pass in
  // test/workers/worker.test.ts.
  return upstashHotState(new Redis({ ...redis, automaticDeserialization: false }));
}
