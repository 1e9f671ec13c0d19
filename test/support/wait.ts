/** Waiting for a condition in tests that drive real processes: never for a fixed time, always within a bounded one. */
import type { Update } from "grammy/types";
import { PROCESSING_LEASE_MS } from "../../src/bot/update-guard";
import type { Harness } from "./harness";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, limitMs = 90_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${limitMs} ms`);
    await sleep(100);
  }
}

/** Posts an update as Telegram redelivers one: again, a little later each time, until it is answered 200. */
export async function redeliver(h: Pick<Harness, "post">, update: Update, limitMs = PROCESSING_LEASE_MS + 15_000): Promise<number[]> {
  const statuses: number[] = [];
  const deadline = Date.now() + limitMs;
  for (let tries = 0; ; tries++) {
    const status = await h.post(update).then(
      (r) => r.status,
      () => 0,
    );
    statuses.push(status);
    if (status === 200 || Date.now() > deadline) return statuses;
    await sleep(Math.min(1_000, 100 * 2 ** tries));
  }
}
