/**
 * A citizen's report or question while it is being written, or a case a dispatcher records for
 * a caller (the intake flow: a phone call, a letter, a visit, a 12345 work order, an assignment
 * from above): the steps of each flow, what comes next, and the whole-draft check made before
 * anything is stored (the one-time complete notice: every problem at once, not one at a time).
 * Pure: the services keep drafts in hot state.
 */
import { DOORS, type StaffSource } from "./doors";
import type { LatLng } from "./geo";

export type Flow = "report" | "ask" | "intake";
/** A task is only ever an assignment from above, recorded by staff. */
export type ReportKind = "hazard" | "violation" | "consultation" | "task";

/** Every step a draft can be on, in the order a draft meets them. */
export const STEPS = [
  "source",
  "reference",
  "kind",
  "sector",
  "place",
  "address",
  "description",
  "media",
  "urgency",
  "identity",
  "caller",
  "contact",
  "reward",
  "summary",
] as const;
export type Step = (typeof STEPS)[number];

/** The kinds of file kept as evidence; see media.ts for what is taken. */
export const MEDIA_KINDS = ["photo", "video", "voice", "document"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export interface MediaItem {
  kind: MediaKind;
  fileId: string;
  fileUniqueId: string;
  /** Bytes, known for a file uploaded straight into the archive (src/domain/media.ts, archiveMedia). */
  size?: number;
}

export interface Draft {
  /** Random; becomes the case's submission id, so one draft makes at most one case. */
  id: string;
  flow: Flow;
  step: Step;
  /** Set when a field is being changed from the summary: the next step is the summary. */
  editing: boolean;
  kind?: ReportKind;
  sectorId?: string;
  regionId?: string;
  location?: LatLng;
  address?: string;
  description?: string;
  media: MediaItem[];
  urgent?: boolean;
  anonymous?: boolean;
  phone?: string;
  reward?: boolean;
  /** Intake only: the door it reached the office by, the sender's own number for it, and the caller's name when named. */
  source?: StaffSource;
  reference?: string;
  name?: string;
  startedAt: number;
  /**
   * The Telegram update whose change this draft last kept. The update guard marks an update
   * done only after its handler returns, so a crash in between brings the same update back to
   * a draft that already holds its change: it is answered as it was the first time, not applied again.
   */
  lastUpdate?: number;
}

export const MAX_MEDIA = 10;
export const MIN_DESCRIPTION = 10;
/** A Telegram message holds 4096 characters; the description is one message. */
export const MAX_DESCRIPTION = 4096;
export const MAX_ADDRESS = 200;
export const MAX_NAME = 50;

/** A typed field as a draft keeps it: NFC, trimmed, cut to `max`; nothing typed is undefined. The web form, Open311 and the console read fields so. */
export function cleanText(value: string | undefined, max: number): string | undefined {
  const trimmed = value?.normalize("NFC").trim();
  return trimmed ? trimmed.slice(0, max) : undefined;
}
export const DRAFT_TTL_MS = 24 * 60 * 60_000;

/**
 * The steps of each flow in order; "contact" is only visited by a named reporter, "caller" by
 * a named caller, "reference" by a door that has one, "kind" and "reward" not by an
 * assignment from above (always a task, with no reward to claim).
 */
export const FLOW_STEPS: Record<Flow, readonly Step[]> = {
  report: ["kind", "sector", "place", "address", "description", "media", "urgency", "identity", "contact", "reward", "summary"],
  ask: ["sector", "description", "media", "identity", "contact", "summary"],
  /** Every step there is: the intake flow is the one that may meet them all. */
  intake: STEPS,
};

/** The fields a person may go back and change from the summary, in display order (see editableSteps). */
export const EDITABLE_STEPS: Record<Flow, readonly Step[]> = {
  report: ["kind", "sector", "place", "address", "description", "media", "urgency", "identity", "reward"],
  ask: ["sector", "description", "media", "identity"],
  intake: ["reference", "kind", "sector", "place", "address", "description", "media", "urgency", "identity", "reward"],
};

/** The kinds a dispatcher may give a case that reached them by this door. */
export const intakeKinds = (source: StaffSource): readonly ReportKind[] => (source === "superior" ? ["task"] : ["hazard", "violation"]);

export function newDraft(flow: Flow, id: string, now: number): Draft {
  return {
    id,
    flow,
    step: FLOW_STEPS[flow][0]!,
    editing: false,
    kind: flow === "ask" ? "consultation" : undefined,
    media: [],
    startedAt: now,
  };
}

const needsContact = (d: Draft) => d.anonymous === false && d.phone === undefined;
const needsCaller = (d: Draft) => d.flow === "intake" && d.anonymous === false && d.name === undefined;
const hasReference = (d: Draft) => d.source !== undefined && DOORS[d.source].reference !== "none";

/** Whether the draft goes through this step of its flow at all. */
function visits(draft: Draft, step: Step): boolean {
  switch (step) {
    case "reference":
      return hasReference(draft);
    case "kind":
    case "reward":
      return draft.source !== "superior";
    case "caller":
      return needsCaller(draft);
    case "contact":
      return needsContact(draft);
    default:
      return true;
  }
}

/** The step after the current one has been answered. */
export function nextStep(draft: Draft): Step {
  if (draft.step === "identity" && needsCaller(draft)) return "caller";
  if ((draft.step === "identity" || draft.step === "caller") && needsContact(draft)) return "contact";
  if (draft.editing) return "summary";
  const steps = FLOW_STEPS[draft.flow];
  for (let i = steps.indexOf(draft.step) + 1; i < steps.length; i++) {
    const step = steps[i]!;
    if (visits(draft, step)) return step;
  }
  return "summary";
}

/** The fields this draft may go back to from the summary. */
export const editableSteps = (draft: Draft): Step[] => EDITABLE_STEPS[draft.flow].filter((step) => visits(draft, step));

/**
 * The door an intake draft came by: an assignment from above is a task with no reward to
 * claim; any other door keeps the kind chosen, unless it was a task.
 */
export function withSource(draft: Draft, source: StaffSource): Draft {
  const kind = source === "superior" ? "task" : draft.kind === "task" ? undefined : draft.kind;
  return { ...draft, source, kind, reward: source === "superior" ? false : draft.reward, reference: undefined };
}

/** Moves on after the current step was answered. */
export function advance(draft: Draft): Draft {
  const step = nextStep(draft);
  return { ...draft, step, editing: step === "summary" ? false : draft.editing };
}

/** Goes back to one field from the summary. */
export function editStep(draft: Draft, step: Step): Draft | null {
  if (!editableSteps(draft).includes(step)) return null;
  return { ...draft, step, editing: true };
}

export type ProblemCode =
  | "source-missing"
  | "reference-missing"
  | "kind-missing"
  | "sector-missing"
  | "place-missing"
  | "description-missing"
  | "description-too-short"
  | "description-too-long"
  | "media-too-many"
  | "urgency-missing"
  | "identity-missing"
  | "name-missing"
  | "phone-missing"
  | "reward-missing";

export interface Problem {
  code: ProblemCode;
  /** Where the person goes to fix it. */
  step: Step;
}

/** Characters that count towards a description's length: letters, digits, CJK; no spaces or marks. */
export function meaningfulLength(text: string): number {
  return [...text.normalize("NFKC").replace(/[\s\p{P}\p{S}]/gu, "")].length;
}

/** Everything that keeps the draft from being accepted, in the order of the flow. */
export function validateDraft(draft: Draft): Problem[] {
  const problems: Problem[] = [];
  const intake = draft.flow === "intake";
  const report = draft.flow === "report" || intake;
  if (intake && draft.source === undefined) problems.push({ code: "source-missing", step: "source" });
  if (intake && draft.source !== undefined && DOORS[draft.source].reference === "required" && !draft.reference) {
    problems.push({ code: "reference-missing", step: "reference" });
  }
  const kinds: readonly ReportKind[] = intake ? (draft.source ? intakeKinds(draft.source) : []) : ["hazard", "violation"];
  if (report && !(draft.kind !== undefined && kinds.includes(draft.kind))) problems.push({ code: "kind-missing", step: "kind" });
  if (draft.sectorId === undefined) problems.push({ code: "sector-missing", step: "sector" });
  if (report && draft.regionId === undefined && draft.location === undefined && !draft.address) {
    problems.push({ code: "place-missing", step: "place" });
  }
  const description = draft.description ?? "";
  if (description.trim() === "") problems.push({ code: "description-missing", step: "description" });
  else if (meaningfulLength(description) < MIN_DESCRIPTION) problems.push({ code: "description-too-short", step: "description" });
  else if (description.length > MAX_DESCRIPTION) problems.push({ code: "description-too-long", step: "description" });
  if (draft.media.length > MAX_MEDIA) problems.push({ code: "media-too-many", step: "media" });
  if (report && draft.urgent === undefined) problems.push({ code: "urgency-missing", step: "urgency" });
  if (draft.anonymous === undefined) problems.push({ code: "identity-missing", step: "identity" });
  else if (draft.anonymous === false) {
    if (intake && !draft.name) problems.push({ code: "name-missing", step: "caller" });
    if (draft.phone === undefined) problems.push({ code: "phone-missing", step: "contact" });
  }
  if (report && draft.reward === undefined) problems.push({ code: "reward-missing", step: "reward" });
  return problems;
}

/**
 * A phone number typed by hand, normalised; null when it is not a Chinese mobile or
 * landline number. (A number shared with Telegram's contact button is taken as it is:
 * Telegram has verified it belongs to the person.)
 */
export function parsePhone(input: string): string | null {
  const digits = input
    .normalize("NFKC")
    .replace(/[\s()-]/g, "")
    .replace(/^(\+|00)86/, "");
  if (/^1[3-9]\d{9}$/.test(digits)) return digits;
  if (/^0\d{9,11}$/.test(digits)) return digits;
  return null;
}

/** What makes two submissions "the same report" for the 10-minute resubmission check. */
export function draftFingerprint(draft: Draft): string {
  return JSON.stringify([
    draft.flow,
    draft.kind ?? null,
    draft.reference ?? null,
    draft.sectorId ?? null,
    draft.regionId ?? null,
    (draft.description ?? "").normalize("NFKC").replace(/\s+/g, " ").trim(),
    draft.media.map((m) => m.fileUniqueId).sort(),
  ]);
}
