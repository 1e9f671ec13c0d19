/**
 * The seeded database the benchmarks serve from: scripts/seed-load.ts's county with N cases,
 * made once per `npm run bench` and per size (the sections that need it share it), in a
 * temporary folder removed when the process exits. Servers get copies, never this file.
 *
 * It describes the present (`now` is the moment it is made), with no reminder due: the
 * servers run on the real clock and tick every minute, and a database of another day would
 * have every reminder since then fall due at the first tick, so that the webhook runs would
 * measure the reminders and their messages going out instead.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SeedSummary, seedLoad } from "../seed-load";

export interface LoadDatabase {
  /** A path, not a URL. */
  file: string;
  summary: SeedSummary;
}

const made = new Map<number, Promise<LoadDatabase>>();
let dir: string | undefined;

export function loadDatabase(cases: number): Promise<LoadDatabase> {
  let database = made.get(cases);
  if (database === undefined) {
    if (dir === undefined) {
      const folder = mkdtempSync(join(tmpdir(), "hazardline-load-"));
      dir = folder;
      process.once("exit", () => rmSync(folder, { recursive: true, force: true }));
    }
    const file = join(dir, `load-${cases}.db`);
    database = seedLoad({ url: `file:${file}`, cases, now: Date.now(), dueReminders: 0 }).then((summary) => ({ file, summary }));
    made.set(cases, database);
  }
  return database;
}
