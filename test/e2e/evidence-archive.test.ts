/**
 * The evidence archive end to end on Node: a citizen's report with photos through the webhook
 * is answered first, then its files are downloaded from the fake Bot API, once each, into a
 * real folder, the same bytes stored once; `npm run export -- --with-files` then writes them
 * beside the ledger, by case number and step, and the ledger lists each with its hash.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fsFileStore } from "../../db/file-store-fs";
import { archiveFiles, chats, members } from "../../db/schema";
import { sha256HexOfBytes } from "../../src/domain/hash";
import { officeDate } from "../../src/domain/numbering";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { type Harness, startHarness } from "../support/harness";
import { person } from "../support/people";
import { cleanEnv, run } from "../support/processes";

const root = fileURLToPath(new URL("../..", import.meta.url));
let h: Harness;
let workdir: string;
let archiveDir: string;

const scene = new TextEncoder().encode("the scaffold without a safety net, photographed");
const closer = new TextEncoder().encode("the same scaffold, closer");

beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), "hazardline-evidence-"));
  archiveDir = join(workdir, "files");
  h = await startHarness({ files: fsFileStore(archiveDir) });
  await seedSmallCounty(h.hazardline.db);
  // Two photos of the same bytes (sent twice), and a third.
  h.fake.addFile("file-e1", scene, { uniqueId: "e1" });
  h.fake.addFile("file-e2", scene, { uniqueId: "e2" });
  h.fake.addFile("file-e3", closer, { uniqueId: "e3" });
  h.fake.addFile("file-n1", new TextEncoder().encode("notice attachment"), { uniqueId: "n1" });
  await h.hazardline.db.insert(members).values({ telegramId: 9950, unitId: "office", roles: ["dispatcher"], name: "周调度" });
  await h.hazardline.db.insert(chats).values({ chatId: -100995, title: "城关镇安全生产工作群", purpose: "unit", unitId: "station-a" });
});
afterAll(async () => {
  await h.stop();
  rmSync(workdir, { recursive: true, force: true });
});
afterEach(() => {
  expect(h.fake.violations).toEqual([]);
});

/** Every file the folder store holds, by name (its hash). */
const stored = () => readdirSync(archiveDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());

describe("the evidence archive", () => {
  let number: string;

  it("copies a report's photos after the citizen is answered, each downloaded once and the same bytes stored once", async () => {
    const c = new Conversation(h, person({ id: 9901, first_name: "林", last_name: "晓", username: "lin_xiao" }));
    await c.say("/report");
    await c.tap("安全隐患");
    await c.tap("建筑施工");
    await c.tap("城关镇");
    await c.tap("跳过");
    await c.say("脚手架没有安全网，工人高空作业不系安全带。");
    for (const id of ["e1", "e2", "e3"]) await c.post(c.who.sendsPhoto(id));
    await c.tap("完成");
    await c.tap("一般");
    await c.tap("实名");
    await c.post(c.who.sharesContact("13700001111"));
    await c.tap("不需要");
    const submitted = await c.tap("提交");
    number = /编号：(YH-\d{8}-\d{4})/.exec(submitted[0]!)![1]!;

    await h.hazardline.services.archive.settle();
    // The citizen's answer went out before any file was asked for.
    const answered = h.fake.calls.findIndex((call) => call.method === "sendMessage" && String(call.params.text).includes(number));
    const firstGetFile = h.fake.calls.findIndex((call) => call.method === "getFile");
    expect(firstGetFile).toBeGreaterThan(answered);
    expect([...h.fake.downloads].sort()).toEqual(["photos/file-e1.jpg", "photos/file-e2.jpg", "photos/file-e3.jpg"]);

    const rows = await h.hazardline.db.select().from(archiveFiles).orderBy(archiveFiles.fileUniqueId);
    const [sceneHash, closerHash] = [await sha256HexOfBytes(scene), await sha256HexOfBytes(closer)];
    expect(rows.map((r) => [r.fileUniqueId, r.status, r.sha256])).toEqual([
      ["e1", "archived", sceneHash],
      ["e2", "archived", sceneHash],
      ["e3", "archived", closerHash],
    ]);
    expect(
      stored()
        .map((e) => e.name)
        .sort(),
    ).toEqual([sceneHash, closerHash].sort());

    // Archived is done: the next tick downloads nothing again.
    await h.tick(Date.now());
    expect(h.fake.downloads).toHaveLength(3);
  });

  it("npm run export -- --with-files writes the files beside the ledger by case number and step, and lists each with its hash", async () => {
    const out = join(workdir, "ledgers");
    const day = officeDate(Date.now(), "Asia/Shanghai");
    const date = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
    const exported = run(
      join(root, "node_modules/.bin/tsx"),
      [join(root, "scripts/export.ts"), "--from", date, "--to", date, "--out", out, "--format", "csv", "--with-files"],
      { cwd: workdir, env: cleanEnv({ DATABASE_URL: h.database.url, ARCHIVE_DIR: archiveDir }) },
    );
    expect(await exported.exited, exported.output()).toBe(0);
    const folder = join(out, `ledger-${date}_${date}-files`);
    expect(exported.output()).toContain(`Wrote 3 archived files into ${folder}`);
    expect(readdirSync(folder)).toEqual([number]);
    expect(readdirSync(join(folder, number))).toEqual(["01-report.jpg", "02-report.jpg", "03-report.jpg"]);
    expect(new Uint8Array(readFileSync(join(folder, number, "03-report.jpg")))).toEqual(closer);

    const csv = readFileSync(join(out, `ledger-${date}_${date}.csv`), "utf8");
    expect(csv).toContain("证据文件");
    expect(csv).toContain(`群众提交 照片 01-report.jpg sha256:${await sha256HexOfBytes(scene)}`);
    expect(csv).toContain(`群众提交 照片 03-report.jpg sha256:${await sha256HexOfBytes(closer)}`);
    // The reporter is named nowhere in what the export wrote, file names included.
    for (const written of [csv, ...readdirSync(out, { recursive: true }).map(String)]) {
      for (const identity of ["林", "lin_xiao", "13700001111", "9901"]) expect(written).not.toContain(identity);
    }
  });

  it("archives a notice's photo too", async () => {
    const d = new Conversation(h, person({ id: 9950, first_name: "周" }));
    await d.say("/notice");
    await d.post(d.who.sendsPhoto("n1", { caption: "现场照片：某企业违规存放危化品" }));
    await d.tap("城关镇安监站");
    await d.tap("下一步");
    await d.tap("发送");
    await h.hazardline.settle();
    expect(h.fake.callsTo("sendPhoto").map((c) => c.params.photo)).toEqual(["file-n1"]);
    const [row] = await h.hazardline.db.select().from(archiveFiles).where(eq(archiveFiles.fileUniqueId, "n1"));
    expect(row).toMatchObject({ status: "archived", kind: "photo", fileId: "file-n1" });
  });
});
