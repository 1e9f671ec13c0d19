/**
 * QR posters for the public web report form: a sheet to print and put up in a town,
 * a sector's workplaces or one site, whose code opens `<siteUrl>/report?region=…` with the
 * form already filled in. Pure and runtime-free, so /poster on Workers and `npm run poster`
 * on a machine make the same bytes.
 *
 * Two files: an A4 SVG poster, and a PNG of the code alone (for a leaflet, a slide or a
 * WeChat group). The words are only in the SVG, as <text> in the locale files' wording: the
 * machine that opens or prints it brings the fonts. The server has none (Workers have no
 * font and no canvas; see chart.ts), so the PNG holds the code and nothing else.
 *
 * The code comes from uqr (unjs): no dependencies, TypeScript-first ESM, about 27 KB unminified,
 * made to run in any runtime (Workers included), and its `encode` returns the module matrix
 * as plain data, which is all we draw from. qrcode-generator, the other candidate, also runs
 * anywhere, but is built around its own renderers (GIF data URLs, HTML tables, SVG strings)
 * with the matrix read one `isDark(row, col)` call at a time. Error correction M: a poster
 * lives outdoors and gets scuffed, but Q or H would make a long link's code denser for the
 * same print size.
 */
import { encode as encodePng } from "fast-png";
import { encode as encodeQr } from "uqr";
import type { Translate } from "../i18n";
import type { Locale } from "./locale";
import { escapeXml, withoutNonXml } from "./xml";

/** A directory row's two names. */
export interface PosterNames {
  nameZh: string;
  nameEn: string;
}

/** What the report form is pre-filled with: a region's id, maybe a sector's, maybe a site's name. */
export interface PosterTarget {
  regionId: string;
  sectorId?: string;
  site?: string;
}

export interface PosterInput {
  /** The link the code opens (posterUrl). */
  url: string;
  region: PosterNames;
  sector?: PosterNames;
  site?: string;
  /** The office that put the poster up (the directory's unit of kind office), if it has one. */
  office?: PosterNames;
}

export interface Poster {
  svg: string;
  png: Uint8Array;
  /** The code's side in modules, without the quiet zone. */
  modules: number;
}

/** The longest site name the form takes, in characters. */
export const POSTER_SITE_MAX = 100;
/** The empty modules around the code that a reader needs to find it (the standard's minimum). */
export const QUIET_ZONE = 4;
/**
 * Pixels per module in the PNG: a typical link's code (version 3 to 5, 37 to 45 modules with
 * the quiet zone) is 370 to 450 px, 3 to 4 cm at 300 dpi, and whole pixels a module keep it
 * sharp when it is scaled up.
 */
export const PNG_MODULE_PX = 10;
/** The PNG's palette: index 0 light, 1 dark. */
export const PNG_PALETTE = [
  [255, 255, 255],
  [0, 0, 0],
] as const;

/** The path of the report form on the public site. */
export const REPORT_PATH = "/report";

/**
 * A site's name as the form and the poster take it: runs of white space (a newline too) as
 * one space, characters XML cannot hold removed, trimmed. Refused when nothing is left or it
 * is longer than POSTER_SITE_MAX.
 */
export function normalizeSite(raw: string): { ok: true; site: string } | { ok: false; code: "POSTER.SITE_EMPTY" | "POSTER.SITE_TOO_LONG" } {
  const site = withoutNonXml(raw).replace(/\s+/g, " ").trim();
  if (site === "") return { ok: false, code: "POSTER.SITE_EMPTY" };
  return [...site].length > POSTER_SITE_MAX ? { ok: false, code: "POSTER.SITE_TOO_LONG" } : { ok: true, site };
}

/** The form's link: region first, then sector and site when given (URL-encoded, so a name in Chinese is safe). */
export function posterUrl(siteUrl: string, target: PosterTarget): string {
  const query = new URLSearchParams({ region: target.regionId });
  if (target.sectorId !== undefined) query.set("sector", target.sectorId);
  if (target.site !== undefined) query.set("site", target.site);
  return `${siteUrl.replace(/\/+$/, "")}${REPORT_PATH}?${query}`;
}

/**
 * The link as it is printed for someone to type: a site's name in its own characters rather
 * than as percent-escapes (a browser escapes them again), which keeps a Chinese name to a
 * line instead of ten. Only escapes of non-ASCII bytes are undone, so no delimiter changes.
 */
export const printedUrl = (url: string) =>
  url.replace(/(?:%[89A-Fa-f][0-9A-Fa-f])+/g, (escaped) => {
    try {
      return decodeURIComponent(escaped);
    } catch {
      return escaped;
    }
  });

/** The files' name without extension: poster-REGION[-SECTOR] (ids are already file-name safe). */
export const posterFileBase = (target: PosterTarget) => `poster-${target.regionId}${target.sectorId !== undefined ? `-${target.sectorId}` : ""}`;

/** The code's modules for a link, row by row, `true` dark; no quiet zone. */
export function qrModules(url: string): boolean[][] {
  return encodeQr(url, { ecc: "M", border: 0 }).data;
}

/** The code alone as an indexed PNG: QUIET_ZONE light modules around it, `scale` pixels a module. */
export function qrPng(modules: readonly (readonly boolean[])[], scale = PNG_MODULE_PX): Uint8Array {
  const side = (modules.length + 2 * QUIET_ZONE) * scale;
  const data = new Uint8Array(side * side);
  modules.forEach((row, y) => {
    const top = (y + QUIET_ZONE) * scale;
    row.forEach((dark, x) => {
      if (!dark) return;
      const left = (x + QUIET_ZONE) * scale;
      for (let dy = 0; dy < scale; dy++) data.fill(1, (top + dy) * side + left, (top + dy) * side + left + scale);
    });
  });
  return encodePng({ width: side, height: side, data, channels: 1, depth: 8, palette: PNG_PALETTE.map((c) => [...c]) });
}

/**
 * The dark modules as one SVG path in module units: each horizontal run of dark modules is one
 * rectangle, so a code is a few hundred short subpaths rather than thousands of <rect>s.
 */
export function qrPath(modules: readonly (readonly boolean[])[]): string {
  const parts: string[] = [];
  modules.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) {
      if (!row[x]) continue;
      const start = x;
      while (row[x + 1]) x++;
      const run = x - start + 1;
      parts.push(`M${start} ${y}h${run}v1h-${run}z`);
    }
  });
  return parts.join("");
}

/** Both files for a poster. `translate` gives each language's wording (the poster is in Chinese, with English beneath). */
export function buildPoster(input: PosterInput, translate: (locale: Locale) => Translate): Poster {
  const modules = qrModules(input.url);
  return { svg: posterSvg(input, modules, translate), png: qrPng(modules), modules: modules.length };
}

// ---------------------------------------------------------------------------------------------

/**
 * CJK ideographs, kana, Hangul and full-width forms: about one em wide where Latin letters
 * are about half. No font is measured here (there is none), so lines are wrapped by this
 * estimate, with room to spare.
 */
const WIDE_CLASS = "\\u1100-\\u115F\\u2E80-\\uA4CF\\uAC00-\\uD7A3\\uF900-\\uFAFF\\uFE30-\\uFE4F\\uFF00-\\uFF60\\uFFE0-\\uFFE6\\u{20000}-\\u{3FFFD}";
const WIDE = new RegExp(`[${WIDE_CLASS}]`, "u");
/** What a line may break between: one wide character, a run of white space, a run of anything else. */
const UNITS = new RegExp(`[${WIDE_CLASS}]|\\s+|[^\\s${WIDE_CLASS}]+`, "gu");
const LATIN_EM = 0.56;
const widthEm = (text: string, latinEm: number) => [...text].reduce((w, ch) => w + (WIDE.test(ch) ? 1 : latinEm), 0);

/**
 * Splits text into lines of at most `maxEm` ems: between words, or between any two wide
 * characters; a longer word is cut. `latinEm` is a narrow character's width (0.6 in monospace).
 */
export function wrapText(text: string, maxEm: number, latinEm = LATIN_EM): string[] {
  const lines: string[] = [];
  let line = "";
  for (const unit of text.match(UNITS) ?? []) {
    if (/^\s+$/.test(unit)) {
      if (line !== "") line += " ";
      continue;
    }
    if (widthEm(line + unit, latinEm) <= maxEm) {
      line += unit;
      continue;
    }
    if (line.trim() !== "") lines.push(line.trimEnd());
    line = "";
    for (const ch of unit) {
      if (line !== "" && widthEm(line + ch, latinEm) > maxEm) {
        lines.push(line);
        line = "";
      }
      line += ch;
    }
  }
  if (line.trim() !== "") lines.push(line.trimEnd());
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Layout, in millimetres on an A4 page: a red band with the title, the place, the code with
// its link beneath, how to report, and the office at the foot. The code takes the height the
// words leave, within bounds, so a long site name or link shrinks it rather than the page
// running over.

const PAGE_W = 210;
const PAGE_H = 297;
const MARGIN = 15;
const TEXT_W = PAGE_W - 2 * MARGIN;
const BAND_H = 44;
const QR_MAX = 120;
const QR_MIN = 60;
const GAP = 5;
const LEADING = 1.3;
/** A monospace character is 0.6 em wide in the usual monospace fonts. */
const MONO_EM = 0.6;
const URL_SIZE = 2.8;

const SANS = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei','Heiti SC',sans-serif";
const MONO = "'DejaVu Sans Mono',Menlo,Consolas,monospace";
const INK = "#1f2937";
const MUTED = "#4b5563";
const BAND = "#b91c1c";

interface Line {
  text: string;
  size: number;
  bold?: boolean;
  colour?: string;
  mono?: boolean;
}

/** Wrapped lines of one style. */
const block = (text: string, style: Omit<Line, "text">): Line[] =>
  wrapText(text, TEXT_W / style.size, style.mono ? MONO_EM : LATIN_EM).map((line) => ({
    ...style,
    text: line,
  }));

/** Empty space between blocks, as a line with nothing to draw. */
const space = (height: number): Line => ({ text: "", size: height / LEADING });

const heightOf = (lines: readonly Line[]) => lines.reduce((h, l) => h + l.size * LEADING, 0);

/** Draws lines centred from `top` down; returns the SVG and where the next thing may start. */
function drawLines(lines: readonly Line[], top: number): { svg: string; bottom: number } {
  let y = top;
  const svg = lines.flatMap((l) => {
    y += l.size * LEADING;
    if (l.text === "") return [];
    const baseline = y - l.size * (LEADING - 1) - l.size * 0.12;
    const font = l.mono ? ` font-family="${MONO}"` : "";
    const weight = l.bold ? ` font-weight="bold"` : "";
    return `<text x="${PAGE_W / 2}" y="${mm(baseline)}" font-size="${l.size}"${font}${weight} fill="${l.colour ?? INK}">${escapeXml(l.text)}</text>`;
  });
  return { svg: svg.join("\n"), bottom: y };
}

const mm = (n: number) => Number(n.toFixed(2));

/** The A4 poster as an SVG document. */
export function posterSvg(input: PosterInput, modules: readonly (readonly boolean[])[], translate: (locale: Locale) => Translate): string {
  const zh = translate("zh-CN");
  const en = translate("en");
  /** A line in Chinese, and the same in English, smaller, beneath it. */
  const both = (key: string, zhSize: number, enSize: number, args: { zh?: Record<string, string>; en?: Record<string, string> } = {}): Line[] => [
    ...block(zh(key, args.zh), { size: zhSize }),
    ...block(en(key, args.en), { size: enSize, colour: MUTED }),
  ];

  const title = [
    ...block(zh("poster-title"), { size: 14, bold: true, colour: "#ffffff" }),
    ...block(en("poster-title"), { size: 7, colour: "#ffffff" }),
  ];
  const place = [
    ...block(input.region.nameZh, { size: 11, bold: true }),
    ...block(input.region.nameEn, { size: 5.5, colour: MUTED }),
    ...(input.sector
      ? [space(2), ...both("poster-sector", 6, 4.2, { zh: { sector: input.sector.nameZh }, en: { sector: input.sector.nameEn } })]
      : []),
    // A site's name in Chinese is not printed twice: under the Chinese line, an English label over the same name tells nothing more.
    ...(input.site === undefined
      ? []
      : WIDE.test(input.site)
        ? [space(2), ...block(zh("poster-site", { site: input.site }), { size: 6 })]
        : [space(2), ...both("poster-site", 6, 4.2, { zh: { site: input.site }, en: { site: input.site } })]),
  ];
  const link = [...both("poster-link", 3.8, 3.2), ...block(printedUrl(input.url), { size: URL_SIZE, mono: true })];
  const steps = ["poster-step-scan", "poster-step-anonymous", "poster-step-reward"].flatMap((key, i) => [
    ...(i > 0 ? [space(2)] : []),
    ...both(key, 5, 3.8),
  ]);
  const foot = input.office
    ? [...block(input.office.nameZh, { size: 5, bold: true }), ...block(input.office.nameEn, { size: 3.8, colour: MUTED })]
    : [];

  const placeTop = BAND_H + 2 * GAP;
  const below = heightOf(link) + GAP + heightOf(steps) + (foot.length > 0 ? GAP + heightOf(foot) : 0) + MARGIN;
  const qrTop = placeTop + heightOf(place) + GAP;
  const qrSide = Math.max(QR_MIN, Math.min(QR_MAX, PAGE_H - qrTop - GAP - below));
  const module = qrSide / (modules.length + 2 * QUIET_ZONE);
  const qrLeft = (PAGE_W - qrSide) / 2;

  const drawnTitle = drawLines(title, (BAND_H - heightOf(title)) / 2);
  const drawnPlace = drawLines(place, placeTop);
  const drawnLink = drawLines(link, qrTop + qrSide + GAP);
  const drawnSteps = drawLines(steps, drawnLink.bottom + GAP);
  const drawnFoot = drawLines(foot, Math.max(drawnSteps.bottom + GAP, PAGE_H - MARGIN - heightOf(foot)));

  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE_W}mm" height="${PAGE_H}mm" viewBox="0 0 ${PAGE_W} ${PAGE_H}">`,
    `<title>${escapeXml(`${zh("poster-title")} ${input.region.nameZh}`)}</title>`,
    `<rect width="${PAGE_W}" height="${PAGE_H}" fill="#ffffff"/>`,
    `<rect width="${PAGE_W}" height="${BAND_H}" fill="${BAND}"/>`,
    `<g font-family="${SANS}" text-anchor="middle">`,
    drawnTitle.svg,
    drawnPlace.svg,
    drawnLink.svg,
    drawnSteps.svg,
    drawnFoot.svg,
    `</g>`,
    `<g transform="translate(${mm(qrLeft)} ${mm(qrTop)}) scale(${module.toFixed(4)})">`,
    `<rect width="${modules.length + 2 * QUIET_ZONE}" height="${modules.length + 2 * QUIET_ZONE}" fill="#ffffff"/>`,
    `<path transform="translate(${QUIET_ZONE} ${QUIET_ZONE})" shape-rendering="crispEdges" fill="#000000" d="${qrPath(modules)}"/>`,
    `</g>`,
    `</svg>`,
    "",
  ].join("\n");
}
