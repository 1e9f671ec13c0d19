/**
 * The case workflow as one pure function: given a case, an action and who is acting, either
 * the next state with the events to append, or a refusal with a code the bot can explain.
 * Services load the case, call `decide`, and write the state and events in one transaction
 * guarded by the version; nothing here touches storage, Telegram or the clock.
 *
 * Checks run in a fixed order so that the refusal a person sees is the most useful one:
 *   0. a state or context that is not one at all                 → CASE.INVALID
 *   1. version (optimistic concurrency: two people press at once) → CASE.STALE
 *   2. the case is closed or rejected (unless the action is one that
 *      takes a closed case back: reopen)                          → CASE.CLOSED
 *   3. the actor's roles                                          → CASE.NOT_ALLOWED
 *   4. the actor's units, for a liaison's actions                 → CASE.NOT_YOUR_UNIT
 *   5. the case's status (and kind, for `answer`)                 → CASE.WRONG_STATUS
 *   6. pending requests, then the payload                         → the other codes
 * Checks 2–5 and the pending-request part of 6 depend only on the case and the actor, so
 * `availableActions` (which buttons to show) runs exactly them and agrees with `decide`.
 *
 * First-asked responsibility (shouwen zeren): the owner unit changes only by route, assign or an accepted transfer. Pending
 * requests (transfer, extension) belong to the owner: they are dropped whenever the owner
 * changes or the case leaves the working statuses (assigned, in_progress), so they only
 * ever exist while someone can still decide them.
 */

import { isSource, type Source } from "./doors";

export const CASE_STATUSES = ["new", "assigned", "in_progress", "resolved", "answered", "closed", "rejected"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_KINDS = ["hazard", "violation", "consultation", "task"] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const SEVERITIES = ["ordinary", "urgent", "major"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ROLES = ["liaison", "dispatcher", "leader", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface CaseState {
  status: CaseStatus;
  kind: CaseKind;
  severity: Severity;
  /** The owner (first-asked responsibility): changes only by route/assign or an accepted transfer. */
  unitId: string | null;
  /** Member id inside the owner unit. */
  assigneeId: number | null;
  dueAt: number | null;
  /** Listed for supervision by the county (guapai duban). */
  supervision: "none" | "listed";
  pendingTransfer: { toUnitId: string; reason: string; byMemberId: number } | null;
  pendingExtension: { until: number; reason: string; byMemberId: number } | null;
  /** Case id, when marked duplicate. */
  mergedInto: number | null;
  /**
   * The numbers of the open cases intake suggested this one may duplicate (case_links), not
   * yet confirmed or dismissed: the card's "possibly the same as" hint.
   */
  duplicateHints: readonly string[];
  version: number;
}

export type Actor = { kind: "system" } | { kind: "member"; memberId: number; roles: Role[]; unitIds: string[] };

export type Action =
  | { type: "route"; unitId: string }
  | { type: "assign"; unitId: string; assigneeId?: number | null }
  | { type: "set_severity"; severity: Severity }
  | { type: "set_deadline"; dueAt: number }
  | { type: "mark_duplicate"; ofCaseId: number; ofCaseOpen: boolean }
  | { type: "dismiss_duplicate" }
  | { type: "reject"; reason: string }
  | { type: "supervise"; listed: boolean }
  | { type: "accept" }
  | { type: "transfer_request"; toUnitId: string; reason: string }
  | { type: "transfer_accept" }
  | { type: "transfer_refuse"; reason: string }
  | { type: "progress"; text: string; attachments: number }
  | { type: "extension_request"; until: number; reason: string }
  | { type: "extension_decide"; approve: boolean; reason?: string }
  | { type: "resolve"; measures: string; responsible: string; evidence: number }
  | { type: "answer"; text: string }
  | { type: "verify_close" }
  | { type: "send_back"; reason: string }
  | { type: "ask_reporter"; text: string }
  | { type: "reopen"; reason: string };

export type ActionType = Action["type"];

/**
 * The events of a case's ledger (`case_events.action`), one catalog: `decide` writes most;
 * the citizen's own steps write the rest: storing a report `submitted`, a rating `rated` and
 * `rating_comment`, material `reporter_replied` and `material_added`, and a follow-up
 * `follow_up_asked` (through `followUp`, since it moves the case).
 */
export const EVENT_TYPES = [
  "submitted",
  "assigned",
  "severity_set",
  "deadline_set",
  "merged",
  "duplicate_dismissed",
  "rejected",
  "supervised",
  "accepted",
  "transfer_requested",
  "transfer_accepted",
  "transfer_refused",
  "progress",
  "extension_requested",
  "extension_granted",
  "extension_refused",
  "resolved",
  "answered",
  "closed",
  "sent_back",
  "rated",
  "rating_comment",
  "reporter_asked",
  "reporter_replied",
  "material_added",
  "reopened",
  "follow_up_asked",
  "reporter_erased",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** The events a citizen's own steps write, outside the workflow. */
type CitizenEventType = "submitted" | "rated" | "rating_comment" | "reporter_replied" | "material_added";
/** Events the office's housekeeping writes, outside the workflow: no status moves. */
type RecordEventType = "reporter_erased";

/** A pin a citizen dropped (Telegram's location). */
export interface Pin {
  latitude: number;
  longitude: number;
}

/** What a reporter sent to an open case: their words, how many files came with them (stored as attachments of the event), a pin. */
export interface Material {
  text: string;
  attachments: number;
  pin: Pin | null;
}

/** What each type of event records (`case_events.data`). */
interface EventData {
  /** What was reported is on the case itself. */
  /** The door, when not the bot's chat (src/domain/doors.ts), and the sender's own number for it. */
  submitted: { source?: Source; ref?: string };
  /** `assigneeId` when a dispatcher named the liaison. */
  assigned: { unitId: string; assigneeId?: number };
  severity_set: { severity: Severity };
  deadline_set: { dueAt: number };
  /** Internal: the "closed" that comes with it is what the citizen's timeline shows. */
  merged: { into: number };
  /** A dispatcher judged the case not a duplicate of those intake suggested (their numbers). */
  duplicate_dismissed: { of: string[] };
  /** `mergedInto` when the case was closed as a duplicate. */
  closed: { mergedInto?: number };
  rejected: { reason: string };
  supervised: { listed: boolean };
  accepted: { memberId: number | null };
  transfer_requested: { toUnitId: string; reason: string };
  transfer_accepted: { unitId: string; fromUnitId: string | null };
  transfer_refused: { unitId: string; reason: string };
  /** `text` may be empty when photos came instead. */
  progress: { text: string; attachments: number };
  extension_requested: { until: number; reason: string };
  extension_granted: { until: number };
  extension_refused: { reason: string };
  resolved: { measures: string; responsible: string; evidence: number };
  answered: { text: string };
  sent_back: { reason: string };
  rated: { stars: number };
  /** `complaint` when the citizen marked the comment a complaint (tousu): it brought the case before the dispatchers. */
  rating_comment: { comment: string; complaint?: true };
  /**
   * The office asked the reporter for more. `unitId` is the unit that asked, whose
   * liaisons get the answer; null when the office (a dispatcher) asked. Who asked is not told
   * to the reporter.
   */
  reporter_asked: { question: string; unitId: string | null };
  /** The reporter's answer to the latest open question. */
  reporter_replied: Material;
  /** Material the reporter added on their own. */
  material_added: Material;
  /** A closed case sent back to its unit to be done again (the citizen was not satisfied), with a new deadline. */
  reopened: { unitId: string; reason: string };
  /**
   * The citizen asked a follow-up (zhuiwen) to the answer of their consultation (`followUp`):
   * back with `unitId`, the unit that answered, to be answered again. Who asked is not stored here.
   */
  follow_up_asked: { question: string; unitId: string };
  /** The reporter's identity was erased once the office's retention period ran out (`days` after closing). */
  reporter_erased: { days: number };
}

/** An event of a case's ledger: its type and that type's data. */
export type WorkflowEvent = { [K in EventType]: { action: K; data: EventData[K] } }[EventType];
/** An event as `decide` gives it: one of the workflow's, with the statuses it moved the case between. */
export type DecidedEvent = Exclude<WorkflowEvent, { action: CitizenEventType | RecordEventType }> & { fromStatus: CaseStatus; toStatus: CaseStatus };

export type RefusalCode =
  | "CASE.STALE"
  | "CASE.CLOSED"
  | "CASE.WRONG_STATUS"
  | "CASE.NOT_ALLOWED"
  | "CASE.NOT_YOUR_UNIT"
  | "CASE.INVALID"
  | "CASE.TRANSFER_PENDING"
  | "CASE.EXTENSION_PENDING"
  | "CASE.NO_PENDING"
  | "CASE.EVIDENCE_REQUIRED"
  | "CASE.FOLLOW_UP_LIMIT";
/**
 * What a refusal can point at: a field of the action, of the case (its kind, a pending
 * request), or the call itself (actor, state, context, action: a caller's mistake). Each has a
 * locale key, `field-<name>`, which is how staff read it.
 */
export const REFUSAL_FIELDS = [
  "actor",
  "state",
  "context",
  "action",
  "kind",
  "pendingTransfer",
  "pendingExtension",
  "duplicateHints",
  "unitId",
  "assigneeId",
  "severity",
  "dueAt",
  "ofCaseId",
  "ofCaseOpen",
  "reason",
  "listed",
  "toUnitId",
  "attachments",
  "text",
  "until",
  "approve",
  "measures",
  "responsible",
  "evidence",
] as const;
export type RefusalField = (typeof REFUSAL_FIELDS)[number];
export type Refusal = { ok: false; code: RefusalCode; field?: RefusalField };
export type Decision = { ok: true; state: CaseState; events: DecidedEvent[] } | Refusal;
export interface DecideContext {
  now: number;
  expectedVersion: number;
  /** This case's own id, so that it cannot be marked a duplicate of itself. */
  caseId: number;
}

export const OPEN_STATUSES: readonly CaseStatus[] = ["new", "assigned", "in_progress", "resolved", "answered"];
/** Where the owner unit is working on the case: transfers and extensions make sense only here. */
const WORKING: readonly CaseStatus[] = ["assigned", "in_progress"];
const DONE: readonly CaseStatus[] = ["resolved", "answered"];

/** A Telegram message holds 4096 characters; leave room for the text around a quoted field. */
export const MAX_TEXT = 4000;
/** A rejection is told to the citizen in full (tell everything at once), so it has to say something. */
export const MIN_REJECT_REASON = 5;
export const MAX_REJECT_REASON = 1000;

/** Whether resolving a case of this kind takes at least one photo of the result (a hazard or violation; a task may go without). */
export function needsEvidence(kind: CaseKind): boolean {
  return kind === "hazard" || kind === "violation";
}

/** Whether a case of this kind was brought by a citizen in chat, so that there is a reporter to ask (a task is the office's own). */
export function reportedInChat(kind: CaseKind): boolean {
  return kind !== "task";
}

/**
 * The question a reporter's material answers: the latest `reporter_asked` with no reply
 * after it, or null (then what they send is material added on their own). Several rounds may
 * go while the case is open; each reply answers the question before it.
 */
export function openQuestion(events: readonly WorkflowEvent[]): Extract<WorkflowEvent, { action: "reporter_asked" }>["data"] | null {
  let open: Extract<WorkflowEvent, { action: "reporter_asked" }>["data"] | null = null;
  for (const event of events) {
    if (event.action === "reporter_asked") open = event.data;
    else if (event.action === "reporter_replied") open = null;
  }
  return open;
}

/** The most a reporter sends in one go: files (a Telegram album holds ten) and characters of text. */
export const MAX_MATERIAL_FILES = 10;

/** A rating this low (1–2 stars), or a comment the citizen marks a complaint, puts the closed case before the dispatchers, who may reopen it. */
export const DISSATISFIED_STARS = 2;
export const isDissatisfied = (stars: number) => stars <= DISSATISFIED_STARS;

/**
 * How many follow-up questions (zhuiwen) a citizen may ask after their consultation is
 * answered. A constant rather than an office setting: the office settings hold time rules
 * (calendar, deadlines, escalation) only, and a count has no place among them yet.
 */
export const MAX_FOLLOW_UPS = 2;

/** How many follow-ups the citizen has asked on this case so far. */
export const followUpsAsked = (events: readonly WorkflowEvent[]) => events.filter((e) => e.action === "follow_up_asked").length;

/**
 * Whether a follow-up can be asked now, whatever its words: only to a consultation that is
 * answered (and not yet closed by the office), held by a unit, within the limit. Null when the
 * way is open; the case's ownership by the citizen is the caller's to check.
 */
export function followUpRefusal(state: Pick<CaseState, "status" | "kind" | "unitId">, asked: number): Refusal | null {
  if (!isOpen(state.status)) return refuse("CASE.CLOSED");
  if (state.kind !== "consultation" || state.status !== "answered" || state.unitId === null) return refuse("CASE.WRONG_STATUS");
  if (asked >= MAX_FOLLOW_UPS) return refuse("CASE.FOLLOW_UP_LIMIT");
  return null;
}

/**
 * The citizen's follow-up to the answer of their consultation: the case goes back to the unit
 * that answered (in progress, so that its "answer" button is there again), with the question
 * and a new deadline.
 * The citizen acts outside the staff roles, so this is not one of `decide`'s actions; it keeps
 * the same order of checks (state, version, then the case, then the words).
 */
export function followUp(state: CaseState, question: unknown, asked: number, ctx: Pick<DecideContext, "expectedVersion">): Decision {
  if (!isState(state)) return refuse("CASE.INVALID", "state");
  if (ctx.expectedVersion !== state.version) return refuse("CASE.STALE");
  const blocked = followUpRefusal(state, asked);
  if (blocked !== null) return blocked;
  const words = text(question);
  if (words === null) return refuse("CASE.INVALID", "text");
  return {
    ok: true,
    // dueAt cleared: the deadlines service sets the new round's, counted from the question.
    state: { ...state, status: "in_progress", dueAt: null, version: state.version + 1 },
    events: [{ action: "follow_up_asked", data: { question: words, unitId: state.unitId! }, fromStatus: state.status, toStatus: "in_progress" }],
  };
}

/** Whether a reporter may send material to a case now: only while it is open. */
export function acceptsMaterial(status: CaseStatus): boolean {
  return isOpen(status);
}

export function isOpen(status: CaseStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/**
 * Who may do what, and from which statuses. "owner" and "target" are liaisons of the owner
 * unit and of the unit a transfer is offered to; "dispatcher" includes admins.
 */
type Party = "system" | "dispatcher" | "leader" | "owner" | "target";
const RULES: Record<ActionType, { by: readonly Party[]; from: readonly CaseStatus[] }> = {
  route: { by: ["system"], from: ["new"] },
  assign: { by: ["dispatcher"], from: ["new", "assigned"] },
  set_severity: { by: ["dispatcher"], from: OPEN_STATUSES },
  set_deadline: { by: ["dispatcher"], from: OPEN_STATUSES },
  mark_duplicate: { by: ["dispatcher"], from: ["new", "assigned"] },
  dismiss_duplicate: { by: ["dispatcher"], from: OPEN_STATUSES },
  reject: { by: ["dispatcher"], from: ["new", "assigned"] },
  supervise: { by: ["dispatcher", "leader"], from: OPEN_STATUSES },
  accept: { by: ["owner"], from: ["assigned"] },
  transfer_request: { by: ["owner", "dispatcher"], from: WORKING },
  transfer_accept: { by: ["target"], from: WORKING },
  transfer_refuse: { by: ["target"], from: WORKING },
  progress: { by: ["owner"], from: ["in_progress"] },
  extension_request: { by: ["owner"], from: WORKING },
  extension_decide: { by: ["dispatcher"], from: WORKING },
  resolve: { by: ["owner"], from: ["in_progress"] },
  answer: { by: ["owner"], from: WORKING },
  verify_close: { by: ["dispatcher"], from: DONE },
  send_back: { by: ["dispatcher"], from: DONE },
  ask_reporter: { by: ["owner", "dispatcher"], from: OPEN_STATUSES },
  reopen: { by: ["dispatcher"], from: ["closed"] },
};

export const ACTION_TYPES = Object.keys(RULES) as ActionType[];

type Member = Extract<Actor, { kind: "member" }>;

const refuse = (code: RefusalCode, field?: RefusalField): Refusal => (field === undefined ? { ok: false, code } : { ok: false, code, field });

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
const isId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isTime = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
const oneOf = <T extends string>(list: readonly T[], value: unknown): value is T => list.includes(value as T);

/** A trimmed text between min and max characters (code points, so a CJK character counts once), or null. */
function text(value: unknown, min = 1, max = MAX_TEXT): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  const length = [...trimmed].length;
  return length >= min && length <= max ? trimmed : null;
}

const isString = (value: unknown): value is string => typeof value === "string";
const isKey = (value: unknown): value is string => typeof value === "string" && value !== "";
const isPin = (value: unknown): value is Pin =>
  isRecord(value) && isTime(value.latitude) && isTime(value.longitude) && Math.abs(value.latitude) <= 90 && Math.abs(value.longitude) <= 180;
const isMaterial = (d: Record<string, unknown>) => isString(d.text) && isCount(d.attachments) && (d.pin === null || isPin(d.pin));

/** Each type's data as `decide` (or the report, or the rating) writes it; one check per type, so a new type needs one. */
const DATA_SHAPES: { [K in EventType]: (data: Record<string, unknown>) => boolean } = {
  submitted: (d) => (d.source === undefined || isSource(d.source)) && (d.ref === undefined || isString(d.ref)),
  assigned: (d) => isKey(d.unitId) && (d.assigneeId === undefined || isId(d.assigneeId)),
  severity_set: (d) => oneOf(SEVERITIES, d.severity),
  deadline_set: (d) => isTime(d.dueAt),
  merged: (d) => isId(d.into),
  duplicate_dismissed: (d) => Array.isArray(d.of) && d.of.every(isKey),
  closed: (d) => d.mergedInto === undefined || isId(d.mergedInto),
  rejected: (d) => isString(d.reason),
  supervised: (d) => typeof d.listed === "boolean",
  accepted: (d) => d.memberId === null || isId(d.memberId),
  transfer_requested: (d) => isKey(d.toUnitId) && isString(d.reason),
  transfer_accepted: (d) => isKey(d.unitId) && (d.fromUnitId === null || isKey(d.fromUnitId)),
  transfer_refused: (d) => isKey(d.unitId) && isString(d.reason),
  progress: (d) => isString(d.text) && isCount(d.attachments),
  extension_requested: (d) => isTime(d.until) && isString(d.reason),
  extension_granted: (d) => isTime(d.until),
  extension_refused: (d) => isString(d.reason),
  resolved: (d) => isString(d.measures) && isString(d.responsible) && isCount(d.evidence),
  answered: (d) => isString(d.text),
  sent_back: (d) => isString(d.reason),
  rated: (d) => isCount(d.stars),
  rating_comment: (d) => isString(d.comment) && (d.complaint === undefined || d.complaint === true),
  reporter_asked: (d) => isString(d.question) && (d.unitId === null || isKey(d.unitId)),
  reporter_replied: isMaterial,
  material_added: isMaterial,
  reopened: (d) => isKey(d.unitId) && isString(d.reason),
  follow_up_asked: (d) => isString(d.question) && isKey(d.unitId),
  reporter_erased: (d) => isCount(d.days),
};

export const isEventType = (value: unknown): value is EventType => oneOf(EVENT_TYPES, value);

/**
 * A stored row of `case_events` as an event: the one place a row read back is checked. Null
 * for a row this version cannot read, an unknown type or data not of its type's shape
 * (written by hand, or by another version): such a row is never acted on and never shown
 * for what it claims. The staff ledger lists it as "other" (`event-other`), the citizen's
 * timeline leaves it out. A row without data (`submitted` is stored so) has empty data.
 */
export function readEvent(row: { action: string; data: unknown }): WorkflowEvent | null {
  const data = row.data ?? {};
  if (!isEventType(row.action) || !isRecord(data) || Array.isArray(data) || !DATA_SHAPES[row.action](data)) return null;
  return { action: row.action, data } as WorkflowEvent;
}

/** The actor as the rules read it; null when it is not an actor at all. */
function readActor(actor: unknown): { system: true } | { system: false; member: Member } | null {
  if (!isRecord(actor)) return null;
  if (actor.kind === "system") return { system: true };
  if (actor.kind !== "member" || !isId(actor.memberId) || !Array.isArray(actor.roles) || !Array.isArray(actor.unitIds)) return null;
  const member: Member = {
    kind: "member",
    memberId: actor.memberId,
    roles: actor.roles.filter((r): r is Role => oneOf(ROLES, r)),
    unitIds: actor.unitIds.filter((u): u is string => typeof u === "string"),
  };
  return { system: false, member };
}

function isState(state: unknown): state is CaseState {
  return (
    isRecord(state) &&
    oneOf(CASE_STATUSES, state.status) &&
    oneOf(CASE_KINDS, state.kind) &&
    Number.isSafeInteger(state.version) &&
    (state.unitId === null || typeof state.unitId === "string") &&
    (state.pendingTransfer === null || (isRecord(state.pendingTransfer) && typeof state.pendingTransfer.toUnitId === "string")) &&
    (state.pendingExtension === null || isRecord(state.pendingExtension)) &&
    (state.dueAt === null || isTime(state.dueAt)) &&
    Array.isArray(state.duplicateHints)
  );
}

/**
 * Checks 2–5 and the pending-request checks: whether this actor may take this kind of action
 * on the case as it stands, whatever the payload. Returns null when the way is open.
 */
function gate(state: CaseState, type: ActionType, actor: ReturnType<typeof readActor>): Refusal | null {
  if (finished(state, type)) return refuse("CASE.CLOSED");
  if (actor === null) return refuse("CASE.INVALID", "actor");
  const rule = RULES[type];

  // 3. Roles. A person may hold several; any one that permits the action is enough.
  const roles = actor.system ? [] : actor.member.roles;
  const asSystem = actor.system && rule.by.includes("system");
  const asOffice =
    (rule.by.includes("dispatcher") && (roles.includes("dispatcher") || roles.includes("admin"))) ||
    (rule.by.includes("leader") && roles.includes("leader"));
  const asLiaison = roles.includes("liaison") && (rule.by.includes("owner") || rule.by.includes("target"));
  if (!asSystem && !asOffice && !asLiaison) return refuse("CASE.NOT_ALLOWED");

  // 4. Units: a liaison acts only for their own unit. Dispatchers and leaders act for the office.
  if (!asSystem && !asOffice && !actor.system) {
    const unitIds = actor.member.unitIds;
    if (rule.by.includes("owner") && (state.unitId === null || !unitIds.includes(state.unitId))) {
      return refuse("CASE.NOT_YOUR_UNIT");
    }
    if (rule.by.includes("target")) {
      // Without a transfer on offer there is no target unit to belong to.
      if (state.pendingTransfer === null) return refuse("CASE.NO_PENDING", "pendingTransfer");
      if (!unitIds.includes(state.pendingTransfer.toUnitId)) return refuse("CASE.NOT_YOUR_UNIT");
    }
  }

  // 5. Status, and for an answer the kind: only a consultation is answered rather than resolved.
  if (!rule.from.includes(state.status)) return refuse("CASE.WRONG_STATUS");
  // A consultation is answered, a hazard resolved: each kind has its one way to be done.
  if (type === "answer" && state.kind !== "consultation") return refuse("CASE.WRONG_STATUS", "kind");
  if (type === "resolve" && state.kind === "consultation") return refuse("CASE.WRONG_STATUS", "kind");
  // Only a case a citizen brought in chat has a reporter to ask; a task is the office's own.
  if (type === "ask_reporter" && !reportedInChat(state.kind)) return refuse("CASE.WRONG_STATUS", "kind");

  // 6, the part that depends on the case alone: one request of each kind at a time.
  if (type === "transfer_request" && state.pendingTransfer !== null) return refuse("CASE.TRANSFER_PENDING");
  if (type === "extension_request" && state.pendingExtension !== null) return refuse("CASE.EXTENSION_PENDING");
  if (type === "extension_decide" && state.pendingExtension === null) return refuse("CASE.NO_PENDING", "pendingExtension");
  // Only a hint there is can be dismissed.
  if (type === "dismiss_duplicate" && state.duplicateHints.length === 0) return refuse("CASE.NO_PENDING", "duplicateHints");
  return null;
}

/**
 * Why this actor may not take this kind of action on the case now (checks 2–5 and pending
 * requests, as `decide` makes them), or null: for a button that asks for words first, so that
 * whoever may not act hears it at the press rather than after typing.
 */
export function refusalOf(state: CaseState, type: ActionType, actor: Actor): Refusal | null {
  if (!isState(state)) return refuse("CASE.INVALID", "state");
  return gate(state, type, readActor(actor));
}

/**
 * Check 2: a case closed or rejected takes nothing more, except what takes a closed case back
 * (reopen), and that only for a case closed after being done by a unit: not one merged into
 * another (its reporters follow that one) and not one no unit ever held.
 */
function finished(state: CaseState, type: unknown): boolean {
  if (isOpen(state.status)) return false;
  if (!oneOf(ACTION_TYPES, type) || !RULES[type].from.includes(state.status)) return true;
  return state.mergedInto !== null || state.unitId === null;
}

/** The action types this actor could take on the case now (checks 2–5 and pending requests): the buttons to show. */
export function availableActions(state: CaseState, actor: Actor): ActionType[] {
  if (!isState(state)) return [];
  const who = readActor(actor);
  if (who === null) return [];
  return ACTION_TYPES.filter((type) => gate(state, type, who) === null);
}

export function decide(state: CaseState, action: Action, actor: Actor, ctx: DecideContext): Decision {
  // 0. The caller's own data. Callers are typed, but a button's payload or a stored row can
  // still be anything; a refusal is better than a throw inside a handler.
  if (!isState(state)) return refuse("CASE.INVALID", "state");
  if (!isRecord(ctx) || !isTime(ctx.now) || !Number.isSafeInteger(ctx.caseId)) return refuse("CASE.INVALID", "context");
  // 1. Version first: whoever pressed second sees that the case moved on, not a stale reason.
  if (ctx.expectedVersion !== state.version) return refuse("CASE.STALE");
  // 2. A finished case refuses everything but a reopen, even a malformed action.
  if (finished(state, isRecord(action) ? action.type : undefined)) return refuse("CASE.CLOSED");
  if (!isRecord(action) || !oneOf(ACTION_TYPES, action.type)) return refuse("CASE.INVALID", "action");
  const who = readActor(actor);
  const blocked = gate(state, action.type, who);
  if (blocked !== null) return blocked;
  return apply(state, action as Record<string, unknown> & { type: ActionType }, who!, ctx);
}

const invalid = (field: RefusalField) => refuse("CASE.INVALID", field);

/** An event of the workflow, before `decide` adds the statuses it moves the case between. */
type Transition = Exclude<WorkflowEvent, { action: CitizenEventType | RecordEventType }>;

/** Check 6's payload part, and the transition itself. The action's shape is not trusted. */
function apply(
  state: CaseState,
  a: Record<string, unknown> & { type: ActionType },
  actor: NonNullable<ReturnType<typeof readActor>>,
  ctx: DecideContext,
): Decision {
  const from = state.status;
  const memberId = actor.system ? null : actor.member.memberId;
  /** The new state, and each event with the status it leaves the case in. */
  const ok = (changes: Partial<CaseState>, events: [Transition, CaseStatus][]): Decision => ({
    ok: true,
    state: { ...state, ...changes, version: state.version + 1 },
    events: events.map(([event, toStatus], i) => ({ ...event, fromStatus: i === 0 ? from : events[i - 1]![1], toStatus })),
  });
  /** A new owner brings its own requests: the old owner's pending ones are dropped. */
  const newOwner = (unitId: string) => (unitId === state.unitId ? {} : { pendingTransfer: null, pendingExtension: null });
  const leavesWork = { pendingTransfer: null, pendingExtension: null };

  switch (a.type) {
    case "route":
    case "assign": {
      const unitId = text(a.unitId, 1, 200);
      if (unitId === null) return invalid("unitId");
      const assigneeId = a.type === "assign" ? (a.assigneeId ?? null) : null;
      if (assigneeId !== null && !isId(assigneeId)) return invalid("assigneeId");
      const data = assigneeId === null ? { unitId } : { unitId, assigneeId };
      return ok({ status: "assigned", unitId, assigneeId, ...newOwner(unitId) }, [[{ action: "assigned", data }, "assigned"]]);
    }
    case "set_severity": {
      if (!oneOf(SEVERITIES, a.severity)) return invalid("severity");
      return ok({ severity: a.severity }, [[{ action: "severity_set", data: { severity: a.severity } }, from]]);
    }
    case "set_deadline": {
      if (!isTime(a.dueAt) || a.dueAt <= ctx.now) return invalid("dueAt");
      return ok({ dueAt: a.dueAt }, [[{ action: "deadline_set", data: { dueAt: a.dueAt } }, from]]);
    }
    case "mark_duplicate": {
      if (!isId(a.ofCaseId) || a.ofCaseId === ctx.caseId) return invalid("ofCaseId");
      if (a.ofCaseOpen !== true) return invalid("ofCaseOpen");
      // Two events: "merged" is internal, "closed" is what the citizen's timeline shows,
      // so their timeline ends the way their status does.
      return ok({ status: "closed", mergedInto: a.ofCaseId, ...leavesWork }, [
        [{ action: "merged", data: { into: a.ofCaseId } }, from],
        [{ action: "closed", data: { mergedInto: a.ofCaseId } }, "closed"],
      ]);
    }
    case "dismiss_duplicate":
      return ok({ duplicateHints: [] }, [[{ action: "duplicate_dismissed", data: { of: [...state.duplicateHints] } }, from]]);
    case "reject": {
      const reason = text(a.reason, MIN_REJECT_REASON, MAX_REJECT_REASON);
      if (reason === null) return invalid("reason");
      return ok({ status: "rejected", ...leavesWork }, [[{ action: "rejected", data: { reason } }, "rejected"]]);
    }
    case "supervise": {
      if (typeof a.listed !== "boolean") return invalid("listed");
      return ok({ supervision: a.listed ? "listed" : "none" }, [[{ action: "supervised", data: { listed: a.listed } }, from]]);
    }
    case "accept": {
      return ok({ status: "in_progress", assigneeId: state.assigneeId ?? memberId }, [[{ action: "accepted", data: { memberId } }, "in_progress"]]);
    }
    case "transfer_request": {
      const toUnitId = text(a.toUnitId, 1, 200);
      if (toUnitId === null || toUnitId === state.unitId) return invalid("toUnitId");
      const reason = text(a.reason);
      if (reason === null) return invalid("reason");
      // A system actor never gets here (route only), so the requester is always a member.
      return ok({ pendingTransfer: { toUnitId, reason, byMemberId: memberId ?? 0 } }, [
        [{ action: "transfer_requested", data: { toUnitId, reason } }, from],
      ]);
    }
    case "transfer_accept": {
      const target = state.pendingTransfer!.toUnitId;
      return ok({ status: "assigned", unitId: target, assigneeId: null, ...leavesWork }, [
        [{ action: "transfer_accepted", data: { unitId: target, fromUnitId: state.unitId } }, "assigned"],
      ]);
    }
    case "transfer_refuse": {
      const reason = text(a.reason);
      if (reason === null) return invalid("reason");
      const target = state.pendingTransfer!.toUnitId;
      return ok({ pendingTransfer: null }, [[{ action: "transfer_refused", data: { unitId: target, reason } }, from]]);
    }
    case "progress": {
      if (!isCount(a.attachments)) return invalid("attachments");
      const body = typeof a.text === "string" ? a.text.trim() : null;
      if (body === null || [...body].length > MAX_TEXT) return invalid("text");
      // A photo alone is a progress report; an empty message with nothing attached is not.
      if (body === "" && a.attachments === 0) return invalid("text");
      return ok({}, [[{ action: "progress", data: { text: body, attachments: a.attachments } }, from]]);
    }
    case "extension_request": {
      // Asking for a date already past, or no later than the current deadline, asks for nothing.
      if (!isTime(a.until) || a.until <= ctx.now || (state.dueAt !== null && a.until <= state.dueAt)) return invalid("until");
      const reason = text(a.reason);
      if (reason === null) return invalid("reason");
      return ok({ pendingExtension: { until: a.until, reason, byMemberId: memberId ?? 0 } }, [
        [{ action: "extension_requested", data: { until: a.until, reason } }, from],
      ]);
    }
    case "extension_decide": {
      if (typeof a.approve !== "boolean") return invalid("approve");
      const { until } = state.pendingExtension!;
      if (a.approve) {
        // Granting a date that has already gone by would leave the case overdue at once.
        if (!isTime(until) || until <= ctx.now) return invalid("until");
        return ok({ dueAt: until, pendingExtension: null }, [[{ action: "extension_granted", data: { until } }, from]]);
      }
      // The unit is told why (tell everything at once), so a refusal needs a reason.
      const reason = text(a.reason);
      if (reason === null) return invalid("reason");
      return ok({ pendingExtension: null }, [[{ action: "extension_refused", data: { reason } }, from]]);
    }
    case "resolve": {
      const measures = text(a.measures);
      if (measures === null) return invalid("measures");
      const responsible = text(a.responsible);
      if (responsible === null) return invalid("responsible");
      if (!isCount(a.evidence)) return invalid("evidence");
      if (needsEvidence(state.kind) && a.evidence < 1) return refuse("CASE.EVIDENCE_REQUIRED");
      return ok({ status: "resolved", ...leavesWork }, [[{ action: "resolved", data: { measures, responsible, evidence: a.evidence } }, "resolved"]]);
    }
    case "answer": {
      const body = text(a.text);
      if (body === null) return invalid("text");
      return ok({ status: "answered", assigneeId: state.assigneeId ?? memberId, ...leavesWork }, [
        [{ action: "answered", data: { text: body } }, "answered"],
      ]);
    }
    case "verify_close":
      return ok({ status: "closed" }, [[{ action: "closed", data: {} }, "closed"]]);
    case "send_back": {
      const reason = text(a.reason);
      if (reason === null) return invalid("reason");
      return ok({ status: "in_progress" }, [[{ action: "sent_back", data: { reason } }, "in_progress"]]);
    }
    case "ask_reporter": {
      const question = text(a.text);
      if (question === null) return invalid("text");
      // The answer goes back to whoever asked: the owner unit when one of its liaisons asked, else the office.
      const asOwner = !actor.system && actor.member.roles.includes("liaison") && state.unitId !== null && actor.member.unitIds.includes(state.unitId);
      return ok({}, [[{ action: "reporter_asked", data: { question, unitId: asOwner ? state.unitId : null } }, from]]);
    }
    case "reopen": {
      const reason = text(a.reason);
      if (reason === null) return invalid("reason");
      // Back to the unit that held it, to be done again: a new deadline is set as on assignment (dueAt cleared for it).
      const unitId = state.unitId!;
      return ok({ status: "assigned", dueAt: null, ...leavesWork }, [[{ action: "reopened", data: { unitId, reason } }, "assigned"]]);
    }
  }
}
