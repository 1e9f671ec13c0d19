/**
 * Structured logging: one JSON line per event on the console, which both Node and Workers
 * (Workers Logs / `wrangler tail`) collect. Errors are flattened with their cause chain.
 */
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

function describe(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) return value;
  const out: LogFields = { name: value.name, message: value.message };
  const code = (value as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (value.cause !== undefined && depth < 4) out.cause = describe(value.cause, depth + 1);
  // grammY's BotError keeps what the middleware threw as `error`, not as a cause.
  const inner = (value as { error?: unknown }).error;
  if (inner instanceof Error && out.cause === undefined && depth < 4) out.cause = describe(inner, depth + 1);
  return out;
}

function line(level: string, msg: string, fields?: LogFields): string {
  const entry: LogFields = { level, msg, time: new Date().toISOString() };
  for (const [k, v] of Object.entries(fields ?? {})) entry[k] = describe(v);
  return JSON.stringify(entry);
}

export const consoleLogger: Logger = {
  info: (msg, fields) => console.log(line("info", msg, fields)),
  warn: (msg, fields) => console.warn(line("warn", msg, fields)),
  error: (msg, fields) => console.error(line("error", msg, fields)),
};

/** A logger that keeps entries in memory; tests read what was logged. */
export function memoryLogger(): Logger & { entries: Array<{ level: string; msg: string } & LogFields> } {
  const entries: Array<{ level: string; msg: string } & LogFields> = [];
  const push = (level: string) => (msg: string, fields?: LogFields) => entries.push({ ...fields, level, msg });
  return { entries, info: push("info"), warn: push("warn"), error: push("error") };
}
