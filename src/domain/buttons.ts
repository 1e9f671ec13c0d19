/**
 * Every family of inline buttons the bot sends, and the one codec that writes and reads its
 * callback data. A keyboard writes a button with `encode`; its handler matches the family's
 * `pattern` and reads the press with `decode`, which gives a typed value or null for anything
 * the client sends that the family never wrote (answered as a stale button). What a press may
 * do is decided on the server each time: a decoded value is only a reference.
 *
 * The case card's buttons (`c:`) have their own catalog in case-buttons.ts, since each one is
 * a workflow action; they are listed in BUTTON_FAMILIES with the rest.
 */
import { buttonCodec, oneOfWords, type Pressed, positiveInt } from "./button-data";
import { CASE_PRESS } from "./case-buttons";
import { isDirectoryId } from "./directory-id";
import { STAFF_SOURCES, type StaffSource } from "./doors";
import { LOCALES, type Locale } from "./locale";
import { type Flow, STEPS, type Step } from "./report-draft";

/** A button that carries nothing but its name: the whole data is `prefix:name`. */
function named<const W extends string>(prefix: string, words: readonly W[]) {
  return buttonCodec<W>(
    prefix,
    (word) => [word],
    ([word, ...rest]) => (rest.length === 0 ? oneOfWords(words, word) : null),
  );
}

/** A button that names one record by its id: the whole data is `prefix:id`. */
function byId<const K extends string>(prefix: string, key: K) {
  return buttonCodec<Record<K, number>>(
    prefix,
    (value) => [value[key]],
    ([field, ...rest]) => {
      const id = positiveInt(field);
      return id !== null && rest.length === 0 ? ({ [key]: id } as Record<K, number>) : null;
    },
  );
}

/** One of a few words, or a unit: `prefix:word` or `prefix:u:<unit id>`, read as `{ [key]: word }` or `{ [key]: "unit", unitId }`. */
function wordOrUnit<const K extends string, const W extends string>(prefix: string, key: K, words: readonly W[]) {
  type Choice = Record<K, W> | (Record<K, "unit"> & { unitId: string });
  return buttonCodec<Choice>(
    prefix,
    (c) => ("unitId" in c ? ["u", c.unitId] : [c[key]]),
    ([what, unitId, ...rest]) => {
      if (rest.length > 0) return null;
      if (what === "u") return isDirectoryId(unitId) ? ({ [key]: "unit", unitId } as Choice) : null;
      const word = oneOfWords(words, what);
      return word !== null && unitId === undefined ? ({ [key]: word } as Choice) : null;
    },
  );
}

// ── The citizen's side ───────────────────────────────────────────────────────────────────

/** The main menu under the welcome and every "not understood". */
export const MENU = named("menu", ["report", "ask", "my", "lang"]);

/** A language, offered in its own name. */
export const LANGUAGE = buttonCodec<Locale>(
  "lang",
  (locale) => [locale],
  ([locale, ...rest]) => (rest.length === 0 ? oneOfWords(LOCALES, locale) : null),
);

/** A draft's id: the short random token a report or question is kept under while written. */
const DRAFT_ID = /^[a-z0-9]{8}$/;
const isDraftId = (value: string | undefined): value is string => value !== undefined && DRAFT_ID.test(value);

/** What a button under a report or question being written asks for. */
export type DraftChoice =
  | { do: "resume" | "cancel" | "skip" | "done" | "submit" | "edit" }
  | { do: "kind"; kind: "hazard" | "violation" }
  | { do: "source"; source: StaffSource }
  | { do: "sector" | "region"; id: string }
  | { do: "urgent" | "anon" | "reward"; yes: boolean }
  | { do: "field"; step: Step };

export type DraftPress = DraftChoice & { draftId: string };

const BARE = ["resume", "cancel", "skip", "done", "submit", "edit"] as const;
const YES_NO = ["urgent", "anon", "reward"] as const;

/** `d:<draft id>:<what>[:<value>]`: a press names its draft, so one from an older draft loses. */
export const DRAFT_PRESS = buttonCodec<DraftPress>(
  "d",
  (p) => {
    switch (p.do) {
      case "kind":
        return [p.draftId, p.do, p.kind];
      case "source":
        return [p.draftId, p.do, p.source];
      case "sector":
      case "region":
        return [p.draftId, p.do, p.id];
      case "urgent":
      case "anon":
      case "reward":
        return [p.draftId, p.do, p.yes ? 1 : 0];
      case "field":
        return [p.draftId, p.do, p.step];
      default:
        return [p.draftId, p.do];
    }
  },
  ([draftId, what, value, ...rest]) => {
    if (!isDraftId(draftId) || rest.length > 0) return null;
    const bare = oneOfWords(BARE, what);
    if (bare) return value === undefined ? { draftId, do: bare } : null;
    if (what === "kind") {
      const kind = oneOfWords(["hazard", "violation"], value);
      return kind ? { draftId, do: what, kind } : null;
    }
    if (what === "source") {
      const source = oneOfWords(STAFF_SOURCES, value);
      return source ? { draftId, do: what, source } : null;
    }
    if (what === "sector" || what === "region") return isDirectoryId(value) ? { draftId, do: what, id: value } : null;
    const yesNo = oneOfWords(YES_NO, what);
    if (yesNo) return value === "1" || value === "0" ? { draftId, do: yesNo, yes: value === "1" } : null;
    if (what === "field") {
      const step = oneOfWords(STEPS, value);
      return step ? { draftId, do: what, step } : null;
    }
    return null;
  },
);

/** "Start again" under a draft that was left open: a fresh one of the same flow replaces it. */
export const NEW_FLOW = buttonCodec<{ flow: Flow; oldDraftId: string }>(
  "new",
  (p) => [p.flow, p.oldDraftId],
  ([flow, oldDraftId, ...rest]) => {
    const known = oneOfWords(["report", "ask", "intake"], flow);
    return known && isDraftId(oldDraftId) && rest.length === 0 ? { flow: known, oldDraftId } : null;
  },
);

/** One of the person's own cases under /my. */
export const MY_CASE = byId("st", "caseId");

/** Stars for a closed case (the follow-up visit), on the request the outbox sends. */
export const RATE = buttonCodec<{ caseId: number; stars: 1 | 2 | 3 | 4 | 5 }>(
  "rate",
  (p) => [p.caseId, p.stars],
  ([id, stars, ...rest]) => {
    const caseId = positiveInt(id);
    const n = oneOfWords(["1", "2", "3", "4", "5"], stars);
    return caseId !== null && n !== null && rest.length === 0 ? { caseId, stars: Number(n) as 1 | 2 | 3 | 4 | 5 } : null;
  },
);

/**
 * "Reply" under the office's question, and "add material" under one's open case in /my: opens
 * the gathering of words, photos, files and a pin for that case; "send" ends it.
 */
export const MATERIAL = byId("mt", "caseId");
export const MATERIAL_SEND = named("mts", ["send"]);

/** "Ask a follow-up" (zhuiwen) under the answer to one's consultation, and under it in /my: opens the question. */
export const FOLLOW_UP = byId("fu", "caseId");

/** "No comment" after the stars, or "this is a complaint" (the comment then goes to the dispatchers, who may reopen the case). */
export const RATING_COMMENT = named("ratec", ["skip", "complaint"]);

// ── The office's side ────────────────────────────────────────────────────────────────────

/** The end of "send the rectification photos". */
export const EVIDENCE = named("si", ["done"]);

/** A notice being written: its targets, then the preview. */
export const NOTICE = wordOrUnit("nt", "do", ["cancel", "all", "next", "back", "send"]);
export type NoticeStep = Pressed<typeof NOTICE>;

/** "Read" on every copy of a notice. */
export const NOTICE_READ = byId("nr", "noticeId");

/** A post to the public channel, confirmed after its preview. */
export type PublishChoice = { do: "cancel" } | { do: "post"; caseId: number; kind: "listed" | "closed" };

export const PUBLISH = buttonCodec<PublishChoice>(
  "pb",
  (p) => (p.do === "cancel" ? ["cancel"] : [p.caseId, p.kind]),
  ([first, kind, ...rest]) => {
    if (rest.length > 0) return null;
    if (first === "cancel") return kind === undefined ? { do: "cancel" } : null;
    const caseId = positiveInt(first);
    const post = oneOfWords(["listed", "closed"], kind);
    return caseId !== null && post !== null ? { do: "post", caseId, kind: post } : null;
  },
);

/** The buttons under the leaders' digest, each the answer of the command it is named after. */
export const DIGEST = named("dg", ["supervised", "ranking", "stats"]);

/** A group bound from the buttons under a bare /bind: the office's two groups, or a unit's. */
export const BIND = wordOrUnit("bd", "purpose", ["dispatchers", "leaders"]);

/** Every family, for the test that no two share a prefix. */
export const BUTTON_FAMILIES = [
  MENU,
  LANGUAGE,
  DRAFT_PRESS,
  NEW_FLOW,
  MY_CASE,
  RATE,
  RATING_COMMENT,
  MATERIAL,
  MATERIAL_SEND,
  FOLLOW_UP,
  EVIDENCE,
  NOTICE,
  NOTICE_READ,
  PUBLISH,
  DIGEST,
  BIND,
  CASE_PRESS,
] as const;
