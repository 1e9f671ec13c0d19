/**
 * npx tsx scripts/bench/backup-stall.ts [CASES]
 *
 * How long a backup stops the event loop of the process that asks for it: takeBackup called
 * in this process (as the nightly backup was taken before issue 21) against takeBackupInChild
 * (db/backup-process.ts, as src/node.ts takes it now), on the seeded county (100,000 cases by
 * default; scripts/seed-load.ts), twice each. The longest stall barely depends on what else
 * shares the machine, unlike the webhook's p99 in backup.ts, so it shows the difference on a
 * busy one too. A 10 ms timer stands for the webhook: how often it fired during the backup.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { takeBackup } from "../../db/backup";
import { takeBackupInChild } from "../../db/backup-process";
import { loadDatabase } from "./load-database";

const cases = Number(process.argv[2] ?? 100000);
const seeded = await loadDatabase(cases);
const migrationsFolder = fileURLToPath(new URL("../../db/migrations", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "stall-"));
async function measure(name: string, take: typeof takeBackup) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  h.enable();
  const t0 = performance.now();
  const { path } = await take({ url: `file:${seeded.file}`, archive: { dir: work }, dir: work, migrationsFolder });
  const ms = performance.now() - t0;
  h.disable();
  clearInterval(timer);
  rmSync(path, { recursive: true, force: true });
  console.log(
    `${name}: backup ${Math.round(ms)} ms; event loop's longest stall ${Math.round(h.max / 1e6)} ms, p99 ${Math.round(h.percentile(99) / 1e6)} ms; a 10 ms timer fired ${ticks} times`,
  );
}
for (let i = 0; i < 2; i++) {
  await measure("in this process", takeBackup);
  await measure("in a child process", takeBackupInChild);
}
rmSync(work, { recursive: true, force: true });
process.exit(0);
