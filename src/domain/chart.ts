/**
 * The leaders' digest's trend chart: cases opened and closed per day, drawn as a PNG on the
 * server. Pure and runtime-free (no font, no canvas, no file system), so Node and Workers
 * produce the same bytes for the same days.
 *
 * Why our own raster: Workers have neither a canvas nor a font. A WASM SVG renderer
 * (resvg-wasm) plus a font is about 1 MiB gzip — three times the whole Worker — for a chart
 * that is rectangles and digits. So the chart is drawn straight into a pixel buffer with
 * axis-aligned rectangles and a bitmap font of only the glyphs it needs, and encoded by
 * fast-png (pure JS over fflate). Flat colours without anti-aliasing also compress well.
 *
 * The buffer holds one palette index per pixel (an indexed PNG) rather than RGB: the chart has
 * six colours, a rectangle is a `fill` per row, and fast-png deflates a third of the bytes —
 * about 3 ms instead of 11 ms for 720x360 here, which matters under a Worker's CPU limit.
 *
 * The words (what the colours mean, the title) are not in the image: they are the caption,
 * written by the caller in the reader's language. The image holds only digits.
 */
import { encode } from "fast-png";

export interface TrendDay {
  /** YYYY-MM-DD, the office calendar's day. */
  date: string;
  /** Cases opened that day (a count; anything not a finite number >= 0 is drawn as 0). */
  opened: number;
  /** Cases closed that day. */
  closed: number;
}

export interface TrendChartOptions {
  width?: number;
  height?: number;
}

type Rgb = readonly [number, number, number];

/**
 * The chart's colours, so the caption can name the bars' colours and tests can find them.
 * `opened` is blue, `closed` is green; neither is used for anything but its bars and its
 * legend square. In this order they are the PNG's palette.
 */
export const CHART_COLOURS = {
  background: [255, 255, 255],
  grid: [229, 231, 235],
  axis: [156, 163, 175],
  text: [55, 65, 81],
  opened: [37, 99, 235],
  closed: [22, 163, 74],
} as const satisfies Record<string, Rgb>;

type Colour = keyof typeof CHART_COLOURS;
const PALETTE_ORDER = Object.keys(CHART_COLOURS) as Colour[];
const INDEX = Object.fromEntries(PALETTE_ORDER.map((name, i) => [name, i])) as Record<Colour, number>;

export const DEFAULT_CHART_WIDTH = 720;
export const DEFAULT_CHART_HEIGHT = 360;
const MIN_SIDE = 200;
const MAX_SIDE = 2000;

// ---------------------------------------------------------------------------------------------
// Bitmap font. Our own rather than a font file: a 5x7 cell for exactly the characters a chart of
// counts and dates shows is a few hundred bytes, where a font plus a renderer to rasterise it
// would be about 1 MiB gzip on Workers. Punctuation is narrower than digits so that "12,345"
// and "03-14" stay compact. '#' is ink. The comma has an eighth row, below the baseline like a
// printed comma's tail, so that "15,000" cannot be read as "15.000".

const GLYPH_ROWS = 7;
const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  "0": [".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."],
  "1": ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
  "2": [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
  "3": ["#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."],
  "4": ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
  "5": ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
  "6": ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."],
  "7": ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
  "8": [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
  "9": [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."],
  "-": ["...", "...", "...", "###", "...", "...", "..."],
  "/": ["....#", "....#", "...#.", "..#..", ".#...", "#....", "#...."],
  ",": ["..", "..", "..", "..", "..", "##", ".#", "#."],
  ".": ["..", "..", "..", "..", "..", "##", "##"],
  ":": ["..", "##", "##", "..", "##", "##", ".."],
  "%": ["##...", "##..#", "...#.", "..#..", ".#...", "#..##", "...##"],
};

/** Every glyph cell is drawn as SCALE x SCALE pixels: 7 rows become 14 px, legible on a phone. Layout counts 7 rows. */
const SCALE = 2;
const TEXT_HEIGHT = GLYPH_ROWS * SCALE;

function glyph(ch: string): readonly string[] {
  const g = GLYPHS[ch];
  if (!g) throw new RangeError(`chart font has no glyph for ${JSON.stringify(ch)}`);
  return g;
}

/** Width in pixels of `text` as drawText draws it (one empty column between glyphs). */
function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += (glyph(ch)[0]!.length + 1) * SCALE;
  return Math.max(0, w - SCALE);
}

// ---------------------------------------------------------------------------------------------
// Raster: one palette index per pixel (0, the background, to start with) and the four things
// the chart draws with. Everything is clipped to the image, so a layout that runs over an edge
// loses pixels rather than writing into the next row.

interface Raster {
  width: number;
  height: number;
  data: Uint8Array;
}

function createRaster(width: number, height: number): Raster {
  return { width, height, data: new Uint8Array(width * height).fill(INDEX.background) };
}

function fillRect(r: Raster, x: number, y: number, w: number, h: number, colour: Colour): void {
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  const x1 = Math.min(r.width, x + w);
  const y1 = Math.min(r.height, y + h);
  if (x1 <= x0) return;
  for (let yy = y0; yy < y1; yy++) r.data.fill(INDEX[colour], yy * r.width + x0, yy * r.width + x1);
}

function hline(r: Raster, x0: number, x1: number, y: number, colour: Colour): void {
  fillRect(r, x0, y, x1 - x0 + 1, 1, colour);
}

function vline(r: Raster, x: number, y0: number, y1: number, colour: Colour): void {
  fillRect(r, x, y0, 1, y1 - y0 + 1, colour);
}

/** Draws `text` with its top-left corner at (x, y). */
function drawText(r: Raster, text: string, x: number, y: number, colour: Colour): void {
  let cx = x;
  for (const ch of text) {
    const rows = glyph(ch);
    rows.forEach((row, gy) => {
      for (let gx = 0; gx < row.length; gx++) {
        if (row[gx] === "#") fillRect(r, cx + gx * SCALE, y + gy * SCALE, SCALE, SCALE, colour);
      }
    });
    cx += (rows[0]!.length + 1) * SCALE;
  }
}

// ---------------------------------------------------------------------------------------------
// Numbers and scale.

/** 12345 -> "12,345". Our own grouping rather than toLocaleString, so no runtime's locale data matters. */
export function formatCount(n: number): string {
  const digits = String(Math.trunc(Math.abs(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return n < 0 ? `-${grouped}` : grouped;
}

/**
 * The y axis for counts up to `max`: a step of 1, 2 or 5 × 10^n giving about five intervals
 * (never less than 1: counts are whole), and the axis top, the first multiple of the step at or
 * above max. All zeros (or nothing) give 0..1, so nothing is divided by zero.
 */
export function niceAxis(max: number, targetIntervals = 5): { step: number; top: number } {
  if (!(max > 0)) return { step: 1, top: 1 };
  const raw = max / targetIntervals;
  let step = 1;
  for (let magnitude = 1; step < raw; magnitude *= 10) {
    for (const m of [1, 2, 5]) {
      step = m * magnitude;
      if (step >= raw) break;
    }
  }
  return { step, top: Math.ceil(max / step) * step };
}

function count(v: number): number {
  return Number.isFinite(v) && v > 0 ? Math.round(v) : 0;
}

const DATE = /^\d{4}-(\d{2}-\d{2})$/;

// ---------------------------------------------------------------------------------------------
// Layout, in pixels. The legend (two squares, top right) sits above the plot, with room between
// them for a value label over a bar that reaches the top of the axis.

const PAD = 12;
const LEGEND_SIZE = 12;
const LEGEND_GAP = 6;
const LABEL_GAP = 3; // between a bar's top and its value
const PLOT_TOP = PAD + LEGEND_SIZE + LABEL_GAP + TEXT_HEIGHT + 6;
const X_LABEL_GAP = 6; // between the baseline and the dates
const Y_LABEL_GAP = 8; // between the tick values and the plot
/** A lone bar as wide as a fortnight's slot would read as a block, not a bar. */
const MAX_BAR_WIDTH = 40;

/**
 * Draws the days as pairs of bars (opened, closed) over a grid with round tick values, the
 * date under each day (or every second, third … day when they would touch, always including
 * the last day) and each bar's value above it where it fits. Returns PNG bytes.
 */
export function trendChartPng(days: TrendDay[], opts: TrendChartOptions = {}): Uint8Array {
  const width = opts.width ?? DEFAULT_CHART_WIDTH;
  const height = opts.height ?? DEFAULT_CHART_HEIGHT;
  for (const [name, side] of [
    ["width", width],
    ["height", height],
  ] as const) {
    if (!Number.isInteger(side) || side < MIN_SIDE || side > MAX_SIDE) {
      throw new RangeError(`chart ${name} must be a whole number from ${MIN_SIDE} to ${MAX_SIDE}: ${side}`);
    }
  }
  const series = days.map((d) => {
    const m = DATE.exec(d.date);
    if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(d.date)}`);
    return { label: m[1]!, opened: count(d.opened), closed: count(d.closed) };
  });

  const r = createRaster(width, height);
  const { step, top } = niceAxis(Math.max(0, ...series.flatMap((d) => [d.opened, d.closed])));

  const ticks: number[] = [];
  for (let t = 0; t <= top; t += step) ticks.push(t);
  const tickLabels = ticks.map(formatCount);
  const plotLeft = PAD + Math.max(...tickLabels.map(textWidth)) + Y_LABEL_GAP;
  const plotRight = width - PAD;
  const plotBottom = height - PAD - TEXT_HEIGHT - X_LABEL_GAP; // the baseline's row
  const plotHeight = plotBottom - PLOT_TOP;
  const yOf = (v: number) => plotBottom - Math.round((v / top) * plotHeight);

  // Legend: opened then closed, in the order of the bars.
  const legendX = width - PAD - 2 * LEGEND_SIZE - LEGEND_GAP;
  fillRect(r, legendX, PAD, LEGEND_SIZE, LEGEND_SIZE, "opened");
  fillRect(r, legendX + LEGEND_SIZE + LEGEND_GAP, PAD, LEGEND_SIZE, LEGEND_SIZE, "closed");

  ticks.forEach((t, i) => {
    const y = yOf(t);
    if (t > 0) hline(r, plotLeft, plotRight, y, "grid");
    const label = tickLabels[i]!;
    drawText(r, label, plotLeft - Y_LABEL_GAP - textWidth(label), y - TEXT_HEIGHT / 2, "text");
  });

  const n = series.length;
  const slot = (plotRight - plotLeft + 1) / Math.max(1, n);
  // Dates: every k-th day from the last backwards, k the smallest that keeps them apart.
  const dateWidth = textWidth("00-00");
  const dateEvery = Math.max(1, Math.ceil((dateWidth + 2 * SCALE * 3) / slot));

  series.forEach((d, i) => {
    const slotLeft = plotLeft + i * slot;
    const mid = Math.round(slotLeft + slot / 2);
    const innerGap = slot >= 16 ? 2 : 0;
    const groupGap = Math.max(2, Math.round(slot * 0.25));
    const barWidth = Math.max(1, Math.min(MAX_BAR_WIDTH, Math.floor((slot - groupGap - innerGap) / 2)));
    const openedX = mid - Math.ceil(innerGap / 2) - barWidth;
    const closedX = mid + Math.floor(innerGap / 2);

    // A value label may use its half of the slot (the opened one left of the pair's middle, the
    // closed one right of it) but never the neighbouring day's, so labels never touch.
    const bounds = { left: Math.ceil(slotLeft + 1), right: Math.floor(slotLeft + slot - 1) };
    for (const [value, x, colour, side] of [
      [d.opened, openedX, "opened", "left"],
      [d.closed, closedX, "closed", "right"],
    ] as const) {
      if (value === 0) continue;
      const barTop = yOf(value);
      fillRect(r, x, barTop, barWidth, plotBottom - barTop, colour);
      const label = formatCount(value);
      const w = textWidth(label);
      let lx = Math.round(x + barWidth / 2 - w / 2);
      if (side === "left") lx = Math.max(bounds.left, Math.min(lx, mid - 1 - w));
      else lx = Math.min(bounds.right - w, Math.max(lx, mid + 1));
      const fits = side === "left" ? lx + w <= mid - 1 : lx >= mid + 1;
      if (fits && lx >= bounds.left && lx + w <= bounds.right) {
        drawText(r, label, lx, barTop - LABEL_GAP - TEXT_HEIGHT, "text");
      }
    }

    if ((n - 1 - i) % dateEvery === 0) {
      const x = Math.min(width - 1 - dateWidth, Math.max(1, mid - Math.round(dateWidth / 2)));
      drawText(r, d.label, x, plotBottom + 1 + X_LABEL_GAP, "text");
    }
  });

  // The axes last, over the ends of the grid lines.
  hline(r, plotLeft, plotRight, plotBottom, "axis");
  vline(r, plotLeft, PLOT_TOP, plotBottom, "axis");

  const palette = PALETTE_ORDER.map((name) => [...CHART_COLOURS[name]]);
  return encode({ width, height, data: r.data, channels: 1, depth: 8, palette });
}
