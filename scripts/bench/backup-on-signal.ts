/**
 * A preload for the backup benchmark (`node --import tsx --import
 * ./scripts/bench/backup-on-signal.ts dist/node.mjs`): on SIGUSR2 the server process takes a
 * backup as the nightly backup does (src/node.ts: db/backup-process.ts's takeBackupInChild, a
 * child process forked with the server's flags), of its own DATABASE_URL and ARCHIVE_DIR into
 * BENCH_BACKUP_DIR, and prints how long it took, without waiting for BACKUP_TIME's minute. The
 * app itself is not changed. Each backup's line is `bench backup N taken in MS ms` or
 * `bench backup N failed: …` (read by backup.ts). The child inherits this preload too: it only
 * listens for a signal nobody sends it.
 */
import { fileURLToPath } from "node:url";
import { takeBackupInChild } from "../../db/backup-process";

const migrationsFolder = fileURLToPath(new URL("../../db/migrations", import.meta.url));
let count = 0;

process.on("SIGUSR2", () => {
  const n = ++count;
  const t0 = performance.now();
  takeBackupInChild({
    url: process.env.DATABASE_URL ?? "",
    archive: { dir: process.env.ARCHIVE_DIR ?? "" },
    dir: process.env.BENCH_BACKUP_DIR ?? "",
    migrationsFolder,
  }).then(
    () => console.log(`bench backup ${n} taken in ${Math.round(performance.now() - t0)} ms`),
    (err: unknown) => console.log(`bench backup ${n} failed: ${String(err)}`),
  );
});
