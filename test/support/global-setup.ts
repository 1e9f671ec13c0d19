/**
 * Runs once before the tests: builds the Node server as `npm start` does (the tests that start
 * it run the compiled dist/node.mjs), and makes sure the real servers the tests start are installed.
 * redis-server and Chromium come from Debian's packages; on a fresh machine where we are root with apt,
 * it is installed here so that `npm test` alone passes, as the README promises. Anywhere
 * else the run stops at once with the command to run.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { buildServer } from "../../scripts/build-server";

function has(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Debian's package for each program the tests start, and where it is found. */
const NEEDED = [
  { pkg: "redis-server", present: () => has("redis-server") },
  // The playground's browser test drives Debian's Chromium (playwright-core downloads no browser).
  { pkg: "chromium", present: () => existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium") },
];

export async function setup(): Promise<void> {
  await buildServer();
  const missing = NEEDED.filter((n) => !n.present()).map((n) => n.pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() === 0 && has("apt-get")) {
    console.log(`${missing.join(" and ")} missing: installing with apt-get (once)…`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "-qq", ...missing], { stdio: "inherit", env });
    return;
  }
  throw new Error(`The tests need Debian's ${missing.join(" and ")}: sudo apt-get install -y ${missing.join(" ")}`);
}
