/**
 * npm run export -- --from 2026-11-01 --to 2026-11-30 [--format xlsx|csv|both] [--out DIR] [--locale zh-CN|en] [--with-files]
 *
 * Writes the ledger of the cases received between two office dates, both included, as
 * XLSX and/or CSV files: the same files /export sends in chat, without the chat's limit on
 * size. Reads DATABASE_URL (migrating it first, as the other scripts do) and OFFICE_TZ.
 * With --with-files, also the cases' archived evidence from ARCHIVE_DIR, in a folder beside
 * them: one subfolder per case number, each file named by its step (`01-report.jpg`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fsFileStore } from "../db/file-store-fs";
import { exportPeriodBetween } from "../src/domain/export-period";
import { DEFAULT_LOCALE, isLocale } from "../src/domain/locale";
import { systemClock } from "../src/services/clock";
import { type LedgerFormat, ledgerService } from "../src/services/ledger";
import { runCli, UsageError, withDb } from "./cli";

const USAGE = `Usage:
  npm run export -- --from YYYY-MM-DD --to YYYY-MM-DD [--format xlsx|csv|both] [--out DIR] [--locale zh-CN|en] [--with-files]
Both dates are office dates (OFFICE_TZ) and both are included. The default is both formats,
written to the current folder, in Chinese. --with-files also writes the cases' archived
evidence (from ARCHIVE_DIR, default ./data/files) into a folder beside them, by case number.`;

const FORMATS: Record<string, LedgerFormat[]> = { xlsx: ["xlsx"], csv: ["csv"], both: ["xlsx", "csv"] };

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      from: { type: "string" },
      to: { type: "string" },
      format: { type: "string", default: "both" },
      out: { type: "string" },
      locale: { type: "string", default: DEFAULT_LOCALE },
      "with-files": { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(" ")}`);
  if (!values.from || !values.to) throw new UsageError("--from and --to are both needed");
  const formats = Object.hasOwn(FORMATS, values.format) ? FORMATS[values.format] : undefined;
  if (!formats) throw new UsageError(`--format must be xlsx, csv or both, not "${values.format}"`);
  if (!isLocale(values.locale)) throw new UsageError(`--locale must be zh-CN or en, not "${values.locale}"`);
  const locale = values.locale;

  const timeZone = process.env.OFFICE_TZ || "Asia/Shanghai";
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    throw new UsageError(`OFFICE_TZ ${JSON.stringify(timeZone)} is not an IANA time zone`);
  }
  const period = exportPeriodBetween(values.from, values.to, timeZone);
  if (!period.ok) {
    throw new UsageError(
      period.problem === "reversed"
        ? `--from ${values.from} is after --to ${values.to}`
        : `--from and --to must be dates such as 2026-11-01 (got ${values.from}, ${values.to})`,
    );
  }
  const { from, to, first, last } = period.period;
  // npm runs scripts from the package root; a folder the operator typed is relative to where they typed it.
  const outDir = resolve(process.env.INIT_CWD || process.cwd(), values.out ?? ".");

  return withDb(async (db, where) => {
    const made = await ledgerService({ db, officeTz: timeZone, clock: systemClock }).exportFiles({ from, to, locale, formats });
    mkdirSync(outDir, { recursive: true });
    for (const file of made.files) {
      const path = join(outDir, file.filename);
      writeFileSync(path, file.bytes);
      console.log(`Wrote ${path} (${file.bytes.length} bytes)`);
    }
    console.log(`${made.count} case${made.count === 1 ? "" : "s"} received ${first} to ${last} (${timeZone}) in ${where}.`);
    let missing = 0;
    if (values["with-files"]) {
      const store = fsFileStore(resolve(process.env.ARCHIVE_DIR || "./data/files"));
      const folder = join(outDir, `ledger-${first}_${last}-files`);
      for (const file of made.archived) {
        const bytes = await store.get(file.sha256);
        if (bytes === null) {
          missing++;
          console.error(`export: ${file.folder}/${file.name} (sha256 ${file.sha256}) is not in the archive at ${store.where}`);
          continue;
        }
        mkdirSync(join(folder, file.folder), { recursive: true });
        writeFileSync(join(folder, file.folder, file.name), bytes);
      }
      console.log(`Wrote ${made.archived.length - missing} archived file${made.archived.length - missing === 1 ? "" : "s"} into ${folder}`);
    }
    for (const { format, error } of made.failed) console.error(`export: the ${format} file could not be written: ${(error as Error).message}`);
    return made.failed.length > 0 || missing > 0 ? 1 : 0;
  });
}

await runCli("export", USAGE, main);
