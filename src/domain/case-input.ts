/**
 * The words (and photos) a case action waits for after its button, as a state machine like the
 * report draft's: each input gives what to keep and what happens next, with no I/O. The
 * handler (handlers/staff/cases.ts) reads the case and the calendar, calls these under the
 * person's lock, performs the action they name, and answers after the lock is released.
 */
import type { CaseInput } from "./conversation";
import type { MediaItem } from "./report-draft";
import type { Action } from "./workflow";

/** What a typed text leads to. */
export type TextStep =
  /** Another question: keep the input and ask it (a locale key). */
  | { type: "ask"; input: CaseInput; prompt: "ask-extension-reason" | "ask-responsible" | "ask-evidence" | "ask-evidence-optional" }
  /** The words are complete: perform the action. */
  | { type: "act"; action: Action }
  /** A duplicate's number, to be looked up before it is marked. */
  | { type: "find-case"; number: string }
  /** Not what the step wants: say so (a locale key) and keep waiting. */
  | { type: "again"; problem: "input-bad-date" | "input-unknown-case" | "ask-evidence" }
  /** An input no step of its action can be at (kept from an older version): it ends, and the text goes on. */
  | { type: "end" };

/** What the handler knows that the text alone does not. */
export interface TextContext {
  /** The typed date, read in the office's time zone to its close of day, or null when it is not a date. */
  date: number | null;
  now: number;
  /** Whether this case's resolution must carry photos (ask-evidence, else ask-evidence-optional). */
  evidenceRequired: boolean;
  /** The text as a case number, or null. */
  caseNumber: string | null;
}

export function typedText(input: CaseInput, text: string, known: TextContext): TextStep {
  switch (input.step) {
    case "date": {
      // A date that is not a working day is kept as typed: the person chose that day.
      if (known.date === null || known.date <= known.now) return { type: "again", problem: "input-bad-date" };
      if (input.op === "dl") return { type: "act", action: { type: "set_deadline", dueAt: known.date } };
      return { type: "ask", input: { ...input, step: "reason", data: { ...input.data, until: known.date } }, prompt: "ask-extension-reason" };
    }
    case "measures":
      return { type: "ask", input: { ...input, step: "responsible", data: { ...input.data, measures: text } }, prompt: "ask-responsible" };
    case "responsible":
      return {
        type: "ask",
        input: { ...input, step: "evidence", data: { ...input.data, responsible: text } },
        prompt: known.evidenceRequired ? "ask-evidence" : "ask-evidence-optional",
      };
    case "evidence":
      return { type: "again", problem: "ask-evidence" };
    case "text":
    case "reason":
      break;
  }
  switch (input.op) {
    case "rej":
      return { type: "act", action: { type: "reject", reason: text } };
    case "trr":
      return { type: "act", action: { type: "transfer_refuse", reason: text } };
    case "tu":
      return { type: "act", action: { type: "transfer_request", toUnitId: String(input.data.toUnitId), reason: text } };
    case "pg":
      return { type: "act", action: { type: "progress", text, attachments: input.media.length } };
    case "ext":
      return { type: "act", action: { type: "extension_request", until: Number(input.data.until), reason: text } };
    case "exr":
      return { type: "act", action: { type: "extension_decide", approve: false, reason: text } };
    case "ans":
      return { type: "act", action: { type: "answer", text } };
    case "sb":
      return { type: "act", action: { type: "send_back", reason: text } };
    case "ask":
      return { type: "act", action: { type: "ask_reporter", text } };
    case "ro":
      return { type: "act", action: { type: "reopen", reason: text } };
    case "dup":
      return known.caseNumber === null ? { type: "again", problem: "input-unknown-case" } : { type: "find-case", number: known.caseNumber };
    case "dl":
    case "res":
      // Their words are read by the steps above; an input of theirs at a plain-text step is not one this version wrote.
      return { type: "end" };
  }
}

/** Files a resolution or a progress note keeps, as a report does. */
export const MAX_INPUT_MEDIA = 10;

/**
 * A photo or file sent while the input waits: kept with it (once) where evidence belongs,
 * else null; the input as it was when it is already kept or the input holds as many as it may.
 */
export function addedMedia(input: CaseInput, item: MediaItem): CaseInput | null {
  if (!(input.step === "evidence" || input.op === "pg")) return null;
  if (input.media.some((m) => m.fileUniqueId === item.fileUniqueId) || input.media.length >= MAX_INPUT_MEDIA) return input;
  return { ...input, media: [...input.media, item] };
}

/** "Done" after the rectification photos: the resolution, or null when no resolution waits for them. */
export function resolution(input: CaseInput): Action | null {
  if (input.step !== "evidence") return null;
  return {
    type: "resolve",
    measures: String(input.data.measures ?? ""),
    responsible: String(input.data.responsible ?? ""),
    evidence: input.media.length,
  };
}
