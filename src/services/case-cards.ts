/**
 * How a case is shown: the staff card (text and buttons, by audience) and the line a citizen
 * reads about each public step. Rendered here rather than in handlers because the outbox
 * stores finished messages, in each recipient's language, long before any handler runs.
 *
 * Anonymity: the card shows a reporter only when caseCardData read one, which it does only
 * for a named report.
 */
import { InlineKeyboard } from "grammy";
import type { LedgerEntry } from "../../db/queries/case-events";
import type { CaseCardData } from "../../db/queries/staff-cases";
import {
  type Audience,
  audienceActor,
  CARD_BUTTONS,
  CASE_PRESS,
  cardCodes,
  EVIDENCE_LABEL,
  OPEN_IN_CONSOLE,
  REFRESH_LABEL,
  SHOW_EVIDENCE,
  VIEW,
} from "../domain/case-buttons";
import type { TimelineEntry } from "../domain/case-status";
import { type Locale, localName } from "../domain/locale";
import { formatOfficeTime } from "../domain/office-time";
import type { Actor, CaseState, WorkflowEvent } from "../domain/workflow";
import type { Translate, TranslateArgs } from "../i18n";
import type { ActionOutcome } from "./case-actions";

export type { Audience };

const DESCRIPTION_CHARS = 1500;
const REASON_CHARS = 300;

/** Cuts text to at most `max` characters (code points, so an emoji is never split). */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

const name = (locale: Locale, row: { nameZh: string; nameEn: string } | null) => (row ? localName(locale, row) : "");

/** The card's text; `header` is a locale key, filled in with `headerArgs`. */
export function renderCard(t: Translate, locale: Locale, timeZone: string, d: CaseCardData, header: string, headerArgs?: TranslateArgs): string {
  const { row } = d;
  const lines = [
    t(header, headerArgs),
    t("card-title", { number: row.number, kind: t(`kind-${row.kind}`), severity: t(`severity-${row.severity}`) }),
  ];
  if (row.supervision === "listed") lines.push(t("card-supervised"));
  lines.push(t("card-status", { status: t(`status-${row.status}`), unit: d.unit ? ` · ${name(locale, d.unit)}` : "" }));
  if (d.mergedInto) lines.push(t("card-merged", { number: d.mergedInto.number }));
  if (d.sector) lines.push(t("card-sector", { sector: name(locale, d.sector) }));
  const place = [name(locale, d.region), row.address ?? ""].filter(Boolean).join(" · ");
  if (place) lines.push(t("card-place", { place }));
  if (row.latitude !== null && row.longitude !== null) {
    lines.push(t("card-pin", { lat: row.latitude.toFixed(5), lng: row.longitude.toFixed(5) }));
  }
  if (row.dueAt !== null) lines.push(t("card-due", { due: formatOfficeTime(row.dueAt, timeZone) }));
  lines.push(d.reporter ? t("card-reporter-named", { name: d.reporter.name ?? "", phone: d.reporter.phone ?? "" }) : t("card-reporter-anonymous"));
  if (d.attachments > 0) lines.push(t("card-attachments", { count: d.attachments }));
  if (d.duplicates.length > 0) lines.push(t("card-duplicate", { numbers: d.duplicates.join(t("list-separator")) }));
  if (row.pendingTransfer) {
    lines.push(
      t("card-pending-transfer", {
        unit: name(locale, d.transferUnit) || row.pendingTransfer.toUnitId,
        reason: clip(row.pendingTransfer.reason, REASON_CHARS),
      }),
    );
  }
  if (row.pendingExtension) {
    lines.push(
      t("card-pending-extension", {
        until: formatOfficeTime(row.pendingExtension.until, timeZone),
        reason: clip(row.pendingExtension.reason, REASON_CHARS),
      }),
    );
  }
  lines.push("", t("card-description"), clip(row.description, DESCRIPTION_CHARS));
  // What was done, while it is what the case stands on: from the rectification until it is closed or sent back.
  if (d.resolution && (row.status === "resolved" || row.status === "closed")) {
    lines.push(
      "",
      t("card-resolution", { at: formatOfficeTime(d.resolution.at, timeZone), evidence: d.resolution.evidence }),
      t("card-measures", { measures: clip(d.resolution.measures, DESCRIPTION_CHARS) }),
      t("card-responsible", { responsible: clip(d.resolution.responsible, REASON_CHARS) }),
    );
  }
  return fitMessage(lines.join("\n"));
}

/** Buttons under a card, three to a row. */
const BUTTONS_PER_ROW = 3;

/**
 * The buttons a card carries: those of the actions the workflow lets its reader take now
 * (a known person, or a member of the audience a chat stands for), and a refresh. Whoever
 * presses is checked again on the server. With `miniApp` (the console's https address; the
 * caller passes it only for a private chat), also "open in console".
 */
export function cardKeyboard(t: Translate, d: CaseCardData, reader: Audience | Actor, miniApp: string | null = null): InlineKeyboard {
  const state = toState(d.row, d.duplicates);
  const actor = typeof reader === "string" ? audienceActor(reader, state) : reader;
  const kb = new InlineKeyboard();
  const at = { caseId: d.row.id, version: d.row.version };
  const codes = cardCodes(state, actor);
  codes.forEach((code, i) => {
    if (i > 0 && i % BUTTONS_PER_ROW === 0) kb.row();
    kb.text(t(CARD_BUTTONS[code].label), CASE_PRESS.encode({ ...at, code }));
  });
  // No empty row when the reader has nothing to do on this case.
  if (codes.length > 0) kb.row();
  if (d.attachments > 0 || d.row.latitude !== null) kb.text(t(EVIDENCE_LABEL), CASE_PRESS.encode({ ...at, code: SHOW_EVIDENCE }));
  kb.text(t(REFRESH_LABEL), CASE_PRESS.encode({ ...at, code: VIEW }));
  if (miniApp !== null) kb.row().webApp(t(OPEN_IN_CONSOLE.label), OPEN_IN_CONSOLE.url(miniApp, d.row.id));
  return kb;
}

/** The workflow's view of a case row, with the numbers of its open possible-duplicate hints (`openDuplicateHints`). */
export function toState(row: CaseCardData["row"], duplicateHints: readonly string[]): CaseState {
  return {
    status: row.status,
    kind: row.kind,
    severity: row.severity,
    unitId: row.unitId,
    assigneeId: row.assigneeId,
    dueAt: row.dueAt,
    supervision: row.supervision,
    pendingTransfer: row.pendingTransfer ?? null,
    pendingExtension: row.pendingExtension ?? null,
    mergedInto: row.mergedInto,
    duplicateHints,
    version: row.version,
  };
}

/** One public step as a citizen reads it. */
export function timelineText(t: Translate, locale: Locale, entry: TimelineEntry, unit: { nameZh: string; nameEn: string } | undefined): string {
  return t(`timeline-${entry.step}`, { unit: name(locale, unit ?? null), reason: entry.reason ?? "" });
}

const LEDGER_EVENTS = 12;
const LEDGER_DETAIL_CHARS = 60;

/** What a person wrote with the event (a reason, an answer, measures and who is responsible, a comment), shown in the staff ledger. */
export function wordsOf(t: Translate, event: WorkflowEvent): string | undefined {
  switch (event.action) {
    case "rejected":
    case "transfer_requested":
    case "transfer_refused":
    case "extension_requested":
    case "extension_refused":
    case "sent_back":
    case "reopened":
      return event.data.reason;
    case "progress":
    case "answered":
      return event.data.text;
    case "resolved":
      return t("ledger-resolution", { measures: event.data.measures, responsible: event.data.responsible });
    case "rating_comment":
      return event.data.complaint ? t("ledger-complaint", { comment: event.data.comment }) : event.data.comment;
    case "reporter_asked":
    case "follow_up_asked":
      return event.data.question;
    case "duplicate_dismissed":
      return event.data.of.join(t("list-separator"));
    case "reporter_replied":
    case "material_added":
      return event.data.text || undefined;
    case "submitted":
      // The door, for a case that did not come by the chat: a 12345 order's number, a letter's reference.
      return event.data.source
        ? t("ledger-source", { source: t(`source-${event.data.source}`), ref: event.data.ref ? t("ledger-source-ref", { ref: event.data.ref }) : "" })
        : undefined;
    case "assigned":
    case "severity_set":
    case "deadline_set":
    case "merged":
    case "closed":
    case "supervised":
    case "accepted":
    case "transfer_accepted":
    case "extension_granted":
    case "rated":
    case "reporter_erased":
      return undefined;
    default:
      return event satisfies never;
  }
}

/**
 * The ledger of a case: who in the office did what, when. Citizens appear only as "the
 * citizen". Under a card, the most recent events with what was written cut short, so the card
 * stays within one message; `full` (for /case) every event with every word. A row this
 * version cannot read (`event: null`) is listed as "other", without its data.
 */
export function renderLedger(t: Translate, timeZone: string, entries: readonly LedgerEntry[], opts: { full?: boolean } = {}): string {
  const lines = [t("ledger-title")];
  for (const e of opts.full ? entries : entries.slice(-LEDGER_EVENTS)) {
    const said = e.event && wordsOf(t, e.event);
    const detail = said ? t("ledger-detail", { text: opts.full ? said : clip(said, LEDGER_DETAIL_CHARS) }) : "";
    const actor = e.actorKind === "member" && e.memberName ? ` · ${e.memberName}` : e.actorKind === "system" ? ` · ${t("actor-system")}` : "";
    lines.push(
      t("ledger-line", {
        time: formatOfficeTime(e.at, timeZone),
        // A case a dispatcher recorded for a caller was not submitted by a citizen.
        action: t(
          e.event ? (e.event.action === "submitted" && e.actorKind === "member" ? "event-recorded" : `event-${e.event.action}`) : "event-other",
        ),
        actor,
        detail,
      }),
    );
  }
  return lines.join("\n");
}

/** A refusal as staff read it: the code's sentence, naming the field at fault in their language. */
export function refusalText(t: Translate, refusal: Pick<Extract<ActionOutcome, { ok: false }>, "code" | "field">): string {
  return t(`refusal-${refusal.code.replace(".", "-")}`, { field: refusal.field ? t(`field-${refusal.field}`) : "" });
}

/** Telegram's ceiling for one message (counted in UTF-16 units); a card over it is cut, never refused. */
export function fitMessage(text: string, max = 4096): string {
  if (text.length <= max) return text;
  let out = "";
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}
