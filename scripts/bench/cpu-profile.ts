/**
 * Reads a V8 .cpuprofile (what `node --cpu-prof` writes at exit) and says where the time
 * went: self time by function, and by area (our code by folder, each npm package, Node's
 * internals, the garbage collector), and busy time by the nearest function of our own on the
 * stack (what of ours asked for the library's or Node's work). Idle time is left out, so
 * shares are of busy time.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  busyMs: number;
  /** Time the main thread's sampler found it waiting for something to do (V8's "(idle)"). */
  idleMs: number;
  functions: ProfileShare[];
  areas: ProfileShare[];
  /** Busy time by the innermost frame of our own code on the sample's stack: a library's time counts to the function of ours that called it. */
  owners: ProfileShare[];
}

/** Where a script URL belongs: `pkg:grammy`, `src/services`, `node internals`… */
function areaOf(url: string, functionName: string): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "native";
  if (url.startsWith("node:")) return "node internals";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `pkg:${pkg[1]}`;
  const ours = /\/(src\/[^/]+|handlers|db)\//.exec(url) ?? /\/(src)\/[^/]+$/.exec(url);
  return ours ? ours[1]! : url.replace(/^file:\/\//, "");
}

/** Our own code: the compiled bundle (dist/*.mjs) or the sources under tsx. */
const isOwn = (url: string) => /\/dist\/[^/]+\.mjs$/.test(url) || /\/(src|handlers|db)\//.test(url);

function shortUrl(url: string): string {
  const pkg = /node_modules\/(.+)$/.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/((?:src|handlers|db|scripts)\/.+)$/.exec(url);
  return ours ? ours[1]! : url.replace(/^node:/, "node:");
}

/** `lastMs`: only the samples of the profile's last moments (the measured run, not start-up). */
export function summarizeProfile(file: string, opts: { top?: number; lastMs?: number } = {}): ProfileSummary {
  const top = opts.top ?? 15;
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  const ownerOf = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      if (isOwn(url)) return `${functionName || "(anonymous)"} ${shortUrl(url)}:${lineNumber + 1}`;
    }
    return "(no frame of ours: Node, a library's timers, the collector)";
  };
  const self = new Map<number, number>();
  const from = opts.lastMs === undefined ? -Infinity : profile.endTime - opts.lastMs * 1000;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= from) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });

  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  const owners = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") {
      idle += micros;
      continue;
    }
    busy += micros;
    const name = url === "" ? functionName || "(anonymous)" : `${functionName || "(anonymous)"} ${shortUrl(url)}:${lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + micros);
    const owner = ownerOf(id);
    owners.set(owner, (owners.get(owner) ?? 0) + micros);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, ms: micros / 1000, share: busy > 0 ? micros / busy : 0 }));
  return { busyMs: busy / 1000, idleMs: idle / 1000, functions: rank(functions), areas: rank(areas), owners: rank(owners) };
}

const fmtShare = (s: number) => `${(s * 100).toFixed(1)} %`;

/** Three small Markdown tables: areas, functions, then our own functions with what they called. */
export function profileMarkdown(p: ProfileSummary): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  return [
    `Busy CPU in the profile: ${Math.round(p.busyMs)} ms; the main thread idle for ${fmtShare(p.idleMs / (p.busyMs + p.idleMs))} of the profiled time.`,
    "",
    "| area (self time) | share |",
    "|---|---:|",
    ...p.areas.map((a) => `| ${cell(a.name)} | ${fmtShare(a.share)} |`),
    "",
    "| function (self time) | share |",
    "|---|---:|",
    ...p.functions.map((f) => `| \`${cell(f.name)}\` | ${fmtShare(f.share)} |`),
    "",
    "| our innermost function on the stack (with the libraries it called) | share |",
    "|---|---:|",
    ...p.owners.map((f) => `| \`${cell(f.name)}\` | ${fmtShare(f.share)} |`),
  ].join("\n");
}
