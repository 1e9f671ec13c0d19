/**
 * Debian's Chromium driven by playwright-core, as the browser tests open it, and the folder their
 * screenshots go to (TEST_ARTIFACTS, else a folder of the system's temp directory).
 */
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (as .ci/run does), or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    // As root in a container, with the machine's network closed: no sandbox, nothing fetched in the background.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The folder a test's screenshots go to, made if need be. */
export function artifactsFolder(name: string): string {
  const folder = process.env.TEST_ARTIFACTS ?? join(tmpdir(), name);
  mkdirSync(folder, { recursive: true });
  return folder;
}
