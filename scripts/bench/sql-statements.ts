/**
 * A preload for the webhook benchmark's profiled server (`node --import tsx --import
 * ./scripts/bench/sql-statements.ts dist/node.mjs`): counts every SQL statement the server
 * runs through libSQL, with the time spent in it on the event loop (SQLite's own work and
 * any fsync at commit), by statement text. SIGUSR2 starts the count afresh (after the
 * warm-up); at exit the counts are written as JSON to BENCH_SQL_STATS. The app is not
 * changed; the counting adds a microsecond or two per statement.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";

type Method = (...args: unknown[]) => unknown;
interface Statement {
  run: Method;
  all: Method;
  get: Method;
}
interface DatabaseClass {
  prototype: { prepare(this: object, sql: string): Statement };
}

export interface SqlStat {
  sql: string;
  count: number;
  ms: number;
}

const Database = createRequire(import.meta.url)("libsql") as DatabaseClass;
const prepare = Database.prototype.prepare;
let stats = new Map<string, { count: number; ns: bigint }>();

function record(sql: string, since: bigint): void {
  const took = process.hrtime.bigint() - since;
  let entry = stats.get(sql);
  if (entry === undefined) {
    entry = { count: 0, ns: 0n };
    stats.set(sql, entry);
  }
  entry.count++;
  entry.ns += took;
}

Database.prototype.prepare = function countedPrepare(this: object, sql: string): Statement {
  const started = process.hrtime.bigint();
  const statement = prepare.call(this, sql);
  record("(prepare)", started);
  for (const name of ["run", "all", "get"] as const) {
    const method = statement[name].bind(statement);
    statement[name] = (...args: unknown[]) => {
      const at = process.hrtime.bigint();
      try {
        return method(...args);
      } finally {
        record(sql, at);
      }
    };
  }
  return statement;
};

process.on("SIGUSR2", () => {
  stats = new Map();
});
process.on("exit", () => {
  const file = process.env.BENCH_SQL_STATS;
  if (!file) return;
  const merged = new Map<string, SqlStat>();
  for (const [raw, s] of stats) {
    const sql = raw.replace(/\s+/g, " ").trim();
    const entry = merged.get(sql) ?? { sql, count: 0, ms: 0 };
    entry.count += s.count;
    entry.ms += Number(s.ns) / 1e6;
    merged.set(sql, entry);
  }
  const out = [...merged.values()];
  writeFileSync(file, JSON.stringify(out));
});
