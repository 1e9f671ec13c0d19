/** Time as a dependency, so services and tests agree on "now" (ms since the epoch). */
export interface Clock {
  now(): number;
  /**
   * Waits; the outbox uses it to keep Telegram's pace. A clock without it (a test's frozen
   * clock) cannot wait, so whoever would wait does one pass instead.
   */
  sleep?(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
