/**
 * npm run poster, run as an operator runs it, on a libSQL file loaded with the example
 * directory by npm run directory: the files it writes, where, and each refusal with its exit.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decode } from "fast-png";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PNG_MODULE_PX, QUIET_ZONE, qrModules } from "../../src/domain/poster";
import { cleanEnv, run, runScript } from "../support/processes";

const root = fileURLToPath(new URL("../..", import.meta.url));
const script = (name: string, env: Record<string, string>, args: string[] = []) => runScript(name, { cwd: workdir, env, args });

let workdir: string;
let url: string;
beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), "hazardline-poster-"));
  url = `file:${join(workdir, "hazardline.db")}`;
  const imported = script("directory.ts", { DATABASE_URL: url }, ["import", join(root, "examples/directory.yaml")]);
  expect(await imported.exited, imported.output()).toBe(0);
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe("npm run poster", () => {
  it("writes the SVG and the PNG for a town and sector into the folder it was run from, and prints their paths", async () => {
    // Through npm, as the README says to run it: the files land where the operator is, not in the package.
    const made = run("npm", ["run", "--silent", "--prefix", root, "poster", "--", "--region", "chengguan", "--sector", "hazardous-chemicals"], {
      cwd: workdir,
      env: cleanEnv({ DATABASE_URL: url, SITE_URL: "https://safety.example.org/" }),
    });
    expect(await made.exited, made.output()).toBe(0);
    const svgPath = join(workdir, "poster-chengguan-hazardous-chemicals.svg");
    const pngPath = join(workdir, "poster-chengguan-hazardous-chemicals.png");
    const link = "https://safety.example.org/report?region=chengguan&sector=hazardous-chemicals";
    expect(made.output()).toContain(`Wrote ${pngPath} (`);
    expect(made.output()).toContain(`Wrote ${svgPath} (`);
    expect(made.output()).toContain(`The code opens ${link}`);

    const svg = readFileSync(svgPath, "utf8");
    expect(svg).toContain(link.replace("&", "&amp;"));
    for (const words of ["城关镇", "Chengguan Town", "行业领域：危险化学品", "县安委办"]) expect(svg).toContain(words);
    const png = decode(readFileSync(pngPath));
    expect(png.width).toBe((qrModules(link).length + 2 * QUIET_ZONE) * PNG_MODULE_PX);
  });

  it("takes a site's name into the link and the poster, PUBLIC_URL over SITE_URL, and writes into --out", async () => {
    const out = join(workdir, "posters/town");
    const made = script("poster.ts", { DATABASE_URL: url, PUBLIC_URL: "https://bot.example.org", SITE_URL: "https://other.example.org" }, [
      "--region",
      "chengguan",
      "--site",
      "清河化工 <A&B>",
      "--out",
      out,
    ]);
    expect(await made.exited, made.output()).toBe(0);
    expect(made.output()).toContain(
      "The code opens https://bot.example.org/report?region=chengguan&site=%E6%B8%85%E6%B2%B3%E5%8C%96%E5%B7%A5+%3CA%26B%3E",
    );
    expect(readFileSync(join(out, "poster-chengguan.svg"), "utf8")).toContain("场所：清河化工 &lt;A&amp;B&gt;");
    expect(existsSync(join(out, "poster-chengguan.png"))).toBe(true);
  });

  it("refuses an unknown region or sector, a missing site address and a bad invocation, with a non-zero exit and what to do", async () => {
    const env = { DATABASE_URL: url, SITE_URL: "https://safety.example.org" };
    const cases: Array<[Record<string, string>, string[], number, string]> = [
      [env, ["--region", "nowhere"], 1, 'poster: no region "nowhere" in the directory at'],
      [env, ["--region", "chengguan", "--sector", "mining"], 1, 'poster: no sector "mining" in the directory at'],
      [env, ["--region", "chengguan", "--site", "x".repeat(101)], 1, "poster: --site is longer than 100 characters"],
      [
        { DATABASE_URL: url },
        ["--region", "chengguan"],
        1,
        "poster: the public site has no address, so the code would lead nowhere: set PUBLIC_URL or SITE_URL",
      ],
      [env, [], 2, "poster: --region is needed"],
      [env, ["--region", "chengguan", "extra"], 2, "poster: unexpected extra"],
    ];
    for (const [caseEnv, args, code, message] of cases) {
      const refused = script("poster.ts", caseEnv, args);
      expect(await refused.exited, args.join(" ")).toBe(code);
      expect(refused.output()).toContain(message);
    }
    const unknown = script("poster.ts", env, ["--region", "nowhere"]);
    await unknown.exited;
    expect(unknown.output()).toMatch(/\(its towns: [^)]*\bchengguan\b/);
    expect(existsSync(join(workdir, "poster-nowhere.svg"))).toBe(false);
  });
});
