/**
 * Evidence as a message carries it: a photo, a video, a voice note, or a file (a PDF, or a
 * picture or video sent as a file to keep its quality). One reader for every flow that takes
 * evidence (the citizen's report, a staff member's rectification photos and progress notes),
 * so each takes the same kinds with the same limits and says the same when one will not do.
 */
import type { MediaItem } from "./report-draft";

/** The content type of a file by its extension (lower case, no dot), for the types the office keeps and hands out; undefined for others. */
const CONTENT_TYPES: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  mp4: "video/mp4",
  mov: "video/quicktime",
  pdf: "application/pdf",
  oga: "audio/ogg",
  ogg: "audio/ogg",
  mp3: "audio/mpeg",
  csv: "text/csv",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

export function contentTypeOf(ext: string | null | undefined): string | undefined {
  return ext ? CONTENT_TYPES[ext.toLowerCase()] : undefined;
}

/** The largest file the bot can fetch from Telegram for the office's archive (getFile's limit). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Files taken as documents: PDFs, and pictures and videos sent as files. */
const DOCUMENT_TYPES = /^(application\/pdf|image\/[a-z0-9.+-]+|video\/[a-z0-9.+-]+)$/;

interface FileRef {
  file_id: string;
  file_unique_id: string;
  file_size?: number;
}

/** The parts of a Telegram message this reads (a subset of grammY's Message). */
export interface EvidenceMessage {
  photo?: FileRef[];
  video?: FileRef;
  voice?: FileRef;
  document?: FileRef & { mime_type?: string };
}

export type EvidenceRead =
  | { ok: true; item: MediaItem }
  /** Too large to keep, or a kind of file the office does not take; null: the message holds no file at all. */
  | { ok: false; problem: "media-too-large" | "media-wrong-type" }
  | null;

export function evidenceOf(msg: EvidenceMessage): EvidenceRead {
  const item = (kind: MediaItem["kind"], f: FileRef): EvidenceRead =>
    (f.file_size ?? 0) > MAX_FILE_BYTES
      ? { ok: false, problem: "media-too-large" }
      : { ok: true, item: { kind, fileId: f.file_id, fileUniqueId: f.file_unique_id } };
  const largest = msg.photo?.at(-1);
  if (largest) return item("photo", largest);
  if (msg.video) return item("video", msg.video);
  if (msg.voice) return item("voice", msg.voice);
  if (msg.document)
    return DOCUMENT_TYPES.test(msg.document.mime_type ?? "") ? item("document", msg.document) : { ok: false, problem: "media-wrong-type" };
  return null;
}
