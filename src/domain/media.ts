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

// ── Files that came by another door than Telegram ────────────────────────────────────────

/**
 * A file uploaded on the web form (or through Open311) has no Telegram file id: its bytes go
 * straight into the office's archive, and the case names it by its hash in the same
 * `file_id` column, `archive:<sha256>.<ext>`. The outbox sends such a file as an upload read
 * from the archive; everything that lists files reads it like any other.
 */
const ARCHIVE_ID = /^archive:([0-9a-f]{64})\.([a-z0-9]{1,8})$/;

export function archiveMedia(kind: MediaItem["kind"], sha256: string, ext: string, size: number): MediaItem {
  return { kind, fileId: `archive:${sha256}.${ext}`, fileUniqueId: `sha256:${sha256}`, size };
}

/** The hash and extension an archive file id names, or null for a Telegram file id. */
export function archiveFileOf(fileId: string): { sha256: string; ext: string } | null {
  const m = ARCHIVE_ID.exec(fileId);
  return m ? { sha256: m[1]!, ext: m[2]! } : null;
}

/** The most bytes one uploaded picture may have: Telegram sends photos up to 10 MB. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * What an uploaded picture is, by its first bytes rather than the name or type the browser
 * claims: JPEG, PNG or WebP, the pictures a phone makes and Telegram shows as photos; null
 * for anything else.
 */
export function pictureTypeOf(bytes: Uint8Array): "jpg" | "png" | "webp" | null {
  const at = (offset: number, ...expected: number[]) => expected.every((b, i) => bytes[offset + i] === b);
  if (at(0, 0xff, 0xd8, 0xff)) return "jpg";
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return "webp";
  return null;
}
