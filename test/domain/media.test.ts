/** What counts as evidence in a message, for every flow that takes it. */
import { describe, expect, it } from "vitest";
import { evidenceOf, MAX_FILE_BYTES } from "../../src/domain/media";

const file = (id: string, size?: number) => ({ file_id: `file-${id}`, file_unique_id: id, ...(size === undefined ? {} : { file_size: size }) });

describe("evidence in a message", () => {
  it("takes the largest size of a photo, a video, a voice note, and PDFs, pictures and videos sent as files", () => {
    expect(evidenceOf({ photo: [file("small", 10), file("large", 900_000)] })).toEqual({
      ok: true,
      item: { kind: "photo", fileId: "file-large", fileUniqueId: "large" },
    });
    expect(evidenceOf({ video: file("v") })).toMatchObject({ ok: true, item: { kind: "video" } });
    expect(evidenceOf({ voice: file("n") })).toMatchObject({ ok: true, item: { kind: "voice" } });
    for (const mime_type of ["application/pdf", "image/jpeg", "image/heic", "video/mp4"]) {
      expect(evidenceOf({ document: { ...file("d"), mime_type } }), mime_type).toMatchObject({ ok: true, item: { kind: "document" } });
    }
  });

  it("refuses a file the office cannot fetch or does not keep, and finds nothing in a message without one", () => {
    expect(evidenceOf({ video: file("big", MAX_FILE_BYTES + 1) })).toEqual({ ok: false, problem: "media-too-large" });
    expect(evidenceOf({ video: file("edge", MAX_FILE_BYTES) })).toMatchObject({ ok: true });
    for (const mime_type of ["application/zip", "application/x-msdownload", "text/html", undefined]) {
      expect(evidenceOf({ document: { ...file("d"), mime_type } }), String(mime_type)).toEqual({ ok: false, problem: "media-wrong-type" });
    }
    expect(evidenceOf({})).toBeNull();
  });
});
