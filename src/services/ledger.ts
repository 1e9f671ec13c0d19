/**
 * The ledger export: the cases received in a period, with their timelines, as XLSX
 * and CSV files. One use case, two doors: /export in chat (handlers/staff/export.ts) and
 * `npm run export` (scripts/export.ts).
 */
import type { Db } from "../../db/client";
import { caseFiles } from "../../db/queries/archive";
import { casesCreatedWithEvents, countCasesCreated, directoryNames } from "../../db/queries/ledger";
import { buildLedger, type CaseFileEntry, caseFileName, caseFolderName, type Ledger, type LedgerCase, toCsv, toXlsx } from "../domain/ledger";
import type { Locale } from "../domain/locale";
import { formatOfficeTime } from "../domain/office-time";
import { translator } from "../i18n";
import type { Clock } from "./clock";

export type LedgerFormat = "xlsx" | "csv";

export interface LedgerFile {
  format: LedgerFormat;
  /** `ledger-2026-11-01_2026-11-30.xlsx`: the period's first and last office dates. */
  filename: string;
  bytes: Uint8Array;
}

/** An archived file of the period's cases, where `--with-files` writes it: `<folder>/<name>`. */
export interface ArchivedCaseFile {
  folder: string;
  name: string;
  sha256: string;
}

export interface LedgerRequest {
  /** The period [from, to) in ms; cases are taken by when they were received. */
  from: number;
  to: number;
  locale: Locale;
}

export function ledgerService(deps: { db: Db; officeTz: string; clock: Clock }) {
  const { db, officeTz, clock } = deps;
  const officeDay = (at: number) => formatOfficeTime(at, officeTz).slice(0, 10);
  const filename = ({ from, to }: LedgerRequest, format: LedgerFormat) => `ledger-${officeDay(from)}_${officeDay(to - 1)}.${format}`;

  async function table(request: LedgerRequest): Promise<Ledger & { archived: ArchivedCaseFile[] }> {
    const [rows, names] = await Promise.all([casesCreatedWithEvents(db, request.from, request.to), directoryNames(db)]);
    const files = new Map<number, CaseFileEntry[]>(rows.map((r) => [r.id, []]));
    for (const { caseId, ...file } of await caseFiles(
      db,
      rows.map((r) => r.id),
    ))
      files.get(caseId)?.push(file);
    const items: LedgerCase[] = rows.map((r) => ({
      ...r,
      sector: (r.sectorId && names.sectors.get(r.sectorId)) || null,
      region: (r.regionId && names.regions.get(r.regionId)) || null,
      unit: (r.unitId && names.units.get(r.unitId)) || null,
      files: files.get(r.id) ?? [],
    }));
    // Named as the ledger's files column names them, so a row leads to its files.
    const archived = items.flatMap((c) =>
      (c.files ?? []).flatMap((f, i) =>
        f.status === "archived" && f.sha256 !== null ? [{ folder: caseFolderName(c.number), name: caseFileName(f, i + 1), sha256: f.sha256 }] : [],
      ),
    );
    const ledger = buildLedger(items, { t: translator(request.locale), locale: request.locale, timeZone: officeTz, now: clock.now() });
    return { ...ledger, archived };
  }

  async function write(ledger: Ledger, format: LedgerFormat, locale: Locale): Promise<Uint8Array> {
    if (format === "csv") return new TextEncoder().encode(toCsv(ledger.columns, ledger.rows));
    return toXlsx(ledger.columns, ledger.rows, translator(locale)("ledger-sheet"));
  }

  return {
    /** How many cases the period holds, without loading them. */
    count: (request: Pick<LedgerRequest, "from" | "to">) => countCasesCreated(db, request.from, request.to),

    /** The period's ledger in one format. */
    async export(request: LedgerRequest & { format: LedgerFormat }): Promise<LedgerFile & { count: number }> {
      const ledger = await table(request);
      return {
        format: request.format,
        filename: filename(request, request.format),
        bytes: await write(ledger, request.format, request.locale),
        count: ledger.rows.length,
      };
    },

    /**
     * The period's ledger in several formats from one read. A format that cannot be written
     * is reported in `failed` rather than failing the others: the CSV is plain text and
     * always works, while the XLSX is a zip, and write-excel-file's compressor (fflate) hands
     * any part over 160 kB to a Web Worker, which Cloudflare Workers do not have: there a
     * large period's XLSX fails (docs/architecture.md, "The ledger export").
     */
    async exportFiles(request: LedgerRequest & { formats: readonly LedgerFormat[] }) {
      const ledger = await table(request);
      const files: LedgerFile[] = [];
      const failed: Array<{ format: LedgerFormat; error: unknown }> = [];
      for (const format of request.formats) {
        try {
          files.push({ format, filename: filename(request, format), bytes: await write(ledger, format, request.locale) });
        } catch (error) {
          failed.push({ format, error });
        }
      }
      // The archived evidence of these cases, for `npm run export -- --with-files` to write beside them.
      return { count: ledger.rows.length, files, failed, archived: ledger.archived };
    },
  };
}

export type LedgerService = ReturnType<typeof ledgerService>;
