/**
 * The case's evidence as staff receive it: the files of each step (the report, progress notes,
 * the resolution, what the reporter sent later) as albums, and the pin as a real map pin, written as outbox messages so they
 * are durable and paced like every other message. Telegram takes 2 to 10 items in an album,
 * photos and videos together and documents apart, so a step's files become albums of at most
 * ten (a lone file is sent on its own), each captioned with the case number and the step.
 *
 * Captions name only the case and the step, and files are sent by their file ids with the
 * bot's own sends: nothing here can carry who reported the case.
 */
import { asc, eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { attachments, caseEvents, cases } from "../../db/schema";
import { archiveFileOf } from "../domain/media";
import type { MediaKind } from "../domain/report-draft";
import type { Pin } from "../domain/workflow";
import type { Translate } from "../i18n";
import type { ArchivedUpload, OutboxMessage, OutboxMethod } from "./outbox";

/** The steps whose files travel with a case, in the order they happen ("material": the reporter's answers and additions). */
export type EvidenceStep = "report" | "progress" | "resolution" | "material";

const STEP_OF: Record<string, EvidenceStep> = {
  submitted: "report",
  progress: "progress",
  resolved: "resolution",
  reporter_replied: "material",
  material_added: "material",
};

export interface EvidenceFile {
  kind: MediaKind;
  fileId: string;
}

/** One step's files, from one event. */
export interface EvidenceSet {
  step: EvidenceStep;
  /** The event the files came with: what a message about them is keyed by. */
  eventId: number;
  files: EvidenceFile[];
}

/** The case's files by the event they came with, oldest first. */
export async function evidenceOf(ex: Executor, caseId: number): Promise<EvidenceSet[]> {
  const rows = await ex
    .select({ eventId: attachments.eventId, action: caseEvents.action, kind: attachments.kind, fileId: attachments.fileId })
    .from(attachments)
    .innerJoin(caseEvents, eq(caseEvents.id, attachments.eventId))
    .where(eq(attachments.caseId, caseId))
    .orderBy(asc(attachments.eventId), asc(attachments.id));
  const sets: EvidenceSet[] = [];
  for (const row of rows) {
    const step = STEP_OF[row.action];
    if (!step || row.eventId === null) continue;
    let set = sets.at(-1);
    if (set?.eventId !== row.eventId) {
      set = { step, eventId: row.eventId, files: [] };
      sets.push(set);
    }
    set.files.push({ kind: row.kind, fileId: row.fileId });
  }
  return sets;
}

/** Telegram's most items in one album. */
export const MAX_ALBUM = 10;

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** How a lone file of each kind is sent: the method, and the field that names the file. */
const SEND_ONE: Record<MediaKind, { method: OutboxMethod; field: string }> = {
  photo: { method: "sendPhoto", field: "photo" },
  video: { method: "sendVideo", field: "video" },
  document: { method: "sendDocument", field: "document" },
  voice: { method: "sendVoice", field: "voice" },
};

/** A file as a send names it: its Telegram file id, or, for one uploaded straight into the archive, the archived bytes. */
function sendable(file: EvidenceFile): string | ArchivedUpload {
  const archived = archiveFileOf(file.fileId);
  return archived ? { archived: archived.sha256, filename: `${file.kind}.${archived.ext}` } : file.fileId;
}

/**
 * The calls that send one step's files: photos and videos in albums, documents in albums of
 * their own, and each voice note alone (Telegram puts none in an album).
 */
function stepCalls(t: Translate, number: string, set: EvidenceSet): Pick<OutboxMessage, "method" | "payload">[] {
  const of = (...kinds: MediaKind[]) => set.files.filter((f) => kinds.includes(f.kind));
  const albums = [...chunks(of("photo", "video"), MAX_ALBUM), ...chunks(of("document"), MAX_ALBUM), ...of("voice").map((f) => [f])];
  return albums.map((album, i) => {
    const caption = t("evidence-caption", {
      number,
      step: t(`evidence-step-${set.step}`),
      part: albums.length > 1 ? ` (${i + 1}/${albums.length})` : "",
    });
    if (album.length === 1) {
      const [file] = album as [EvidenceFile];
      const { method, field } = SEND_ONE[file.kind];
      return { method, payload: { [field]: sendable(file), caption } };
    }
    // The caption of an album is the first item's.
    return {
      method: "sendMediaGroup",
      payload: { media: album.map((f, j) => ({ type: f.kind, media: sendable(f), ...(j === 0 ? { caption } : {}) })) },
    };
  });
}

/** Where the case was reported: a venue when it has an address, else a bare pin; null without a pin. */
function pinCall(row: { number: string; latitude: number | null; longitude: number | null; address: string | null }) {
  if (row.latitude === null || row.longitude === null) return null;
  const at = { latitude: row.latitude, longitude: row.longitude };
  return row.address
    ? ({ method: "sendVenue", payload: { ...at, title: row.number, address: row.address } } as const)
    : ({ method: "sendLocation", payload: at } as const);
}

/** A chat the evidence goes to, in its reader's language, each message keyed by `key(part)`. */
export interface EvidenceRecipient {
  chatId: number;
  t: Translate;
  key: (part: string) => string;
}

/**
 * The evidence messages for each recipient: the chosen steps' files in the order given (each
 * step's events oldest first; only `eventId`'s when given), then the pin if asked for: the
 * case's, or the one given (a pin the reporter sent later). The case and its files are read
 * once for all recipients. Keyed per chat, so a chat gets each set once however many cards follow.
 */
export async function evidenceMessages(
  ex: Executor,
  caseId: number,
  recipients: readonly EvidenceRecipient[],
  opts: { steps: EvidenceStep[]; pin: boolean | Pin; eventId?: number },
): Promise<OutboxMessage[]> {
  if (recipients.length === 0) return [];
  const [row] = await ex
    .select({ number: cases.number, latitude: cases.latitude, longitude: cases.longitude, address: cases.address })
    .from(cases)
    .where(eq(cases.id, caseId));
  if (!row) return [];
  const sets = (await evidenceOf(ex, caseId)).filter((set) => opts.eventId === undefined || set.eventId === opts.eventId);
  const pin = typeof opts.pin === "object" ? ({ method: "sendLocation", payload: { ...opts.pin } } as const) : opts.pin ? pinCall(row) : null;
  const out: OutboxMessage[] = [];
  for (const { chatId, t, key } of recipients) {
    for (const step of opts.steps) {
      for (const set of sets.filter((s) => s.step === step)) {
        stepCalls(t, row.number, set).forEach((call, i) => {
          out.push({ chatId, ...call, dedupeKey: key(`${set.eventId}.${i}`) });
        });
      }
    }
    if (pin) out.push({ chatId, ...pin, dedupeKey: key("pin") });
  }
  return out;
}
