/** Waiting for a condition in tests that drive real processes: never for a fixed time, always within a bounded one. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, limitMs = 90_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${limitMs} ms`);
    await sleep(100);
  }
}
