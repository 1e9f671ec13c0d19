/**
 * npm run build — compiles the Node server into plain JavaScript: dist/node.mjs (src/node.ts)
 * and dist/backup-child.mjs (the nightly backup's child process), each one ES module with the
 * project's own code bundled in and every package left to node_modules. `npm start` runs this,
 * then `node dist/node.mjs`, so the server runs with no TypeScript loader: tsx's loader cost
 * the server about 36 MB of memory and compiled each file again at every start (the
 * benchmark's memory section). A build takes well under a second, so `npm start` always
 * builds and what runs is never older than the source.
 *
 * dist/ sits one folder below the repository root, as src/ and db/ do, so the paths the entry
 * resolves from its own URL (db/migrations, src/console/page, examples/) hold in both.
 * The tests build the same way once (test/support/global-setup.ts) and start the compiled
 * server, as `npm start` does.
 */
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { runCli } from "./cli";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The compiled server, as `npm start` runs it. */
export const SERVER_ENTRY = fileURLToPath(new URL("../dist/node.mjs", import.meta.url));

const TSX_LOADER = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;

/**
 * node's arguments for a compiled entry as `npm start` runs the server (package.json's start
 * script gives the same flag), with any more Node flags, for the tests and the benchmark: a
 * flag that preloads a TypeScript file brings tsx's loader with it.
 */
export function serverArgs(nodeFlags: string[] = [], entry = SERVER_ENTRY): string[] {
  const loader = nodeFlags.some((flag) => flag.endsWith(".ts")) ? ["--import", TSX_LOADER] : [];
  return ["--enable-source-maps", ...loader, ...nodeFlags, entry];
}

export async function buildServer(): Promise<void> {
  await compile(["src/node.ts", "db/backup-child.ts"]);
}

/** Compiles entries (paths from the root) into dist/NAME.mjs, as the server is: the benchmark's bare bot runs the same way. */
export async function compile(entryPoints: string[]): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints,
    entryNames: "[name]",
    outdir: "dist",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    logLevel: "warning",
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runCli("build", "Usage: npm run build", async () => {
    await buildServer();
    return 0;
  });
}
