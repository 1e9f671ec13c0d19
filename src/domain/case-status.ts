/**
 * What a citizen may see of a case: its status and a public timeline built from the
 * append-only events. Internal steps (notes, links between cases, extension requests, who
 * in an office holds the case) never appear; an office is named, a person never is.
 */
import { maskPersonalData } from "./redact";
import type { EventType, WorkflowEvent } from "./workflow";

export type PublicStep =
  | "received"
  | "assigned"
  | "in_progress"
  | "resolved"
  | "answered"
  | "closed"
  | "rejected"
  | "asked"
  | "supplemented"
  | "reopened"
  | "follow_up";

export interface TimelineEntry {
  at: number;
  step: PublicStep;
  /** The office now responsible, for "assigned". */
  unitId?: string;
  /** The full reason, for "rejected" (the one-time complete notice). */
  reason?: string;
  /**
   * The office's words to the reporter: the answer to a question, or what it asked them. The
   * chat sends these as messages of their own; the web's status page, with no chat, shows them here.
   */
  words?: string;
}

/** An event of the case with when it happened, as publicTimeline reads it. */
export type TimedEvent = WorkflowEvent & { at: number };

/**
 * What each event means to the citizen; null: internal, left out of the public timeline.
 * A Record over the event types, so a new type cannot be added without deciding this.
 */
const PUBLIC_STEP: Record<EventType, PublicStep | null> = {
  submitted: "received",
  assigned: "assigned",
  transfer_accepted: "assigned",
  accepted: "in_progress",
  sent_back: "in_progress",
  resolved: "resolved",
  answered: "answered",
  closed: "closed",
  rejected: "rejected",
  severity_set: null,
  deadline_set: null,
  merged: null,
  duplicate_dismissed: null,
  supervised: null,
  transfer_requested: null,
  transfer_refused: null,
  progress: null,
  extension_requested: null,
  extension_granted: null,
  extension_refused: null,
  rated: null,
  rating_comment: null,
  // The office asked for more, and the reporter sent it: told without naming who asked.
  reporter_asked: "asked",
  reporter_replied: "supplemented",
  material_added: "supplemented",
  reopened: "reopened",
  follow_up_asked: "follow_up",
  reporter_erased: null,
};

export function publicTimeline(events: readonly TimedEvent[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const event of events) {
    const step = PUBLIC_STEP[event.action];
    if (step === null) continue;
    const entry: TimelineEntry = { at: event.at, step };
    if (event.action === "assigned" || event.action === "transfer_accepted" || event.action === "reopened") entry.unitId = event.data.unitId;
    if (event.action === "rejected") entry.reason = event.data.reason;
    if (event.action === "answered") entry.words = event.data.text;
    if (event.action === "reporter_asked") entry.words = event.data.question;
    // A repeat of the same step (re-assigned to the same office) says nothing new.
    const last = entries.at(-1);
    if (last && last.step === entry.step && last.unitId === entry.unitId && step !== "rejected") continue;
    entries.push(entry);
  }
  return entries;
}

/** Steps that concern only the reporter (what they were asked, what they sent): left out of what the office publishes. */
const REPORTER_STEPS: ReadonlySet<PublicStep> = new Set(["asked", "supplemented", "follow_up"]);

/**
 * The timeline as the office publishes it for anyone to read: the office's steps only, never
 * its words to the reporter, and a rejection's reason with phone and ID numbers masked.
 */
export function publishedTimeline(entries: readonly TimelineEntry[]): TimelineEntry[] {
  return entries
    .filter((e) => !REPORTER_STEPS.has(e.step))
    .map(({ words: _words, ...e }) => (e.reason === undefined ? e : { ...e, reason: maskPersonalData(e.reason) }));
}
