/**
 * npm run poster -- --region ID [--sector ID] [--site TEXT] [--out DIR]
 *
 * Writes a QR poster for the public web report form, the same files /poster sends in chat:
 * poster-REGION[-SECTOR].svg (the A4 sheet to print) and .png (the code alone). The code
 * opens SITE/report?region=…&sector=…&site=…, where SITE is PUBLIC_URL, else SITE_URL.
 * Reads the directory from DATABASE_URL (migrating it first, as the other scripts do).
 */
import { parseArgs } from "node:util";
import { listSectors, listTowns } from "../db/queries/directory";
import { siteUrlOf } from "../src/config";
import { POSTER_SITE_MAX } from "../src/domain/poster";
import { type PosterRefusal, posterService } from "../src/services/posters";
import { operatorPath, runCli, UsageError, withDb, writeFilesInto } from "./cli";

const USAGE = `Usage:
  npm run poster -- --region ID [--sector ID] [--site TEXT] [--out DIR]
--region is a region of the directory (a town, or a village), --sector a sector, both by id
or name; --site a site's or company's name (at most ${POSTER_SITE_MAX} characters) that the form
is filled in with too. The files go into DIR, default the current folder. The code opens
PUBLIC_URL/report, else SITE_URL/report: one of them must be set.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      region: { type: "string" },
      sector: { type: "string" },
      site: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(" ")}`);
  if (!values.region) throw new UsageError("--region is needed");
  const region = values.region;

  const siteUrl = siteUrlOf(process.env);
  if (siteUrl === undefined) {
    console.error(
      "poster: the public site has no address, so the code would lead nowhere: set PUBLIC_URL or SITE_URL (e.g. https://safety.example.org)",
    );
    return 1;
  }
  if (!/^https?:\/\/[^/?#]+/.test(siteUrl)) {
    console.error(`poster: ${process.env.PUBLIC_URL ? "PUBLIC_URL" : "SITE_URL"} must be an http(s) URL, not ${JSON.stringify(siteUrl)}`);
    return 1;
  }
  const outDir = operatorPath(values.out);

  return withDb(async (db, where) => {
    const made = await posterService({ db, siteUrl }).make({ region, sector: values.sector, site: values.site });
    if (!made.ok) {
      const ids = async (rows: Promise<{ id: string }[]>) => (await rows).map((r) => r.id).join(", ") || "none";
      const why: Record<PosterRefusal, () => Promise<string>> = {
        "POSTER.NO_SITE_URL": async () => "set PUBLIC_URL or SITE_URL",
        "POSTER.UNKNOWN_REGION": async () =>
          `no region ${JSON.stringify(region)} in the directory at ${where} (its towns: ${await ids(listTowns(db))})`,
        "POSTER.UNKNOWN_SECTOR": async () =>
          `no sector ${JSON.stringify(values.sector)} in the directory at ${where} (its sectors: ${await ids(listSectors(db))})`,
        "POSTER.SITE_EMPTY": async () => "--site is empty",
        "POSTER.SITE_TOO_LONG": async () => `--site is longer than ${POSTER_SITE_MAX} characters`,
      };
      console.error(`poster: ${await why[made.code]()}`);
      return 1;
    }
    writeFilesInto(outDir, made.files);
    console.log(`The code opens ${made.url}`);
    return 0;
  });
}

await runCli("poster", USAGE, main);
