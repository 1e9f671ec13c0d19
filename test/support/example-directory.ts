/**
 * examples/directory.yaml as shipped, which binds no group and no person, and as an office
 * has it once its groups and staff are bound: the same file with its commented-out
 * `members:`, `chats:` and `schedules:` samples taken in. Tests that need bound chats use
 * the second; the samples in the file are what they import, so the file shows a form that works.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const EXAMPLE_FILE = fileURLToPath(new URL("../../examples/directory.yaml", import.meta.url));
export const example = readFileSync(EXAMPLE_FILE, "utf8");

const SAMPLE = /^# (?:members|chats|schedules):\n(?:# {3}- .*\n)+/gm;

/** The example with its sample members, chats and reminders uncommented. */
export function withSampleBindings(text: string): string {
  const samples = text.match(SAMPLE) ?? [];
  if (samples.length !== 3) throw new Error(`expected the members, chats and schedules samples in the example, found ${samples.length}`);
  return text.replace(SAMPLE, (block) => block.replace(/^# /gm, ""));
}

export const boundExample = withSampleBindings(example);
