/** Child processes for tests that run the real entry points, and free loopback ports. */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serverArgs } from "../../scripts/build-server";
import { type FakeBotApi, TEST_TOKEN } from "./fake-bot-api";

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Running {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

export function run(command: string, args: string[], opts: { cwd?: string; env: Record<string, string> }): Running {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    output: () => output,
    exited,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async waitForOutput(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ${pattern}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

/** The environment a child starts from: PATH and HOME only, so the host's settings do not leak in. */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...extra };
}

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Runs `scripts/NAME` through tsx, as `npm run` does, from `cwd` with exactly this environment (and PATH, HOME). */
export function runScript(name: string, opts: { cwd: string; env: Record<string, string>; args?: string[] }): Running {
  return run(join(root, "node_modules/.bin/tsx"), [join(root, "scripts", name), ...(opts.args ?? [])], { cwd: opts.cwd, env: cleanEnv(opts.env) });
}

/**
 * Starts the Node server as `npm start` runs it, compiled (dist/node.mjs, built once by
 * test/support/global-setup.ts), with exactly this environment and any more Node flags; a
 * flag that preloads a TypeScript file brings tsx's loader with it.
 */
export function runServer(env: Record<string, string>, nodeFlags: string[] = []): Running {
  return run(process.execPath, serverArgs(nodeFlags), { cwd: root, env: cleanEnv(env) });
}

/** A server in webhook mode behind the fake Bot API on one database, with send limits high enough not to pace the tests. */
export function webhookServerEnv(opts: { fake: FakeBotApi; port: number; secret: string; databaseUrl: string }): Record<string, string> {
  return {
    BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: opts.fake.apiRoot,
    PORT: String(opts.port),
    PUBLIC_URL: "https://hazardline.example.org",
    WEBHOOK_SECRET: opts.secret,
    BOT_INFO: JSON.stringify(opts.fake.botInfo),
    DATABASE_URL: opts.databaseUrl,
    SEND_RATE_GLOBAL: "1000",
    SEND_RATE_PRIVATE: "100",
    SEND_RATE_GROUP: "6000",
  };
}
