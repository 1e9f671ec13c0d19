import { writeFileSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { decode } from "fast-png";
import { describe, expect, it } from "vitest";
import { CHART_COLOURS, formatCount, niceAxis, type TrendDay, trendChartPng } from "../../src/domain/chart";

// ---------------------------------------------------------------------------------------------
// An independent look at the PNG: our own chunk walk and CRC-32 (ISO 3309, as the PNG spec
// gives it), and node:zlib for the image data, so a bug shared by fast-png's encoder and decoder
// cannot hide.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

interface Chunk {
  type: string;
  data: Uint8Array;
  crcOk: boolean;
}

function chunks(png: Uint8Array): Chunk[] {
  expect([...png.subarray(0, 8)]).toEqual(SIGNATURE);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    out.push({
      type: String.fromCharCode(...typeAndData.subarray(0, 4)),
      data: typeAndData.subarray(4),
      crcOk: crc32(typeAndData) === view.getUint32(at + 8 + length),
    });
    at += 12 + length;
  }
  return out;
}

/** Checks the file structure and returns IHDR's numbers and the inflated scanlines' length. */
function inspect(png: Uint8Array) {
  const list = chunks(png);
  expect(list.every((c) => c.crcOk)).toBe(true);
  expect(list[0]!.type).toBe("IHDR");
  expect(list.at(-1)!.type).toBe("IEND");
  const ihdr = new DataView(list[0]!.data.buffer, list[0]!.data.byteOffset, 13);
  const idat = list.filter((c) => c.type === "IDAT").map((c) => c.data);
  const joined = new Uint8Array(idat.reduce((n, d) => n + d.length, 0));
  let at = 0;
  for (const d of idat) {
    joined.set(d, at);
    at += d.length;
  }
  return {
    width: ihdr.getUint32(0),
    height: ihdr.getUint32(4),
    bitDepth: ihdr.getUint8(8),
    colourType: ihdr.getUint8(9),
    scanlineBytes: inflateSync(joined).length,
  };
}

// ---------------------------------------------------------------------------------------------
// Pixels, through fast-png's decoder and the palette.

type ColourName = keyof typeof CHART_COLOURS;

function image(png: Uint8Array) {
  const d = decode(png);
  const rgb = (x: number, y: number): readonly number[] => {
    const i = y * d.width + x;
    if (d.palette) return d.palette[d.data[i]!]!;
    return Array.from(d.data.subarray(i * d.channels, i * d.channels + 3));
  };
  const is = (x: number, y: number, name: ColourName) => {
    const [r, g, b] = rgb(x, y);
    const want = CHART_COLOURS[name];
    return r === want[0] && g === want[1] && b === want[2];
  };
  return { width: d.width, height: d.height, is };
}

type Img = ReturnType<typeof image>;

function pixelsOf(img: Img, name: ColourName): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) if (img.is(x, y, name)) out.push([x, y]);
  return out;
}

interface Bar {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * The bars of one colour, left to right: vertical runs of that colour that all end on the same
 * row (the one above the baseline), merged across adjacent columns. The legend square ends
 * higher, so it is not one of them.
 */
function bars(img: Img, name: ColourName): Bar[] {
  const runs: Array<{ x: number; top: number; bottom: number }> = [];
  for (let x = 0; x < img.width; x++) {
    for (let y = 0; y < img.height; y++) {
      if (!img.is(x, y, name)) continue;
      const top = y;
      while (y + 1 < img.height && img.is(x, y + 1, name)) y++;
      runs.push({ x, top, bottom: y });
    }
  }
  const floor = Math.max(...runs.map((r) => r.bottom));
  const out: Bar[] = [];
  for (const r of runs.filter((r) => r.bottom === floor)) {
    const last = out.at(-1);
    if (last && last.right === r.x - 1 && last.top === r.top) last.right = r.x;
    else out.push({ left: r.x, right: r.x, top: r.top, bottom: r.bottom });
  }
  return out;
}

const heightOf = (b: Bar) => b.bottom - b.top + 1;

function textAbove(img: Img, b: Bar, rows: number): boolean {
  for (let y = Math.max(0, b.top - rows); y < b.top; y++) {
    for (let x = b.left; x <= b.right; x++) if (img.is(x, y, "text")) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------

function series(from: string, opened: number[], closed: number[]): TrendDay[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return opened.map((o, i) => ({
    date: new Date(start + i * 86_400_000).toISOString().slice(0, 10),
    opened: o,
    closed: closed[i]!,
  }));
}

const FORTNIGHT = series("2026-03-01", [3, 7, 2, 12, 5, 1, 1, 8, 4, 9, 6, 2, 11, 4], [1, 5, 4, 6, 9, 2, 3, 3, 7, 5, 8, 3, 4, 10]);

describe("trendChartPng: the file", () => {
  const png = trendChartPng(FORTNIGHT);

  if (process.env.CHART_SAMPLE) writeFileSync("/tmp/chart-sample.png", png);

  it("is a PNG whose every chunk has a correct CRC and whose IHDR says 720x360 by default", () => {
    const info = inspect(png);
    expect(info).toMatchObject({ width: 720, height: 360, bitDepth: 8, colourType: 3 });
    // Indexed, 8 bits: each scanline is a filter byte and one byte per pixel.
    expect(info.scanlineBytes).toBe(360 * (1 + 720));
  });

  it("decodes with fast-png to the same size", () => {
    const d = decode(png);
    expect([d.width, d.height]).toEqual([720, 360]);
  });

  it("has the width and height asked for", () => {
    const other = trendChartPng(FORTNIGHT, { width: 1000, height: 480 });
    expect(inspect(other)).toMatchObject({ width: 1000, height: 480 });
    expect(decode(other)).toMatchObject({ width: 1000, height: 480 });
  });

  it("is small for a fortnight (flat colours compress well) yet more than an empty frame", () => {
    const empty = trendChartPng(series("2026-03-01", Array(14).fill(0), Array(14).fill(0)));
    expect(png.length).toBeLessThan(30_000);
    expect(png.length).toBeGreaterThan(empty.length + 1_000);
  });

  it("gives the same bytes for the same days", () => {
    expect(trendChartPng(structuredClone(FORTNIGHT))).toEqual(png);
  });
});

describe("trendChartPng: what it shows", () => {
  it("draws one opened and one closed bar per day, heights in proportion to the counts", () => {
    const img = image(trendChartPng(FORTNIGHT));
    const opened = bars(img, "opened");
    const closed = bars(img, "closed");
    expect(opened).toHaveLength(14);
    expect(closed).toHaveLength(14);
    // Axis 0..15 over the plot's height: every bar within a pixel of value × (pixels per case).
    const perCase = heightOf(opened[3]!) / 12;
    FORTNIGHT.forEach((d, i) => {
      expect(Math.abs(heightOf(opened[i]!) - d.opened * perCase)).toBeLessThanOrEqual(1);
      expect(Math.abs(heightOf(closed[i]!) - d.closed * perCase)).toBeLessThanOrEqual(1);
      // Opened left of closed within the day, the day's pair left of the next day's.
      expect(opened[i]!.right).toBeLessThan(closed[i]!.left);
      if (i > 0) expect(closed[i - 1]!.right).toBeLessThan(opened[i]!.left);
    });
    // The brief's check in plain numbers: day 3 opened 2, day 9 opened 4.
    expect(heightOf(opened[8]!) / heightOf(opened[2]!)).toBeCloseTo(2, 1);
  });

  it("stands every bar on the baseline", () => {
    const img = image(trendChartPng(FORTNIGHT));
    for (const b of [...bars(img, "opened"), ...bars(img, "closed")]) {
      for (let x = b.left; x <= b.right; x++) expect(img.is(x, b.bottom + 1, "axis")).toBe(true);
    }
  });

  it("writes a count above a bar when it fits", () => {
    const img = image(trendChartPng(series("2026-03-05", [3], [1])));
    const [opened] = bars(img, "opened");
    const [closed] = bars(img, "closed");
    expect(textAbove(img, opened!, 20)).toBe(true);
    expect(textAbove(img, closed!, 20)).toBe(true);
  });

  it("leaves a lone day's bars bar-shaped, not as wide as the plot", () => {
    const img = image(trendChartPng(series("2026-03-05", [3], [1])));
    const [opened] = bars(img, "opened");
    expect(opened!.right - opened!.left + 1).toBeLessThanOrEqual(40);
    expect(heightOf(opened!)).toBeGreaterThan(200);
  });

  it("draws no bars for a series of zeros: the colours appear only in the legend squares", () => {
    const img = image(trendChartPng(series("2026-03-01", Array(14).fill(0), Array(14).fill(0))));
    for (const name of ["opened", "closed"] as const) {
      const px = pixelsOf(img, name);
      const xs = px.map(([x]) => x);
      const ys = px.map(([, y]) => y);
      const w = Math.max(...xs) - Math.min(...xs) + 1;
      const h = Math.max(...ys) - Math.min(...ys) + 1;
      // One filled square and nothing else.
      expect(w).toBe(h);
      expect(px).toHaveLength(w * h);
    }
    expect(pixelsOf(img, "text").length).toBeGreaterThan(0); // the axis and the dates are there
  });

  it("renders no days at all as an empty frame", () => {
    expect(inspect(trendChartPng([]))).toMatchObject({ width: 720, height: 360 });
  });

  it("renders 31 days of five-digit counts, bars in proportion, with no count squeezed over a bar", () => {
    const days = series(
      "2026-01-01",
      Array.from({ length: 31 }, (_, i) => 9000 + i * 111),
      Array.from({ length: 31 }, (_, i) => 12_345 - i * 97),
    );
    const png = trendChartPng(days);
    expect(inspect(png)).toMatchObject({ width: 720, height: 360 });
    const img = image(png);
    const opened = bars(img, "opened");
    const closed = bars(img, "closed");
    expect(opened).toHaveLength(31);
    expect(closed).toHaveLength(31);
    // Axis 0..15,000.
    const perCase = heightOf(closed[0]!) / 12_345;
    days.forEach((d, i) => {
      expect(Math.abs(heightOf(opened[i]!) - d.opened * perCase)).toBeLessThanOrEqual(1);
      expect(Math.abs(heightOf(closed[i]!) - d.closed * perCase)).toBeLessThanOrEqual(1);
    });
    // "12,345" is wider than a day's half slot, so no count is written: they would run together.
    for (const b of [...opened, ...closed]) expect(textAbove(img, b, 20)).toBe(false);
  });

  it("treats a negative or non-finite count as zero rather than drawing below the baseline", () => {
    const img = image(
      trendChartPng([
        { date: "2026-03-01", opened: -3, closed: Number.NaN },
        { date: "2026-03-02", opened: 2, closed: 1 },
      ]),
    );
    expect(bars(img, "opened")).toHaveLength(1);
    expect(bars(img, "closed")).toHaveLength(1);
  });

  it("refuses a date that is not YYYY-MM-DD and a size it cannot lay out", () => {
    expect(() => trendChartPng([{ date: "3/1", opened: 1, closed: 1 }])).toThrow(RangeError);
    expect(() => trendChartPng(FORTNIGHT, { width: 50 })).toThrow(RangeError);
    expect(() => trendChartPng(FORTNIGHT, { height: 300.5 })).toThrow(RangeError);
  });
});

describe("niceAxis", () => {
  it.each([
    [0, 1, 1],
    [1, 1, 1],
    [3, 1, 3],
    [7, 2, 8],
    [12, 5, 15],
    [100, 20, 100],
    [12_345, 5_000, 15_000],
  ])("max %i: step %i, top %i", (max, step, top) => {
    expect(niceAxis(max)).toEqual({ step, top });
  });
});

describe("formatCount", () => {
  it("groups thousands with commas", () => {
    expect([0, 999, 1_000, 12_345, 1_000_000].map(formatCount)).toEqual(["0", "999", "1,000", "12,345", "1,000,000"]);
  });
});
