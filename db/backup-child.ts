/**
 * The child process of db/backup-process.ts: receives takeBackup's options over IPC, takes the
 * backup, sends back its path and manifest (or the error's message), and exits. If the server
 * goes away meanwhile (its IPC channel closes), the backup is given up, as it was when it ran in
 * the server's process: a server stopped for a restore leaves no process reading the database.
 */
import { takeBackup } from "./backup";
import type { ChildBackupOptions, ChildBackupResult } from "./backup-process";

const reply = (result: ChildBackupResult) =>
  new Promise<void>((done) => {
    if (!process.send) return done();
    process.send(result, () => done());
  });

process.once("disconnect", () => process.exit(1));
process.once("message", (opts) => {
  takeBackup(opts as ChildBackupOptions)
    .then(
      ({ path, manifest }) => reply({ ok: true, path, manifest }),
      (err: unknown) =>
        reply(err instanceof Error ? { ok: false, name: err.name, message: err.message } : { ok: false, name: "Error", message: String(err) }),
    )
    .finally(() => process.exit(0));
});
