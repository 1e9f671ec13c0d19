/**
 * A preload for the nightly-backup test (test/e2e/backup.test.ts): given to the server with
 * `--import`, it is inherited by the backup's child process (db/backup-process.ts forks with the
 * server's flags) and, there only, stands for a long SQLite snapshot: it writes `held` into
 * HAZARDLINE_TEST_HOLD_BACKUP and blocks that process's thread synchronously, as `VACUUM INTO`
 * does, until the test writes `release` beside it. In the server's own process it does nothing.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.HAZARDLINE_TEST_HOLD_BACKUP;
if (dir && /backup-child\.(ts|mjs)$/.test(process.argv[1] ?? "")) {
  writeFileSync(join(dir, "held"), String(process.pid));
  const nap = new Int32Array(new SharedArrayBuffer(4));
  // Bounded, so that a failed test leaves no process behind for long.
  const giveUpAt = Date.now() + 120_000;
  while (!existsSync(join(dir, "release")) && Date.now() < giveUpAt) Atomics.wait(nap, 0, 0, 20);
}
