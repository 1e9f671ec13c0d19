/**
 * How the Node side (the server, the scripts, the tests) opens its database: `@libsql/client`
 * on a local file or a remote URL. The Worker opens `@libsql/client/web` itself and never
 * imports this module.
 *
 * A local file gets a busy timeout, so that a write waits while another process on the same
 * file writes instead of failing at once, and its writes take turns within this process
 * (see serialized-writes.ts for why both are needed). A remote server (sqld, Turso) refuses
 * a write at once instead of waiting, so there the refused write is sent again (busy-retry.ts). How many processes that supports, and
 * what to use beyond it, is in the README (Quick start).
 */
import { type Client, createClient } from "@libsql/client";
import { retryBusy } from "./busy-retry";
import { serializeWrites } from "./serialized-writes";

/** How long a write waits for another process's write to finish before it fails as busy. */
export const BUSY_TIMEOUT_MS = 5_000;

export function openClient(url: string, authToken?: string): Client {
  if (!url.startsWith("file:")) return retryBusy(createClient({ url, authToken }));
  return serializeWrites(createClient({ url, authToken, timeout: BUSY_TIMEOUT_MS }));
}
