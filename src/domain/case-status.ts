/**
 * What a citizen may see of a case: its status and a public timeline built from the
 * append-only events. Internal steps (notes, links between cases, extension requests, who
 * in an office holds the case) never appear; an office is named, a person never is.
 */

export type PublicStep = "received" | "assigned" | "in_progress" | "resolved" | "answered" | "closed" | "rejected";

export interface TimelineEntry {
  at: number;
  step: PublicStep;
  /** The office now responsible, for "assigned". */
  unitId?: string;
  /** The full reason, for "rejected" (the one-time complete notice). */
  reason?: string;
}

export interface EventLike {
  at: number;
  action: string;
  data: unknown;
}

/**
 * The event actions the workflow writes and what each means to the citizen. An action not
 * listed here is internal and stays out of the public timeline.
 */
const PUBLIC_ACTIONS: Record<string, PublicStep> = {
  submitted: "received",
  assigned: "assigned",
  transfer_accepted: "assigned",
  accepted: "in_progress",
  sent_back: "in_progress",
  resolved: "resolved",
  answered: "answered",
  closed: "closed",
  rejected: "rejected",
};

const field = (data: unknown, name: string): string | undefined => {
  const value = (data as Record<string, unknown> | null)?.[name];
  return typeof value === "string" && value !== "" ? value : undefined;
};

export function publicTimeline(events: readonly EventLike[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const event of events) {
    const step = PUBLIC_ACTIONS[event.action];
    if (step === undefined) continue;
    const entry: TimelineEntry = { at: event.at, step };
    if (step === "assigned") {
      const unitId = field(event.data, "unitId");
      if (unitId === undefined) continue; // an assignment to a person inside the same office
      entry.unitId = unitId;
    }
    if (step === "rejected") entry.reason = field(event.data, "reason");
    // A repeat of the same step (re-assigned to the same office) says nothing new.
    const last = entries.at(-1);
    if (last && last.step === entry.step && last.unitId === entry.unitId && step !== "rejected") continue;
    entries.push(entry);
  }
  return entries;
}
