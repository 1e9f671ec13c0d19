/**
 * How the Node side (the server, the scripts, the tests) opens its database: `@libsql/client`
 * on a local file or a remote URL. The Worker opens `@libsql/client/web` itself and never
 * imports this module.
 *
 * A local file gets a busy timeout, so that a write waits while another process on the same
 * file writes instead of failing at once. A remote server (sqld, Turso) makes a write wait
 * there too, in one of its connections, and refuses some at once (busy-retry.ts sends those
 * again). Either way this process's writes take turns here first (serialized-writes.ts): on
 * a file because the busy wait blocks the thread; on a server because, with every write of
 * two busy servers sent at once, writes on sqld stood still for tens of seconds (updates ran
 * past the webhook's 25 s) and stopped doing so once each process sent one at a time: most
 * likely the waiting writers held the server's connections while the transaction holding
 * the write lock waited behind them for its next statement, until the server took the lock
 * away after 5 s. How many processes a file supports, and what to use beyond it, is in the
 * README (Set-up).
 */
import { type Client, createClient } from "@libsql/client";
import { retryBusy } from "./busy-retry";
import { serializeWrites } from "./serialized-writes";

/** How long a write waits for another process's write to finish before it fails as busy. */
export const BUSY_TIMEOUT_MS = 5_000;

export function openClient(url: string, authToken?: string): Client {
  if (!url.startsWith("file:")) return retryBusy(serializeWrites(createClient({ url, authToken })));
  return serializeWrites(createClient({ url, authToken, timeout: BUSY_TIMEOUT_MS }));
}
