/**
 * Runs once before the tests: makes sure the real servers the tests start are installed.
 * redis-server comes from Debian's packages; on a fresh machine where we are root with apt,
 * it is installed here so that `npm test` alone passes, as the README promises. Anywhere
 * else the run stops at once with the command to run.
 */
import { execFileSync } from "node:child_process";

function has(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function setup(): void {
  if (has("redis-server")) return;
  if (process.getuid?.() === 0 && has("apt-get")) {
    console.log("redis-server is missing: installing it with apt-get (once)…");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "-qq", "redis-server"], { stdio: "inherit", env });
    return;
  }
  throw new Error("The tests need redis-server on PATH: sudo apt-get install -y redis-server");
}
