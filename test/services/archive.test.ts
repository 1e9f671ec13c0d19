/**
 * The evidence archive against the fake Bot API (getFile and real downloads) and a real
 * folder: a file Telegram will not hand out is recorded with why; a failed download is tried
 * again on a later tick; a failing storage shows in /healthz and loses nothing; a file id
 * that stopped working is answered with the archived copy.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fsFileStore } from "../../db/file-store-fs";
import { queueForArchive } from "../../db/queries/archive";
import { archiveFiles, outbox } from "../../db/schema";
import { sha256HexOfBytes } from "../../src/domain/hash";
import type { FileStore } from "../../src/services/file-store";
import { serviceFixture } from "../support/services";

let f: Awaited<ReturnType<typeof serviceFixture>>;
let dir: string;
/** The folder store, with a switch that makes its writes fail as a full disk does. */
let diskFull = false;
let store: FileStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "hazardline-archive-"));
  const folder = fsFileStore(dir);
  diskFull = false;
  store = {
    ...folder,
    async put(sha256, bytes, type) {
      if (diskFull) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      await folder.put(sha256, bytes, type);
    },
  };
  f = await serviceFixture(Date.parse("2026-11-25T02:00:00Z"), { files: store });
});
afterEach(async () => {
  expect(f.fake.violations).toEqual([]);
  await f.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const bytesOf = (text: string) => new TextEncoder().encode(text);
const row = async (fileUniqueId: string) => (await f.db.select().from(archiveFiles).where(eq(archiveFiles.fileUniqueId, fileUniqueId)))[0]!;
const queue = (...ids: string[]) =>
  queueForArchive(
    f.db,
    ids.map((id) => ({ kind: "photo", fileId: `file-${id}`, fileUniqueId: id })),
    f.clock.at,
  );

describe("the evidence archive", () => {
  it("records a file over 20 MB, and one Telegram no longer has, as not archived with why, and never asks again", async () => {
    f.fake.addFile("file-big", bytesOf("large"), { uniqueId: "big", size: 25 * 1024 * 1024 });
    await queue("big", "gone");
    expect(await f.services.archive.runDue()).toEqual({ archived: 0, unavailable: 2, retried: 0 });
    expect(await row("big")).toMatchObject({ status: "unavailable", reason: "too_big", lastError: "Bad Request: file is too big", sha256: null });
    expect(await row("gone")).toMatchObject({ status: "unavailable", reason: "gone", lastError: "Bad Request: invalid file_id" });
    expect(f.fake.downloads).toEqual([]);

    f.clock.at += 86_400_000;
    expect(await f.services.archive.runDue()).toEqual({ archived: 0, unavailable: 0, retried: 0 });
    expect(f.fake.callsTo("getFile")).toHaveLength(2);
  });

  it("tries a failed download again on a later tick, with backoff, then archives it", async () => {
    const bytes = bytesOf("rectification photo");
    f.fake.addFile("file-p1", bytes, { uniqueId: "p1" });
    f.fake.failDownloads(1);
    await queue("p1");
    expect((await f.services.tick(f.clock.at)).archive).toEqual({ archived: 0, unavailable: 0, retried: 1 });
    expect(await row("p1")).toMatchObject({ status: "pending", attempts: 1, lastError: "download: HTTP 500", nextTryAt: f.clock.at + 60_000 });

    f.clock.at += 30_000; // not yet due again
    expect((await f.services.tick(f.clock.at)).archive).toEqual({ archived: 0, unavailable: 0, retried: 0 });
    f.clock.at += 30_000;
    expect((await f.services.tick(f.clock.at)).archive).toEqual({ archived: 1, unavailable: 0, retried: 0 });
    const sha256 = await sha256HexOfBytes(bytes);
    expect(await row("p1")).toMatchObject({ status: "archived", sha256, size: bytes.length, ext: "jpg", lastError: null, archivedAt: f.clock.at });
    expect(await store.get(sha256)).toEqual(bytes);
    expect(f.fake.downloads).toEqual(["photos/file-p1.jpg"]);
  });

  it("reports a full disk in /healthz and the log, keeps every file queued, and archives them once the disk has room", async () => {
    f.fake.addFile("file-a", bytesOf("a"), { uniqueId: "a" });
    f.fake.addFile("file-b", bytesOf("b"), { uniqueId: "b" });
    await queue("a", "b");
    diskFull = true;
    expect(await f.services.archive.runDue()).toEqual({ archived: 0, unavailable: 0, retried: 2 });
    // The first failure stops the batch: the second file is not downloaded into a full disk.
    expect(f.fake.downloads).toEqual(["photos/file-a.jpg"]);
    expect((await f.db.select().from(archiveFiles)).map((r) => r.status)).toEqual(["pending", "pending"]);
    expect(await f.services.health()).toMatchObject({
      ok: false,
      database: "ok",
      archive: { state: "failing", pending: 2, error: "ENOSPC: no space left on device, write" },
    });
    expect(f.log.entries.some((e) => e.level === "error" && e.msg.startsWith("archive: the storage failed"))).toBe(true);

    diskFull = false;
    f.clock.at += 60_000;
    expect(await f.services.archive.runDue()).toEqual({ archived: 2, unavailable: 0, retried: 0 });
    expect(await f.services.health()).toMatchObject({ ok: true, archive: { state: "ok", pending: 0 } });
  });

  it("stores the same bytes once, whatever file ids they came under", async () => {
    f.fake.addFile("file-x", bytesOf("same"), { uniqueId: "x" });
    f.fake.addFile("file-y", bytesOf("same"), { uniqueId: "y" });
    let puts = 0;
    const counting = store.put;
    store.put = async (...args) => {
      puts++;
      await counting(...args);
    };
    await queue("x", "y");
    expect(await f.services.archive.runDue()).toEqual({ archived: 2, unavailable: 0, retried: 0 });
    expect(puts).toBe(1);
    expect((await row("x")).sha256).toBe((await row("y")).sha256);
  });

  it("sends the archived copy when Telegram no longer knows a file id, without spending an attempt", async () => {
    const bytes = bytesOf("notice attachment");
    f.fake.addFile("file-n1", bytes, { uniqueId: "n1", ext: "png" });
    await queue("n1");
    await f.services.archive.runDue();
    await f.services.outbox.enqueue([{ chatId: -100, method: "sendPhoto", payload: { photo: "file-n1", caption: "通报" } }], f.clock.at);
    f.fake.failNext("sendPhoto", { kind: "error", status: 400, description: "Bad Request: wrong file identifier/HTTP URL specified" });

    expect(await f.services.outbox.drain()).toMatchObject({ dead: 0 });
    await f.services.outbox.drain();
    const sends = f.fake.callsTo("sendPhoto");
    expect(sends).toHaveLength(2);
    expect(sends[0]!.params.photo).toBe("file-n1");
    expect(sends[1]!.params).toMatchObject({ chat_id: "-100", caption: "通报", photo: { file: "photo.png", bytes } });
    const [sent] = await f.db.select().from(outbox);
    expect(sent).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("sends an album again with the archived copies of the files Telegram no longer knows", async () => {
    const [one, two] = [bytesOf("report photo one"), bytesOf("report photo two")];
    f.fake.addFile("file-a1", one, { uniqueId: "a1", ext: "jpg" });
    f.fake.addFile("file-a2", two, { uniqueId: "a2", ext: "jpg" });
    await queue("a1", "a2");
    await f.services.archive.runDue();
    const media = [
      { type: "photo", media: "file-a1", caption: "YH-20261125-0001" },
      { type: "photo", media: "file-a2" },
    ];
    await f.services.outbox.enqueue([{ chatId: 42, method: "sendMediaGroup", payload: { media } }], f.clock.at);
    f.fake.failNext("sendMediaGroup", { kind: "error", status: 400, description: "Bad Request: wrong file identifier/HTTP URL specified" });

    await f.services.outbox.drain();
    await f.services.outbox.drain();
    const sends = f.fake.callsTo("sendMediaGroup");
    expect(sends).toHaveLength(2);
    expect(sends[1]!.params.media).toEqual([
      { type: "photo", media: { file: "photo.jpg", bytes: one }, caption: "YH-20261125-0001" },
      { type: "photo", media: { file: "photo.jpg", bytes: two } },
    ]);
    expect((await f.db.select().from(outbox))[0]).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("lets a dead file id with no archived copy fail as any refused message does", async () => {
    await f.services.outbox.enqueue([{ chatId: -100, method: "sendPhoto", payload: { photo: "file-unknown" } }], f.clock.at);
    f.fake.failNext("sendPhoto", { kind: "error", status: 400, description: "Bad Request: wrong file identifier/HTTP URL specified" });
    await f.services.outbox.drain();
    expect((await f.db.select().from(outbox))[0]).toMatchObject({ status: "dead" });
  });

  it("queues files without archiving them when no storage is configured", async () => {
    const bare = await serviceFixture(Date.parse("2026-11-25T02:00:00Z"));
    try {
      await queueForArchive(bare.db, [{ kind: "photo", fileId: "file-q", fileUniqueId: "q" }], bare.clock.at);
      expect(await bare.services.archive.runDue()).toEqual({ archived: 0, unavailable: 0, retried: 0 });
      expect(await bare.services.health()).toMatchObject({ ok: true, archive: { state: "off", pending: 1 } });
      expect(bare.fake.callsTo("getFile")).toEqual([]);
    } finally {
      await bare.dispose();
    }
  });
});
