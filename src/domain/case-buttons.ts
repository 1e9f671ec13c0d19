/**
 * The action catalog: every button a case card can carry, written once — the workflow action
 * it leads to, its label (a locale key), its code in callback data, and what a press starts
 * (the action at once, words to type, or a choice from more buttons). Which buttons a card
 * shows is not decided here but by the workflow: a card carries exactly the buttons of
 * `availableActions(state, actor)` for the person or audience it is for. The chat handlers,
 * the outbox's cards and the tests read this table; so will the web console.
 *
 * Callback data of the case family is `c:<case id>:<version>:<code>[:<argument>]`; the
 * version makes a press on a stale card lose. `CASE_PRESS` is its one codec.
 */
import { buttonCodec, oneOfWords, positiveInt, wholeNumber } from "./button-data";
import { consoleCase } from "./console-links";
import { isDirectoryId } from "./directory-id";
import { type Action, type ActionType, type Actor, availableActions, type CaseState, SEVERITIES, type Severity } from "./workflow";

/** What a staff member types after pressing a button that needs words: plain text, a date, or the three steps of a resolution. */
export type InputStep = "text" | "date" | "measures";

/** What a press starts. */
export type Next =
  | { does: "act"; action: Action }
  | { does: "ask"; step: InputStep; prompt: string }
  | { does: "choose-unit"; chosen: "au" | "tu"; prompt: string }
  | { does: "choose-severity" };

interface CardButton {
  readonly action: ActionType;
  readonly label: string;
  readonly next: Next;
  /** For an action with two faces (list or unlist; grant or refuse): whether this one shows on the case as it stands. */
  readonly shows?: (state: CaseState) => boolean;
}

const act = (action: Action) => ({ does: "act", action }) as const;
const ask = (step: InputStep, prompt: string) => ({ does: "ask", step, prompt }) as const;

/** In the order a card shows them. */
export const CARD_BUTTONS = {
  acc: { action: "accept", label: "btn-accept", next: act({ type: "accept" }) },
  tra: { action: "transfer_accept", label: "btn-transfer-accept", next: act({ type: "transfer_accept" }) },
  trr: { action: "transfer_refuse", label: "btn-transfer-refuse", next: ask("text", "ask-refuse-reason") },
  ans: { action: "answer", label: "btn-answer", next: ask("text", "ask-answer") },
  res: { action: "resolve", label: "btn-resolve", next: ask("measures", "ask-measures") },
  pg: { action: "progress", label: "btn-progress", next: ask("text", "ask-progress") },
  ext: { action: "extension_request", label: "btn-extension", next: ask("date", "ask-extension-date") },
  tr: { action: "transfer_request", label: "btn-transfer", next: { does: "choose-unit", chosen: "tu", prompt: "ask-transfer-unit" } },
  as: { action: "assign", label: "btn-assign", next: { does: "choose-unit", chosen: "au", prompt: "ask-assign-unit" } },
  rej: { action: "reject", label: "btn-reject", next: ask("text", "ask-reject-reason") },
  dup: { action: "mark_duplicate", label: "btn-duplicate", next: ask("text", "ask-duplicate-of") },
  nd: { action: "dismiss_duplicate", label: "btn-not-duplicate", next: act({ type: "dismiss_duplicate" }) },
  cls: { action: "verify_close", label: "btn-close", next: act({ type: "verify_close" }) },
  sb: { action: "send_back", label: "btn-send-back", next: ask("text", "ask-send-back-reason") },
  ask: { action: "ask_reporter", label: "btn-ask-reporter", next: ask("text", "ask-reporter-question") },
  ro: { action: "reopen", label: "btn-reopen", next: ask("text", "ask-reopen-reason") },
  exa: { action: "extension_decide", label: "btn-extension-approve", next: act({ type: "extension_decide", approve: true }) },
  exr: { action: "extension_decide", label: "btn-extension-refuse", next: ask("text", "ask-refuse-reason") },
  sev: { action: "set_severity", label: "btn-severity", next: { does: "choose-severity" } },
  dl: { action: "set_deadline", label: "btn-deadline", next: ask("date", "ask-deadline") },
  sup: { action: "supervise", label: "btn-supervise", next: act({ type: "supervise", listed: true }), shows: (s) => s.supervision !== "listed" },
  uns: { action: "supervise", label: "btn-unsupervise", next: act({ type: "supervise", listed: false }), shows: (s) => s.supervision === "listed" },
} as const satisfies Record<string, CardButton>;

export type CardCode = keyof typeof CARD_BUTTONS;
export const CARD_CODES = Object.keys(CARD_BUTTONS) as CardCode[];

/**
 * The presses after a first one, each with its argument: a unit chosen to transfer to (then
 * the reason is typed) or to assign to (then the whole unit, `ax`, or one liaison, `am`), and a
 * severity chosen (`sv`).
 */
const TRANSFER_REASON = ask("text", "ask-transfer-reason");

/** Opens the card as it stands now, with the presser's own buttons; carries no version worth checking. */
export const VIEW = "view";
export const REFRESH_LABEL = "btn-refresh";
/** Sends the case's files and pin again, to the chat the card is in: no workflow action, so no version check. */
export const SHOW_EVIDENCE = "ev";
export const EVIDENCE_LABEL = "btn-evidence";

/**
 * Opens the case in the console (the Mini App) rather than pressing anything: a `web_app`
 * button, so no callback data and nothing for the bot to handle. Telegram takes web_app
 * buttons in private chats only, and https addresses only: a card to a group, or from an
 * office whose console has no https address, goes without it.
 */
export const OPEN_IN_CONSOLE = { label: "btn-console", url: consoleCase } as const;

/** The codes that wait for typed words, and what they ask first. */
export type AskCode = { [C in CardCode]: (typeof CARD_BUTTONS)[C]["next"] extends { does: "ask" } ? C : never }[CardCode] | "tu";

export function askOf(code: AskCode): { step: InputStep; prompt: string } {
  return code === "tu" ? TRANSFER_REASON : CARD_BUTTONS[code].next;
}

/** The workflow action the words of an asking press are for. */
export function askAction(code: AskCode): ActionType {
  return code === "tu" ? "transfer_request" : CARD_BUTTONS[code].action;
}

export const isAskCode = (code: string): code is AskCode =>
  code === "tu" || (Object.hasOwn(CARD_BUTTONS, code) && CARD_BUTTONS[code as CardCode].next.does === "ask");

/** A press of a case button, decoded. */
export type CasePress = { caseId: number; version: number } & (
  | { code: CardCode | typeof VIEW | typeof SHOW_EVIDENCE }
  | { code: "tu" | "au" | "ax"; unitId: string }
  | { code: "am"; memberId: number }
  | { code: "sv"; severity: Severity }
);

const PLAIN_CODES: readonly string[] = [...CARD_CODES, VIEW, SHOW_EVIDENCE];

export const CASE_PRESS = buttonCodec<CasePress>(
  "c",
  (p) => {
    const head = [p.caseId, p.version, p.code];
    if ("unitId" in p) return [...head, p.unitId];
    if ("memberId" in p) return [...head, p.memberId];
    if ("severity" in p) return [...head, p.severity];
    return head;
  },
  ([id, versionField, code, arg, ...rest]) => {
    const caseId = positiveInt(id);
    const version = wholeNumber(versionField);
    if (caseId === null || version === null || code === undefined || rest.length > 0) return null;
    const at = { caseId, version };
    if (code === "tu" || code === "au" || code === "ax") return isDirectoryId(arg) ? { ...at, code, unitId: arg } : null;
    if (code === "am") {
      const memberId = positiveInt(arg);
      return memberId === null ? null : { ...at, code, memberId };
    }
    if (code === "sv") {
      const severity = oneOfWords(SEVERITIES, arg);
      return severity === null ? null : { ...at, code, severity };
    }
    return arg === undefined && PLAIN_CODES.includes(code) ? { ...at, code: code as CardCode | typeof VIEW | typeof SHOW_EVIDENCE } : null;
  },
);

/** Who a card sent to a chat is for, when it is not one known person: the owner unit, a transfer's target, the dispatchers, the leaders. */
export type Audience = "dispatcher" | "unit" | "transfer-target" | "leader";

/**
 * An audience as the workflow sees a member of it. The gate reads only roles and units, so
 * the member id is a placeholder (any valid id would do).
 */
export function audienceActor(audience: Audience, state: Pick<CaseState, "unitId" | "pendingTransfer">): Actor {
  const member = (roles: Extract<Actor, { kind: "member" }>["roles"], unitId?: string | null) => ({
    kind: "member" as const,
    memberId: 1,
    roles,
    unitIds: unitId ? [unitId] : [],
  });
  switch (audience) {
    case "unit":
      return member(["liaison"], state.unitId);
    case "transfer-target":
      return member(["liaison"], state.pendingTransfer?.toUnitId);
    case "dispatcher":
      return member(["dispatcher"]);
    case "leader":
      return member(["leader"]);
  }
}

/** The buttons a card carries for this actor, in the catalog's order: exactly the actions the workflow would let them take now. */
export function cardCodes(state: CaseState, actor: Actor): CardCode[] {
  const open = new Set(availableActions(state, actor));
  return CARD_CODES.filter((code) => {
    const button: CardButton = CARD_BUTTONS[code];
    return open.has(button.action) && (button.shows?.(state) ?? true);
  });
}

/** The label of what was done ("done: ✅ accept"), from the button that does it. */
export function doneLabel(action: Action): string {
  switch (action.type) {
    case "extension_decide":
      return CARD_BUTTONS[action.approve ? "exa" : "exr"].label;
    case "supervise":
      return CARD_BUTTONS[action.listed ? "sup" : "uns"].label;
    default:
      return CARD_CODES.map((code): CardButton => CARD_BUTTONS[code]).find((b) => b.action === action.type)?.label ?? REFRESH_LABEL;
  }
}
