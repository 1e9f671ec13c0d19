/**
 * The words (and photos) a case action waits for after its button, as a state machine like the
 * report draft's: each input gives what to keep and what happens next, with no I/O. The
 * handler (handlers/staff/cases.ts) reads the case and the calendar, calls these under the
 * person's lock, performs the action they name, and answers after the lock is released.
 */
import type { AskCode } from "./case-buttons";
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
      if (!isFutureDate(known.date, known.now)) return { type: "again", problem: "input-bad-date" };
      if (input.op === "dl") return { type: "act", action: wordsAction("dl", { date: known.date, files: 0 }) };
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
  if (input.op === "dup")
    return known.caseNumber === null ? { type: "again", problem: "input-unknown-case" } : { type: "find-case", number: known.caseNumber };
  // Their words are read by the steps above; an input of theirs at a plain-text step is not one this version wrote.
  if (input.op === "dl" || input.op === "res") return { type: "end" };
  return {
    type: "act",
    action: wordsAction(input.op, { text, date: Number(input.data.until), toUnitId: String(input.data.toUnitId), files: input.media.length }),
  };
}

/** Whether a typed date may be a deadline or the end of more time: a date, and after now. */
export const isFutureDate = (date: number | null, now: number): date is number => date !== null && date > now;

/** Everything an asking press's action takes, gathered: the chat over several messages, the console's form at once. */
export interface ActionWords {
  text?: string;
  /** A deadline (dl) or the end of more time asked (ext), already read as an instant. */
  date?: number;
  /** The unit a transfer asks for (tu). */
  toUnitId?: string;
  measures?: string;
  responsible?: string;
  /** How many files come with it (a progress note's pictures, a resolution's evidence). */
  files: number;
}

/**
 * The action an asking press completes once its words are in: one rule for the chat's typed
 * input (typedText, resolution) and the console's forms. The workflow checks what the words
 * say (too short, no photo); a duplicate's number is looked up by the caller first.
 */
export function wordsAction(op: Exclude<AskCode, "dup">, w: ActionWords): Action {
  const text = w.text ?? "";
  switch (op) {
    case "rej":
      return { type: "reject", reason: text };
    case "trr":
      return { type: "transfer_refuse", reason: text };
    case "tu":
      return { type: "transfer_request", toUnitId: w.toUnitId ?? "", reason: text };
    case "pg":
      return { type: "progress", text, attachments: w.files };
    case "ext":
      return { type: "extension_request", until: w.date ?? Number.NaN, reason: text };
    case "exr":
      return { type: "extension_decide", approve: false, reason: text };
    case "ans":
      return { type: "answer", text };
    case "sb":
      return { type: "send_back", reason: text };
    case "ask":
      return { type: "ask_reporter", text };
    case "ro":
      return { type: "reopen", reason: text };
    case "dl":
      return { type: "set_deadline", dueAt: w.date ?? Number.NaN };
    case "res":
      return { type: "resolve", measures: w.measures ?? "", responsible: w.responsible ?? "", evidence: w.files };
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
  return wordsAction("res", {
    measures: String(input.data.measures ?? ""),
    responsible: String(input.data.responsible ?? ""),
    files: input.media.length,
  });
}
