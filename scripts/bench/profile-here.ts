/**
 * A CPU profile of some work in this very process (node:inspector), summarized by
 * cpu-profile.ts: for a section that measures in-process (tick, reports) and wants to say
 * what bounds a figure without starting another process.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ProfileSummary, summarizeProfile } from "./cpu-profile";

/** Runs `work` `times` times under the V8 sampling profiler and summarizes where the CPU went. */
export async function profileHere(work: () => Promise<unknown>, times: number, top = 12): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  const dir = mkdtempSync(join(tmpdir(), "hazardline-profile-"));
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 200 });
    await session.post("Profiler.start");
    for (let i = 0; i < times; i++) await work();
    const { profile } = await session.post("Profiler.stop");
    // The inspector's own call (Profiler.stop writing the profile) is sampled as a native
    // `dispatch`: not the work's, so counted as idle, which the summary leaves out.
    const own = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "dispatch" && n.callFrame.url === "").map((n) => n.id));
    const idle = Math.max(...profile.nodes.map((n) => n.id)) + 1;
    profile.nodes.push({ id: idle, callFrame: { functionName: "(idle)", scriptId: "0", url: "", lineNumber: -1, columnNumber: -1 } });
    profile.samples = profile.samples?.map((id) => (own.has(id) ? idle : id));
    const file = join(dir, "work.cpuprofile");
    writeFileSync(file, JSON.stringify(profile));
    return summarizeProfile(file, { top });
  } finally {
    session.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}
