/**
 * A throwaway real redis-server for tests: its own free port on 127.0.0.1, no persistence.
 * Locally it is /usr/bin/redis-server; CI installs it with apt.
 */
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { createClient } from "redis";
import { freePort } from "./processes";

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

async function answersPing(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 500 } });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    // A client whose connect failed (the server not up yet) is already closed, and destroy throws.
    if (client.isOpen) client.destroy();
  }
}

export async function startRedis(): Promise<RedisServer> {
  const binary = findOnPath("redis-server");
  if (!binary) throw new Error("redis-server not found: apt-get install -y redis-server");

  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const child = spawn(binary, ["--save", "", "--appendonly", "no", "--bind", "127.0.0.1", "--port", String(port)], {
    cwd: tmpdir(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const stop = async () => {
    if (hasExited) return;
    child.kill("SIGTERM");
    const forced = setTimeout(() => child.kill("SIGKILL"), 2000);
    await exited;
    clearTimeout(forced);
  };

  const deadline = Date.now() + 5000;
  while (!(await answersPing(url))) {
    if (hasExited) throw new Error(`redis-server exited during start-up:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not answer PING on port ${port} within 5 s:\n${output}`);
    }
    await sleep(50);
  }
  return { url, port, stop };
}
