/**
 * A backup taken in a child process, for the Node server's nightly backup (src/node.ts).
 *
 * libSQL's client runs each statement synchronously on the calling thread, so `VACUUM INTO`
 * and the integrity check of a large database (seconds at 100k cases) would stop the server's
 * event loop: no webhook answered, no tick, until they return. In a child the server only
 * waits for a message, as it does beside `npm run backup`.
 *
 * Why `child_process.fork` and not a worker_thread: a child is exactly what `npm run backup`
 * already is (another process reading the same file in WAL mode, measured in
 * docs/benchmarks.md); it loads the libSQL native addon in a fresh process rather than a second
 * time in the server's (a crash or out-of-memory in SQLite ends the backup, not the server);
 * and it runs the same TypeScript through the same loader by inheriting the server's Node flags
 * (`node --import tsx src/node.ts`), without relying on how tsx's module hooks reach worker
 * threads. Node-only: imported by src/node.ts and the benchmark, never by what Workers bundle.
 */
import { fork } from "node:child_process";
import type { BackupManifest, TakeBackupOptions } from "./backup";

/** What the child is asked to back up: takeBackup's options, less the progress callback. */
export type ChildBackupOptions = Omit<TakeBackupOptions, "progress">;

/** The one message the child sends back. */
export type ChildBackupResult = { ok: true; path: string; manifest: BackupManifest } | { ok: false; name: string; message: string };

/**
 * Compiled (`npm start` runs dist/node.mjs, which bundles this module), the child is the
 * compiled dist/backup-child.mjs beside it; from source (tsx: the tests, the scripts), it is
 * backup-child.ts beside this file.
 */
const COMPILED = import.meta.url.endsWith(".mjs");
const CHILD = new URL(COMPILED ? "./backup-child.mjs" : "./backup-child.ts", import.meta.url);

/**
 * The server's own flags (fork's default), so the child loads its entry the same way; a
 * process running from source without tsx's loader (the tsx command, say) gets it added,
 * since the child is then TypeScript.
 */
function childFlags(): string[] {
  if (COMPILED || process.execArgv.some((flag) => flag.includes("tsx"))) return process.execArgv;
  return [...process.execArgv, "--import", "tsx"];
}

/**
 * Takes one backup (db/backup.ts's takeBackup) in a child process and returns what it
 * returned; a failure comes back as an Error with the child's message (a BackupError's says
 * what to do). The options, the database token included, go over the IPC channel, not the
 * command line, where `ps` would show them.
 */
export function takeBackupInChild(opts: ChildBackupOptions): Promise<{ path: string; manifest: BackupManifest }> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], { execArgv: childFlags(), stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result: ChildBackupResult | undefined;
    child.once("message", (message) => {
      result = message as ChildBackupResult;
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (result?.ok) resolve({ path: result.path, manifest: result.manifest });
      else if (result) reject(Object.assign(new Error(result.message), { name: result.name }));
      else reject(new Error(`the backup process ended (${signal ?? `exit code ${code}`}) before it finished; its output is in the server's log`));
    });
    child.send(opts);
  });
}
