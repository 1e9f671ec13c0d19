/**
 * What a person is in the middle of, in one place: a report or question being written, words
 * a case action waits for, a notice being written, or the comment after a rating. A person has
 * at most one conversation; their next message (not a command) goes to it, `/cancel` ends it,
 * and starting another replaces it, so the flow they asked for last is the one that answers.
 *
 * The conversation is kept in hot state (`conversation:<user>`) and changed only under the
 * person's lock (services/conversations.ts): the photos of an album arrive as separate updates
 * at the same moment, and each must add to the same conversation.
 */
import type { AskCode, InputStep } from "./case-buttons";
import { DRAFT_TTL_MS, type Draft, type MediaItem } from "./report-draft";
import type { Pin } from "./workflow";

/** Words (and photos) a case action waits for, after its button was pressed. */
export interface CaseInput {
  caseId: number;
  version: number;
  op: AskCode;
  step: InputStep | "reason" | "responsible" | "evidence";
  data: Record<string, string | number>;
  media: MediaItem[];
}

/** A notice's picture or file, sent with its text as the caption. */
export interface NoticeMedia {
  type: "photo" | "document";
  fileId: string;
  /** Telegram's stable id of the file: with it the file is copied into the evidence archive. */
  fileUniqueId?: string;
}

/** A notice being written: its content, then the units it is for, then the preview. */
export interface NoticeWriting {
  step: "content" | "targets" | "preview";
  text?: string;
  media?: NoticeMedia;
  unitIds: string[];
}

/** A file a reporter sends to an open case: a photo, a video, a voice note or a file, taken as a report's are (src/domain/media.ts). */
export type MaterialFile = MediaItem;

/**
 * What a reporter is sending to one of their open cases, gathered until they press "send":
 * the answer to the office's question or material they add on their own;
 * which of the two is decided when it is sent, from the case's ledger. The same gathering
 * takes a follow-up question to an answered consultation, which goes back to the unit that answered.
 */
export interface ReporterReply {
  caseId: number;
  number: string;
  texts: string[];
  files: MaterialFile[];
  pin: Pin | null;
  /** Set when what is gathered is a follow-up question (zhuiwen) to the answer of a consultation: words only. */
  followUp?: true;
}

/** Each flow's own state. */
export interface FlowStates {
  report: Draft;
  "case-input": CaseInput;
  notice: NoticeWriting;
  /** `complaint` once the citizen pressed "this is a complaint": the comment they type then goes to the dispatchers. */
  "rating-comment": { caseId: number; complaint?: true };
  "reporter-reply": ReporterReply;
}

export type ConversationFlow = keyof FlowStates;

export type Conversation = { [F in ConversationFlow]: { flow: F; state: FlowStates[F] } }[ConversationFlow];

/** How long each kind of conversation waits for its next message before it is forgotten. */
export const CONVERSATION_TTL_MS: Record<ConversationFlow, number> = {
  report: DRAFT_TTL_MS,
  "case-input": 30 * 60_000,
  notice: 24 * 3_600_000,
  "rating-comment": 24 * 3_600_000,
  "reporter-reply": 24 * 3_600_000,
};

/** The flow's own state, or null when the person is in another flow or none. */
export function stateOf<F extends ConversationFlow>(conversation: Conversation | null, flow: F): FlowStates[F] | null {
  return conversation?.flow === flow ? (conversation.state as FlowStates[F]) : null;
}
