import { decode } from "fast-png";
import { describe, expect, it } from "vitest";
import {
  buildPoster,
  normalizeSite,
  PNG_MODULE_PX,
  POSTER_SITE_MAX,
  type PosterInput,
  posterFileBase,
  posterUrl,
  printedUrl,
  QUIET_ZONE,
  qrModules,
  qrPath,
  wrapText,
} from "../../src/domain/poster";
import { escapeXml } from "../../src/domain/xml";
import { translator } from "../../src/i18n";

const town = { nameZh: "城关镇", nameEn: "Chengguan Town" };
const chemicals = { nameZh: "危险化学品", nameEn: "Hazardous chemicals" };
const office = { nameZh: "县安委办", nameEn: "County Safety Committee Office" };
const hostileSite = `清河化工 <b>&"'</b> ]]> <!-- x`;

const input = (over: Partial<PosterInput> = {}): PosterInput => ({
  url: posterUrl("https://safety.example.org/", { regionId: "chengguan", sectorId: "chemicals", site: hostileSite }),
  region: town,
  sector: chemicals,
  site: hostileSite,
  office,
  ...over,
});

/**
 * A small well-formedness check (Node has no DOMParser): every tag closes in order, attribute
 * values are quoted, and no text or attribute holds a raw `<` or an `&` that starts no entity.
 */
function assertWellFormedXml(xml: string): void {
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, "");
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
  const rawText = /[^<]*/y;
  let at = 0;
  let roots = 0;
  while (at < body.length) {
    rawText.lastIndex = at;
    const text = rawText.exec(body)![0];
    expect(text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, "")).not.toMatch(/&/);
    at += text.length;
    if (at >= body.length) break;
    tag.lastIndex = at;
    const m = tag.exec(body);
    if (!m) throw new Error(`not a well-formed tag at ${at}: ${body.slice(at, at + 60)}`);
    const [whole, closing, name, attrs, selfClosing] = m;
    for (const [, value] of attrs!.matchAll(/="([^"]*)"/g)) {
      expect(value!.replace(/&(amp|lt|gt|quot|apos);/g, "")).not.toMatch(/[&<]/);
    }
    if (closing) expect(stack.pop()).toBe(name);
    else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
    at += whole.length;
  }
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

/** The text of every <text> element, unescaped. */
const textsOf = (svg: string) =>
  [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&apos;", "'").replaceAll("&amp;", "&"),
  );

describe("posterUrl", () => {
  it("opens the report form with the region, then the sector and site when given, URL-encoded", () => {
    expect(posterUrl("https://safety.example.org//", { regionId: "chengguan" })).toBe("https://safety.example.org/report?region=chengguan");
    const url = new URL(posterUrl("http://localhost:8787", { regionId: "chengguan", sectorId: "chemicals", site: "清河 化工&Co #1" }));
    expect(url.pathname).toBe("/report");
    expect([...url.searchParams]).toEqual([
      ["region", "chengguan"],
      ["sector", "chemicals"],
      ["site", "清河 化工&Co #1"],
    ]);
  });

  it("names the files by region and sector", () => {
    expect(posterFileBase({ regionId: "chengguan" })).toBe("poster-chengguan");
    expect(posterFileBase({ regionId: "chengguan", sectorId: "chemicals", site: "x" })).toBe("poster-chengguan-chemicals");
  });
});

describe("normalizeSite", () => {
  it("folds white space, drops what XML cannot hold, and keeps to the form's 100 characters", () => {
    expect(normalizeSite("  清河\n化工\t 有限公司\u0000\u0007 ")).toEqual({ ok: true, site: "清河 化工 有限公司" });
    expect(normalizeSite(" \n ")).toEqual({ ok: false, code: "POSTER.SITE_EMPTY" });
    expect(normalizeSite("厂".repeat(POSTER_SITE_MAX))).toMatchObject({ ok: true });
    expect(normalizeSite("厂".repeat(POSTER_SITE_MAX + 1))).toEqual({ ok: false, code: "POSTER.SITE_TOO_LONG" });
    // Characters, not UTF-16 units: an ideograph beyond the BMP counts once.
    expect(normalizeSite("𠀀".repeat(POSTER_SITE_MAX))).toMatchObject({ ok: true });
  });
});

describe("the QR PNG", () => {
  const poster = buildPoster(input(), translator);
  const modules = qrModules(input().url);
  const png = decode(poster.png);
  const darkAt = (x: number, y: number) => png.palette![png.data[y * png.width + x]!]![0] === 0;

  it("is black on white and nothing else", () => {
    expect(png.palette).toEqual([
      [255, 255, 255],
      [0, 0, 0],
    ]);
    expect(new Set(png.data)).toEqual(new Set([0, 1]));
  });

  it("is an indexed PNG of the code with a four-module quiet zone, 10 px a module", () => {
    expect(poster.modules).toBe(modules.length);
    expect(png.palette).toBeDefined();
    const side = (modules.length + 2 * QUIET_ZONE) * PNG_MODULE_PX;
    expect([png.width, png.height]).toEqual([side, side]);
  });

  it("has a white quiet zone all round", () => {
    const zone = QUIET_ZONE * PNG_MODULE_PX;
    for (let y = 0; y < png.height; y++) {
      for (let x = 0; x < png.width; x++) {
        if (x < zone || y < zone || x >= png.width - zone || y >= png.height - zone) {
          if (darkAt(x, y)) throw new Error(`dark pixel in the quiet zone at ${x},${y}`);
        }
      }
    }
  });

  it("has every pixel of a module the colour the library's matrix gives it", () => {
    let mismatches = 0;
    for (let y = 0; y < png.height; y++) {
      for (let x = 0; x < png.width; x++) {
        const mx = Math.floor(x / PNG_MODULE_PX) - QUIET_ZONE;
        const my = Math.floor(y / PNG_MODULE_PX) - QUIET_ZONE;
        const expected = modules[my]?.[mx] ?? false;
        if (darkAt(x, y) !== expected) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    // Finder patterns in three corners: the top-left module of each is dark.
    const n = modules.length;
    expect([modules[0]![0], modules[0]![n - 1], modules[n - 1]![0]]).toEqual([true, true, true]);
  });
});

describe("the SVG poster", () => {
  const poster = buildPoster(input(), translator);

  it("is well-formed XML even with markup in the site's name", () => {
    assertWellFormedXml(poster.svg);
    expect(poster.svg).not.toContain("<b>");
    expect(poster.svg).toContain("清河化工 &lt;b&gt;&amp;&quot;&apos;&lt;/b&gt; ]]&gt; &lt;!-- x");
  });

  it("is A4, titled in Chinese and English, naming the town, sector, site and office", () => {
    expect(poster.svg).toMatch(/<svg [^>]*width="210mm" height="297mm" viewBox="0 0 210 297"/);
    const texts = textsOf(poster.svg);
    expect(texts).toEqual(
      expect.arrayContaining([
        "扫码举报安全隐患",
        "Scan to report a safety hazard",
        "城关镇",
        "Chengguan Town",
        "行业领域：危险化学品",
        "Sector: Hazardous chemicals",
        `场所：${hostileSite}`,
        "县安委办",
        "County Safety Committee Office",
      ]),
    );
    // A Chinese site name is not printed again under an English label.
    expect(texts.filter((t) => t.startsWith("Site:"))).toEqual([]);
    expect(texts.join("\n")).toMatch(/匿名/);
    expect(texts.join("\n")).toMatch(/领奖凭证码/);
  });

  it("gives a Latin site name in both languages", () => {
    const site = "Qinghe Chemicals & Co";
    const texts = textsOf(buildPoster(input({ site, url: posterUrl("https://s.example.org", { regionId: "chengguan", site }) }), translator).svg);
    expect(texts).toEqual(expect.arrayContaining([`场所：${site}`, `Site: ${site}`]));
  });

  it("prints the link under the code, a Chinese site name in its own characters, cut into lines that join back to it", () => {
    const url = printedUrl(input().url);
    expect(url).toBe(
      "https://safety.example.org/report?region=chengguan&sector=chemicals&site=清河化工+%3Cb%3E%26%22%27%3C%2Fb%3E+%5D%5D%3E+%3C%21--+x",
    );
    expect(new URL(url).searchParams.get("site")).toBe(hostileSite);
    const texts = textsOf(poster.svg);
    const start = texts.findIndex((t) => url.startsWith(t));
    let joined = "";
    for (let i = start; joined.length < url.length && i < texts.length; i++) joined += texts[i];
    expect(joined).toBe(url);
  });

  it("draws the code as one path of the library's dark modules", () => {
    const paths = [...poster.svg.matchAll(/<path [^>]*d="([^"]*)"/g)].map((m) => m[1]);
    expect(paths).toEqual([qrPath(qrModules(input().url))]);
    // Every dark module is covered by exactly one run, and nothing else is.
    const modules = qrModules(input().url);
    const painted = modules.map((row) => row.map(() => 0));
    for (const [, x, y, run] of paths[0]!.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
      for (let i = 0; i < Number(run); i++) painted[Number(y)]![Number(x) + i]!++;
    }
    expect(painted.map((row) => row.map((n) => n === 1))).toEqual(modules);
  });

  it("leaves out the sector, site and office lines when there are none", () => {
    const bare = buildPoster({ url: posterUrl("https://s.example.org", { regionId: "chengguan" }), region: town }, translator).svg;
    assertWellFormedXml(bare);
    const texts = textsOf(bare);
    expect(texts.some((t) => t.startsWith("行业领域") || t.startsWith("场所") || t === "县安委办")).toBe(false);
    expect(texts).toContain("城关镇");
  });

  it("keeps within the page with the longest site name the form takes", () => {
    const site = "安全生产".repeat(POSTER_SITE_MAX / 4);
    const url = posterUrl("https://safety.example.org", { regionId: "chengguan", sectorId: "chemicals", site });
    const svg = buildPoster(input({ url, site }), translator).svg;
    assertWellFormedXml(svg);
    const ys = [...svg.matchAll(/<text [^>]*y="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(Math.max(...ys)).toBeLessThanOrEqual(297);
    const [, left, top, scale] = /<g transform="translate\(([\d.]+) ([\d.]+)\) scale\(([\d.]+)\)">/.exec(svg)!;
    const side = (qrModules(url).length + 2 * QUIET_ZONE) * Number(scale);
    expect(side).toBeGreaterThanOrEqual(60);
    expect(Number(left) + side).toBeLessThanOrEqual(210);
    expect(Number(top) + side).toBeLessThan(Math.max(...ys));
  });
});

describe("text helpers", () => {
  it("escapes the five XML characters", () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
  });

  it("wraps between words and between any two ideographs, within the width", () => {
    expect(wrapText("Scan the code with your phone", 8)).toEqual(["Scan the code", "with your", "phone"]);
    expect(wrapText("用手机扫一扫二维码", 4)).toEqual(["用手机扫", "一扫二维", "码"]);
    expect(wrapText("abcdefghijklmnopqrstuvwxyz", 5)).toEqual(["abcdefgh", "ijklmnop", "qrstuvwx", "yz"]);
  });
});
