/**
 * A preload for one experiment of the webhook benchmark (`node --import tsx --import
 * ./scripts/bench/sqlite-normal-sync.ts dist/node.mjs`): every libSQL connection the server
 * opens runs `PRAGMA synchronous=NORMAL` before its first statement. In WAL mode that
 * stops the fsync of the log at every commit (it syncs at checkpoints instead): a power cut
 * may lose the last commits, an application crash loses nothing. Hazardline runs on
 * SQLite's default (FULL), and commits several times per update (hot state is in the same
 * file), so the difference is what those fsyncs cost. The app itself is not changed.
 */
import { createRequire } from "node:module";

interface Statement {
  run(...args: unknown[]): unknown;
}
interface DatabaseClass {
  prototype: { prepare(this: object, sql: string): Statement };
}

const Database = createRequire(import.meta.url)("libsql") as DatabaseClass;
const prepare = Database.prototype.prepare;
const done = new WeakSet<object>();

Database.prototype.prepare = function prepareAfterPragma(this: object, sql: string): Statement {
  if (!done.has(this)) {
    done.add(this);
    prepare.call(this, "PRAGMA synchronous=NORMAL").run();
  }
  return prepare.call(this, sql);
};
