/**
 * npm run bench [-- --quick] [--only name,name] [--out FILE]
 *
 * Runs the benchmark sections in order (each a module of this folder exporting
 * `run(opts): Promise<BenchSection>`, see section.ts) and writes one Markdown file: the
 * command, the date and the machine, a summary table of every section's headline figures
 * with their targets, then each section. Figures are measured, never asserted: a missed
 * target is reported, and the exit code is 0 unless a section failed to run.
 *
 * A full run of every section writes docs/benchmarks.md. `--quick` (small sizes, for trying
 * it) and `--only` write data/benchmarks.md instead, so that they never replace the
 * published figures, unless `--out` says where.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, freemem, totalmem } from "node:os";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { runCli, UsageError } from "../cli";
import type { BenchSection, BenchSectionRun } from "./section";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");

/** In the order they run and appear. A section whose module is not there yet is skipped, and said so. */
export const SECTIONS = ["webhook", "memory", "redis", "round-trips", "tick", "outbox", "reports", "backup", "console", "bundle", "soak"] as const;

const USAGE = `Usage:
  npm run bench [-- --quick] [--only ${SECTIONS.join(",")}] [--out FILE]
--quick uses small sizes (well under a minute of work per section). A full run of every
section writes docs/benchmarks.md; --quick or --only write data/benchmarks.md unless --out
says where.`;

function machine(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? "unknown CPU";
  const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  return `${model}, ${list.length} cores, ${gib(totalmem())} memory (${gib(freemem())} free at the start), Node ${process.version} on ${process.platform}/${process.arch}`;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { quick: { type: "boolean" }, only: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(" ")}`);
  const quick = values.quick === true;
  const only = values.only
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only?.filter((name) => !(SECTIONS as readonly string[]).includes(name)) ?? [];
  if (unknown.length > 0) throw new UsageError(`no section ${unknown.join(", ")}`);
  const chosen = SECTIONS.filter((name) => only === undefined || only.includes(name));
  const out = resolve(
    process.env.INIT_CWD || process.cwd(),
    values.out ?? (quick || only ? "data/benchmarks.md" : resolve(ROOT, "docs/benchmarks.md")),
  );

  const started = new Date();
  const runStarted = performance.now();
  const sections: Array<{ name: string; section: BenchSection; seconds: number }> = [];
  let failed = 0;
  for (const name of chosen) {
    const file = resolve(HERE, `${name}.ts`);
    if (!existsSync(file)) {
      console.error(`bench: no ${relative(ROOT, file)} yet; section ${name} skipped`);
      continue;
    }
    console.error(`bench: ${name}…`);
    const t0 = performance.now();
    let section: BenchSection;
    try {
      const mod = (await import(pathToFileURL(file).href)) as { run: BenchSectionRun };
      section = await mod.run({ quick });
    } catch (error) {
      failed++;
      console.error(`bench: ${name} failed:`, error);
      section = {
        title: name,
        markdown: `This section failed to run: \`${cell(String((error as Error)?.stack ?? error).split("\n")[0]!)}\``,
        summary: [{ metric: `${name} section`, value: "failed to run", met: false }],
      };
    }
    const seconds = (performance.now() - t0) / 1000;
    console.error(`bench: ${name} done in ${seconds.toFixed(1)} s`);
    sections.push({ name, section, seconds });
  }

  const total = (performance.now() - runStarted) / 1000;
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}`;
  const verdict = (met: boolean | undefined) => (met === undefined ? "" : met ? "yes" : "**no**");
  const markdown = [
    "# Benchmarks",
    "",
    `Written by \`${command}\` (scripts/bench/run.ts) on ${started.toISOString().slice(0, 16).replace("T", " ")} UTC${quick ? ", **quick sizes**: for trying, not for quoting" : ""}.`,
    `Machine: ${machine()}. The machine is shared and noisy: compare figures taken in the same run, and read the spread (median (min–max) over several runs).`,
    "",
    "## Summary",
    "",
    "| metric | value | target | met |",
    "|---|---:|---:|:---:|",
    ...sections.flatMap(({ section }) =>
      section.summary.map((s) => `| ${cell(s.metric)} | ${cell(s.value)} | ${cell(s.target ?? "")} | ${verdict(s.met)} |`),
    ),
    "",
    ...sections.flatMap(({ section, seconds }) => [
      `## ${section.title}`,
      "",
      section.markdown.trim(),
      "",
      `<sub>This section took ${seconds.toFixed(0)} s.</sub>`,
      "",
    ]),
  ].join("\n");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, markdown);
  console.error(`bench: wrote ${relative(process.cwd(), out) || out} in ${total.toFixed(0)} s`);
  return failed > 0 ? 1 : 0;
}

await runCli("bench", USAGE, main);
