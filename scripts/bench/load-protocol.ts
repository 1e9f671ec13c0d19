/**
 * What the benchmark process and the load driver (load-driver.ts, a child process) say to
 * each other over IPC, and the driver's constants: kept apart from load-driver.ts, which
 * starts listening to its parent as soon as it is loaded.
 */
import type { LoadFixtures, RunTally } from "./update-stream";

/** Telegram's default max_connections for a webhook. */
export const WEBHOOK_CONNECTIONS = 40;

export type LoadMode = { kind: "paced"; rate: number; seconds: number } | { kind: "flat"; seconds: number; connections?: number };

export interface LoadResult {
  mode: LoadMode;
  /** Requests answered, by HTTP status. */
  statuses: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
  ok: number;
  elapsedMs: number;
  /** Acknowledgement latencies (until the HTTP response), ms. */
  p50: number;
  p99: number;
  max: number;
  /** Paced runs: how far behind its schedule the sender fell at worst, ms. */
  senderLagMs?: number;
  tally: RunTally;
}

export type DriverRequest =
  | { op: "target"; name: string; fixtures: LoadFixtures }
  | { op: "run"; name: string; url: string; secret: string; mode: LoadMode }
  | { op: "exit" };

export type DriverReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
