/**
 * Backups and restores as an operator runs them: `npm run backup` while a real server keeps
 * answering citizens through the webhook, `npm run restore` into an empty folder, and a second
 * server serving the restored records. A restore refuses a database that holds cases (unless
 * --force), a backup with one byte changed or cut short (writing nothing), and brings a backup
 * of an older schema up to the current one. The nightly rule and settings are unit-tested in
 * test/domain/backups.test.ts, test/services/nightly-backup.test.ts and test/config.test.ts.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BackupManifest, hashFile, restoreBackup, takeBackup } from "../../db/backup";
import { createDb } from "../../db/client";
import { s3FileStore } from "../../db/file-store-s3";
import { openClient } from "../../db/node-client";
import { chats, members } from "../../db/schema";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { createTestDatabase, MIGRATIONS_FOLDER, type TestDatabase } from "../support/db";
import { FakeBotApi } from "../support/fake-bot-api";
import { person } from "../support/people";
import { cleanEnv, freePort, type Running, run, runServer, webhookServerEnv } from "../support/processes";
import { S3_KEY, type S3Server, startS3Server } from "../support/s3-server";
import { type Sqld, startSqld } from "../support/sqld";
import { sleep, waitFor } from "../support/wait";

/** The migrations of the current code, from drizzle's journal: a backup records the last, a restore applies them all. */
const MIGRATIONS = (JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as { entries: Array<{ tag: string }> })
  .entries;
const LATEST_MIGRATION = MIGRATIONS.at(-1)!.tag;

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = join(root, "node_modules/.bin/tsx");
const SECRET = "backup_test_0123";
const TEST_MS = 240_000;
let workdir: string;
let fake: FakeBotApi;
let source: TestDatabase;
const servers: Running[] = [];
const script = (name: string, env: Record<string, string>, args: string[] = []) =>
  run(tsx, [join(root, "scripts", name), ...args], { cwd: root, env: cleanEnv(env) });

/** A server on its own port: posts each update until it is answered, as Telegram does. */
function serverAt(port: number) {
  return {
    get fake() {
      return fake;
    },
    async post(update: Update): Promise<Response> {
      for (let tries = 0; ; tries++) {
        const res = await fetch(`http://127.0.0.1:${port}/telegram`, {
          method: "POST",
          headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
          body: JSON.stringify(update),
        }).catch(() => null);
        if (res?.status === 200 || tries >= 20) return res ?? new Response(null, { status: 599 });
        await sleep(200);
      }
    },
  };
}

async function startServer(databaseUrl: string, archiveDir: string) {
  const port = await freePort();
  const server = runServer({ ...webhookServerEnv({ fake, port, secret: SECRET, databaseUrl }), ARCHIVE_DIR: archiveDir });
  servers.push(server);
  await server.waitForOutput(/"Hazardline started"/, 90_000);
  return { server, target: serverAt(port) };
}

/** Reports a hazard with one photo (its own bytes) and returns once the citizen has the tracking number. */
async function reportWithPhoto(c: Conversation, n: number): Promise<string> {
  fake.addFile(`file-p${n}`, new TextEncoder().encode(`photo of hazard ${n}`), { uniqueId: `p${n}` });
  await c.say("/report");
  await c.tap("安全隐患");
  await c.tap("建筑施工");
  await c.tap("城关镇");
  await c.tap("跳过");
  await c.say(`脚手架没有连墙件，第 ${n} 号楼。`);
  await c.post(c.who.sendsPhoto(`p${n}`));
  await c.tap("完成");
  await c.tap("一般");
  await c.tap("匿名");
  await c.tap("不需要");
  await c.tap("提交");
  const numberOf = () =>
    fake
      .sentTexts(c.who.id)
      .map((t) => /编号：(YH-\d{8}-\d{4})/.exec(t)?.[1])
      .find(Boolean);
  await waitFor(`citizen ${n} told their number`, () => numberOf() !== undefined);
  return numberOf()!;
}

const onlyBackupIn = (dir: string) => {
  const names = readdirSync(dir);
  expect(names).toHaveLength(1);
  return join(dir, names[0]!);
};

beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), "hazardline-backup-"));
  fake = await FakeBotApi.start({ keepAliveMs: 120_000 });
  source = await createTestDatabase();
  const db = createDb(source.client);
  await seedSmallCounty(db);
  await db.insert(members).values({ telegramId: 9301, unitId: "station-a", roles: ["liaison"], name: "联络员甲" });
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await fake?.stop();
  source?.dispose();
  rmSync(workdir, { recursive: true, force: true });
}, 60_000);

describe("npm run backup while the server answers, then npm run restore", () => {
  let backup: string;
  let acknowledged: string[];
  const archiveDir = () => join(workdir, "files");
  const restoredUrl = () => `file:${join(workdir, "restored/hazardline.db")}`;
  const restoredFiles = () => join(workdir, "restored/files");

  it(
    "a backup taken while citizens report holds every case acknowledged before it began, with its events and files; restored, a second server serves it",
    async () => {
      const { target } = await startServer(source.url, archiveDir());
      const early = Array.from({ length: 3 }, (_, i) => new Conversation(target, person({ id: 9400 + i })));
      acknowledged = await Promise.all(early.map((c, i) => reportWithPhoto(c, i)));
      const db = source.client;
      await waitFor("the early photos archived", async () => {
        const { rows } = await db.execute("select count(*) as n from archive_files where status = 'archived'");
        return Number(rows[0]?.n) >= 3;
      });

      // More citizens report while the backup runs.
      const late = Array.from({ length: 3 }, (_, i) => new Conversation(target, person({ id: 9500 + i })));
      const reporting = Promise.all(late.map((c, i) => reportWithPhoto(c, 10 + i)));
      const dir = join(workdir, "backups");
      mkdirSync(dir);
      const taken = script("backup.ts", { DATABASE_URL: source.url, ARCHIVE_DIR: archiveDir() }, [dir]);
      expect(await taken.exited, taken.output()).toBe(0);
      await reporting;
      backup = onlyBackupIn(dir);
      expect(backup).toMatch(/hazardline-\d{4}-\d{2}-\d{2}T\d{6}Z$/);
      expect(taken.output()).toContain(`into ${backup}`);
      const manifest = JSON.parse(readFileSync(join(backup, "manifest.json"), "utf8")) as BackupManifest;
      expect(manifest.schema.migration).toBe(LATEST_MIGRATION);
      expect(manifest.tables.cases).toBeGreaterThanOrEqual(3);
      expect(manifest.files.length).toBeGreaterThanOrEqual(3);
      expect(manifest.missing).toEqual([]);

      const restored = script("restore.ts", { DATABASE_URL: restoredUrl(), ARCHIVE_DIR: restoredFiles() }, [backup]);
      expect(await restored.exited, restored.output()).toBe(0);
      expect(restored.output()).toContain(`Restored ${manifest.tables.cases} cases`);

      const copy = createClient({ url: restoredUrl() });
      try {
        expect((await copy.execute("PRAGMA integrity_check")).rows[0]?.[0]).toBe("ok");
        for (const number of acknowledged) {
          const events = async (client: typeof copy) =>
            (
              await client.execute({
                sql: "select e.action from case_events e join cases c on c.id = e.case_id where c.number = ? order by e.id",
                args: [number],
              })
            ).rows.map((r) => r.action);
          const had = await events(db);
          expect(had.length).toBeGreaterThan(0);
          expect(await events(copy)).toEqual(had);
          const { rows: files } = await copy.execute({
            sql: "select f.sha256 from archive_files f join attachments a on a.file_unique_id = f.file_unique_id join cases c on c.id = a.case_id where c.number = ? and f.status = 'archived'",
            args: [number],
          });
          expect(files).toHaveLength(1);
          const sha256 = String(files[0]!.sha256);
          expect((await hashFile(join(restoredFiles(), sha256.slice(0, 2), sha256))).sha256).toBe(sha256);
          expect(readFileSync(join(restoredFiles(), sha256.slice(0, 2), sha256))).toEqual(
            readFileSync(join(archiveDir(), sha256.slice(0, 2), sha256)),
          );
        }
      } finally {
        copy.close();
      }

      // A second server on the restored records: the citizen finds their case.
      const second = await startServer(restoredUrl(), restoredFiles());
      const citizen = new Conversation(second.target, person({ id: 9400 }));
      const answer = await citizen.say(`/status ${acknowledged[0]}`);
      expect(answer.join("\n")).toContain(acknowledged[0]);
      await second.server.stop();
    },
    TEST_MS,
  );

  it("a second backup into the same folder hard-links the files the first one has, rather than copying them", async () => {
    const dir = join(workdir, "backups");
    const { path, manifest } = await takeBackup({ url: source.url, archive: { dir: archiveDir() }, dir, migrationsFolder: MIGRATIONS_FOLDER });
    expect(path).not.toBe(backup);
    const first = JSON.parse(readFileSync(join(backup, "manifest.json"), "utf8")) as BackupManifest;
    for (const { sha256 } of first.files) {
      const [a, b] = [join(backup, "files", sha256.slice(0, 2), sha256), join(path, "files", sha256.slice(0, 2), sha256)];
      expect(statSync(b).ino).toBe(statSync(a).ino);
    }
    expect(manifest.files.length).toBeGreaterThanOrEqual(first.files.length);
    rmSync(path, { recursive: true });
  }, 60_000);

  it("refuses to restore over a database that holds cases unless --force, and then replaces it", async () => {
    // What the target holds, read as rows: the refusal's look at it may checkpoint its write-ahead log, which changes no row.
    const holds = async () => {
      const client = createClient({ url: restoredUrl() });
      const rows = (await client.execute("select number, status, updated_at from cases order by id")).rows.map((r) => [
        r.number,
        r.status,
        r.updated_at,
      ]);
      client.close();
      return rows;
    };
    const before = await holds();
    expect(before.length).toBeGreaterThan(0);
    const refused = script("restore.ts", { DATABASE_URL: restoredUrl(), ARCHIVE_DIR: restoredFiles() }, [backup]);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/already holds \d+ cases: stop the server, and add --force/);
    expect(await holds()).toEqual(before);
    const forced = script("restore.ts", { DATABASE_URL: restoredUrl(), ARCHIVE_DIR: restoredFiles() }, [backup, "--force"]);
    expect(await forced.exited, forced.output()).toBe(0);
  }, 60_000);

  it.each([
    ["one byte changed in the database", (b: string) => flipByte(join(b, "hazardline.db")), /hazardline\.db has changed: its SHA-256 is/],
    ["one byte changed in an archived file", (b: string) => flipByte(firstFile(b)), /files\/[0-9a-f]{2}\/[0-9a-f]{64} has changed/],
    ["the database cut short", (b: string) => truncateSync(join(b, "hazardline.db"), 4096), /hazardline\.db has 4096 bytes, not \d+/],
    ["an archived file missing", (b: string) => rmSync(firstFile(b)), /files\/[0-9a-f]{2}\/[0-9a-f]{64} is missing/],
    ["no manifest (a backup that never finished)", (b: string) => rmSync(join(b, "manifest.json")), /has no manifest\.json/],
  ])(
    "refuses a backup with %s, and writes nothing",
    async (_what, damage, said) => {
      const copy = mkdtempSync(join(workdir, "damaged-"));
      cpSync(backup, copy, { recursive: true });
      damage(copy);
      const target = mkdtempSync(join(workdir, "target-"));
      const refused = script("restore.ts", { DATABASE_URL: `file:${join(target, "db/hazardline.db")}`, ARCHIVE_DIR: join(target, "files") }, [copy]);
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toMatch(said);
      expect(readdirSync(target)).toEqual([]);
    },
    60_000,
  );
});

function flipByte(path: string) {
  const bytes = readFileSync(path);
  const at = Math.floor(bytes.length / 2);
  bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
  writeFileSync(path, bytes);
}

function firstFile(backup: string): string {
  const manifest = JSON.parse(readFileSync(join(backup, "manifest.json"), "utf8")) as BackupManifest;
  const sha256 = manifest.files[0]!.sha256;
  return join(backup, "files", sha256.slice(0, 2), sha256);
}

describe("a backup of an older schema", () => {
  it("is restored and migrated to the current one, its data migrated with it", async () => {
    // The migrations as they stood before the evidence archive (0010).
    const older = join(workdir, "migrations-0009");
    cpSync(MIGRATIONS_FOLDER, older, { recursive: true });
    rmSync(join(older, "0010_evidence-archive.sql"));
    const journal = JSON.parse(readFileSync(join(older, "meta/_journal.json"), "utf8")) as { entries: Array<{ idx: number }> };
    journal.entries = journal.entries.filter((e) => e.idx <= 9);
    writeFileSync(join(older, "meta/_journal.json"), JSON.stringify(journal));

    const url = `file:${join(workdir, "old/hazardline.db")}`;
    mkdirSync(join(workdir, "old"));
    const client = createClient({ url });
    await migrate(createDb(client), { migrationsFolder: older });
    await client.execute(
      "insert into units (id, kind, name_zh, name_en) values ('station-a', 'territorial', '城关镇安监站', 'Chengguan Safety Station')",
    );
    await client.execute(
      "insert into cases (number, kind, status, description, anonymous, unit_id, created_at, updated_at) values ('YH-20261101-0001', 'hazard', 'assigned', 'old', 1, 'station-a', 0, 0)",
    );
    await client.execute("insert into attachments (case_id, kind, file_id, file_unique_id) values (1, 'photo', 'file-old', 'old')");
    client.close();

    const dir = join(workdir, "old-backups");
    mkdirSync(dir);
    const { path, manifest } = await takeBackup({ url, archive: { dir: join(workdir, "old/files") }, dir, migrationsFolder: older });
    expect(manifest.schema.migration).toBe("0009_intake-and-stage-deadlines");
    expect(manifest.tables.archive_files).toBeUndefined();

    const target = `file:${join(workdir, "old-restored/hazardline.db")}`;
    const restored = script("restore.ts", { DATABASE_URL: target, ARCHIVE_DIR: join(workdir, "old-restored/files") }, [path]);
    expect(await restored.exited, restored.output()).toBe(0);
    expect(restored.output()).toContain(`schema 0009_intake-and-stage-deadlines migrated to ${LATEST_MIGRATION}`);
    const copy = createClient({ url: target });
    try {
      expect(Number((await copy.execute("select count(*) as n from __drizzle_migrations")).rows[0]?.n)).toBe(MIGRATIONS.length);
      // 0010 queued the old case's photo for the archive.
      expect((await copy.execute("select file_unique_id, status from archive_files")).rows.map((r) => [r.file_unique_id, r.status])).toEqual([
        ["old", "pending"],
      ]);
      expect((await copy.execute("select number from cases")).rows.map((r) => r.number)).toEqual(["YH-20261101-0001"]);
    } finally {
      copy.close();
    }
    expect(existsSync(join(workdir, "old-restored/hazardline.db-wal"))).toBe(false);
  }, 60_000);
});

describe("npm run backup refuses a folder it cannot use", () => {
  it("says the folder does not exist, exits 1, and leaves nothing behind", async () => {
    const missing = join(workdir, "no-such-folder");
    const refused = script("backup.ts", { DATABASE_URL: source.url, ARCHIVE_DIR: join(workdir, "files") }, [missing]);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain(`backup: ${missing} does not exist`);
    expect(existsSync(missing)).toBe(false);
  }, 60_000);

  it("says there is no database where DATABASE_URL points, and makes none", async () => {
    const dir = mkdtempSync(join(workdir, "no-db-"));
    const nowhere = join(workdir, "nowhere/hazardline.db");
    const refused = script("backup.ts", { DATABASE_URL: `file:${nowhere}`, ARCHIVE_DIR: join(workdir, "files") }, [dir]);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain(`backup: there is no database at ${nowhere}`);
    expect(existsSync(nowhere)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});

describe("a backup of a libSQL server (sqld, as Turso)", () => {
  it("is an online dump of every table into a local file, which restores like any other", async () => {
    const sqld = await startSqld();
    try {
      const client = openClient(sqld.url);
      const db = createDb(client);
      await seedSmallCounty(db);
      await client.execute(
        "insert into cases (number, kind, status, description, anonymous, unit_id, created_at, updated_at) values ('YH-20261201-0001', 'hazard', 'assigned', '脚手架', 1, 'station-a', 1, 1)",
      );
      await client.execute(
        "insert into case_events (case_id, at, actor_kind, action, from_status, to_status) values (1, 1, 'system', 'assigned', 'new', 'assigned')",
      );
      const dir = mkdtempSync(join(workdir, "sqld-backups-"));
      const { path, manifest } = await takeBackup({
        url: sqld.url,
        archive: { dir: join(workdir, "files") },
        dir,
        migrationsFolder: MIGRATIONS_FOLDER,
      });
      expect(manifest.schema.migration).toBe(LATEST_MIGRATION);
      expect(manifest.tables).toMatchObject({ cases: 1, case_events: 1, units: 2, regions: 2, __drizzle_migrations: MIGRATIONS.length });

      const snapshot = createClient({ url: `file:${join(path, "hazardline.db")}` });
      try {
        expect((await snapshot.execute("PRAGMA integrity_check")).rows[0]?.[0]).toBe("ok");
        const objects = "select type, name, sql from sqlite_master where name not like 'sqlite_%' order by name";
        expect((await snapshot.execute(objects)).rows.map((r) => [r.type, r.name, r.sql])).toEqual(
          (await client.execute(objects)).rows.map((r) => [r.type, r.name, r.sql]),
        );
        for (const table of ["cases", "case_events", "sqlite_sequence"]) {
          const rows = async (c: Pick<typeof client, "execute">) =>
            (await c.execute(`select * from ${table} order by rowid`)).rows.map((r) => Object.values(r));
          expect(await rows(snapshot)).toEqual(await rows(client));
        }
      } finally {
        snapshot.close();
        client.close();
      }
      const restored = await restoreBackup({
        backup: path,
        url: `file:${join(dir, "restored.db")}`,
        archive: { dir: join(dir, "files") },
        migrationsFolder: MIGRATIONS_FOLDER,
      });
      expect(restored).toMatchObject({ cases: 1, migration: LATEST_MIGRATION });
    } finally {
      await sqld.stop();
    }
  }, 60_000);

  it("npm run restore replaces what a libSQL server holds, with --force when it holds cases, migrating an older backup", async () => {
    const sqld = await startSqld();
    const client = createClient({ url: sqld.url });
    try {
      await client.execute(
        "insert into units (id, kind, name_zh, name_en) values ('station-b', 'territorial', '东关镇安监站', 'Dongguan Safety Station')",
      );
      await client.execute(
        "insert into cases (number, kind, status, description, anonymous, unit_id, created_at, updated_at) values ('YH-20261202-0009', 'hazard', 'assigned', 'to be replaced', 1, 'station-b', 1, 1)",
      );
      // The older backup of the test above (schema 0009), with its one case and its photo.
      const [older] = readdirSync(join(workdir, "old-backups"));
      const backupPath = join(workdir, "old-backups", older!);
      const refused = script("restore.ts", { DATABASE_URL: sqld.url }, [backupPath]);
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toMatch(/already holds 1 case: stop the server, and add --force/);
      expect((await client.execute("select number from cases")).rows.map((r) => r.number)).toEqual(["YH-20261202-0009"]);

      const forced = script("restore.ts", { DATABASE_URL: sqld.url }, [backupPath, "--force"]);
      expect(await forced.exited, forced.output()).toBe(0);
      expect(forced.output()).toContain(`migrated to ${LATEST_MIGRATION}`);
      expect((await client.execute("select number from cases")).rows.map((r) => r.number)).toEqual(["YH-20261101-0001"]);
      expect((await client.execute("select id from units")).rows.map((r) => r.id)).toEqual(["station-a"]);
      expect((await client.execute("select file_unique_id from archive_files")).rows.map((r) => r.file_unique_id)).toEqual(["old"]);
      expect(Number((await client.execute("select count(*) as n from __drizzle_migrations")).rows[0]?.n)).toBe(MIGRATIONS.length);
      expect((await client.execute("PRAGMA integrity_check")).rows[0]?.[0]).toBe("ok");
      expect((await client.execute("PRAGMA foreign_key_check")).rows).toEqual([]);
      // The server's own sequence goes on from the backup's.
      await client.execute(
        "insert into cases (number, kind, status, description, anonymous, unit_id, created_at, updated_at) values ('YH-20261203-0001', 'hazard', 'assigned', 'new', 1, 'station-a', 2, 2)",
      );
      expect((await client.execute("select id from cases order by id")).rows.map((r) => Number(r.id))).toEqual([1, 2]);
    } finally {
      client.close();
      await sqld.stop();
    }
  }, 60_000);
});

describe("a Workers office: the database in Turso (sqld here), the files in R2 (an S3 server here)", () => {
  const photos = ["现场照片一", "现场照片二", "整改前后对比"].map((text) => new TextEncoder().encode(text.repeat(500)));
  const hashOf = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
  const absent = "f".repeat(64);
  let sqld: Sqld;
  let s3: S3Server;
  const r2 = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: sqld.url,
    R2_ENDPOINT: s3.endpoint,
    R2_ACCESS_KEY_ID: S3_KEY.accessKeyId,
    R2_SECRET_ACCESS_KEY: S3_KEY.secretAccessKey,
    ...extra,
  });

  beforeAll(async () => {
    [sqld, s3] = await Promise.all([startSqld(), startS3Server(["hazardline-archive", "restored-archive"])]);
    const client = openClient(sqld.url);
    try {
      await seedSmallCounty(createDb(client));
      await client.execute(
        "insert into cases (number, kind, status, description, anonymous, unit_id, created_at, updated_at) values ('YH-20261204-0001', 'hazard', 'assigned', '仓库堆放易燃物', 1, 'station-a', 1, 1)",
      );
      for (const [i, bytes] of photos.entries()) {
        await client.execute({
          sql: "insert into archive_files (file_unique_id, file_id, kind, status, sha256, size, ext, next_try_at, created_at) values (?, ?, 'photo', 'archived', ?, ?, 'jpg', 1, 1)",
          args: [`photo-${i}`, `file-${i}`, hashOf(bytes), bytes.length],
        });
      }
    } finally {
      client.close();
    }
    // The Worker's archive writes these objects through its R2 binding; here they are put as R2's S3 API would hold them.
    const bucket = s3FileStore({ endpoint: s3.endpoint, bucket: "hazardline-archive", ...S3_KEY });
    for (const bytes of photos) await bucket.put(hashOf(bytes), bytes, "image/jpeg");
  }, 60_000);

  afterAll(async () => {
    await Promise.all([sqld?.stop(), s3?.stop()]);
  });

  it("npm run backup copies the bucket's files with the database; a second backup links them from the first", async () => {
    const dir = mkdtempSync(join(workdir, "r2-backups-"));
    const taken = script("backup.ts", r2(), [dir]);
    expect(await taken.exited, taken.output()).toBe(0);
    const first = onlyBackupIn(dir);
    const manifest = JSON.parse(readFileSync(join(first, "manifest.json"), "utf8")) as BackupManifest;
    expect(manifest.tables.cases).toBe(1);
    expect(manifest.missing).toEqual([]);
    expect(manifest.files.map((f) => f.sha256).sort()).toEqual(photos.map(hashOf).sort());
    for (const bytes of photos) expect(new Uint8Array(readFileSync(join(first, "files", hashOf(bytes).slice(0, 2), hashOf(bytes))))).toEqual(bytes);

    // A file the database names that the bucket lacks: said, the rest kept, exit 1.
    const client = openClient(sqld.url);
    await client
      .execute({
        sql: "insert into archive_files (file_unique_id, file_id, kind, status, sha256, size, ext, next_try_at, created_at) values ('lost', 'lost', 'photo', 'archived', ?, 1, 'jpg', 1, 1)",
        args: [absent],
      })
      .finally(() => client.close());
    await sleep(1_000); // backups are named to the second
    const second = script("backup.ts", r2(), [dir]);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`archived file ${absent} is not in the backup: not in the archive at ${s3.endpoint}/hazardline-archive`);
    const [, later] = readdirSync(dir).sort();
    const again = JSON.parse(readFileSync(join(dir, later!, "manifest.json"), "utf8")) as BackupManifest;
    expect(again.files).toHaveLength(photos.length);
    for (const { sha256 } of again.files) expect(statSync(join(dir, later!, "files", sha256.slice(0, 2), sha256)).nlink).toBe(2);
  }, 60_000);

  it("a key the bucket refuses, a bucket that is not there, or keys not given: a clear error, exit 1 or 2, and no backup left behind", async () => {
    const dir = mkdtempSync(join(workdir, "r2-refused-"));
    const refused = script("backup.ts", r2({ R2_ACCESS_KEY_ID: "NOT-THE-KEY" }), [dir]);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(
      /answered GET sha256\/[0-9a-f]{64} with 403 InvalidAccessKeyId: check R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY/,
    );
    expect(refused.output()).not.toContain(S3_KEY.secretAccessKey);

    const noBucket = script("backup.ts", r2({ R2_BUCKET: "no-such-bucket" }), [dir]);
    expect(await noBucket.exited).toBe(1);
    expect(noBucket.output()).toContain(`there is no bucket no-such-bucket at ${s3.endpoint}: check R2_ENDPOINT and R2_BUCKET`);

    const keyless = script("backup.ts", { DATABASE_URL: sqld.url, R2_ENDPOINT: s3.endpoint }, [dir]);
    expect(await keyless.exited).toBe(2);
    expect(keyless.output()).toContain("R2_ENDPOINT is set, so R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY must be too");
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);

  it("npm run restore puts the database into another libSQL server and the files into another bucket, once", async () => {
    const dir = mkdtempSync(join(workdir, "r2-restore-"));
    const client = openClient(sqld.url);
    await client.execute({ sql: "delete from archive_files where sha256 = ?", args: [absent] }).finally(() => client.close());
    const taken = script("backup.ts", r2(), [dir]);
    expect(await taken.exited, taken.output()).toBe(0);
    const backup = onlyBackupIn(dir);

    const target = await startSqld();
    try {
      const restored = script("restore.ts", r2({ DATABASE_URL: target.url, R2_BUCKET: "restored-archive" }), [backup]);
      expect(await restored.exited, restored.output()).toBe(0);
      expect(restored.output()).toContain(`and ${photos.length} of ${photos.length} files into ${s3.endpoint}/restored-archive`);
      for (const bytes of photos) expect(await s3.object("restored-archive", `sha256/${hashOf(bytes)}`)).toEqual(bytes);
      const copy = createClient({ url: target.url });
      try {
        expect((await copy.execute("select number from cases")).rows.map((r) => r.number)).toEqual(["YH-20261204-0001"]);
      } finally {
        copy.close();
      }

      // Again, over what it holds now: --force for the cases; the files the bucket has are left as they are.
      const again = script("restore.ts", r2({ DATABASE_URL: target.url, R2_BUCKET: "restored-archive" }), [backup, "--force"]);
      expect(await again.exited, again.output()).toBe(0);
      expect(again.output()).toContain(`and 0 of ${photos.length} files into`);
    } finally {
      await target.stop();
    }
  }, 90_000);
});

describe("the nightly backup in the Node server", () => {
  it("with BACKUP_DIR set and its time passed, the server takes tonight's backup once and /healthz says when", async () => {
    const dir = mkdtempSync(join(workdir, "nightly-"));
    const port = await freePort();
    const server = runServer({
      ...webhookServerEnv({ fake, port, secret: SECRET, databaseUrl: source.url }),
      ARCHIVE_DIR: join(workdir, "files"),
      BACKUP_DIR: dir,
      BACKUP_TIME: "00:00",
    });
    servers.push(server);
    await server.waitForOutput(/"nightly backup taken"/, 90_000);
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { backup: { lastGoodAt: string | null } };
    expect(Date.parse(health.backup.lastGoodAt ?? "")).toBeGreaterThan(Date.now() - 120_000);
    const taken = onlyBackupIn(dir);
    expect(existsSync(join(taken, "manifest.json"))).toBe(true);
    await server.stop();
    // Another process (or a restart) the same night takes none.
    const again = runServer({ ...webhookServerEnv({ fake, port, secret: SECRET, databaseUrl: source.url }), BACKUP_DIR: dir, BACKUP_TIME: "00:00" });
    servers.push(again);
    await again.waitForOutput(/"Hazardline started"/, 90_000);
    await sleep(1_000);
    await again.stop();
    expect(readdirSync(dir)).toEqual([taken.slice(dir.length + 1)]);
  }, 180_000);

  it("a failed backup is told to the admins and the dispatchers' group", async () => {
    const db = createDb(source.client);
    await db.insert(members).values({ telegramId: 9302, unitId: "office", roles: ["admin"], name: "管理员乙" });
    await db.insert(chats).values({ chatId: -100930, title: "调度群", purpose: "dispatchers" });
    // Tonight's backup is claimed already by the test above: this is tomorrow's run, as the clock sees it.
    await source.client.execute("delete from job_runs where key like 'backup:20%'");
    const missing = join(workdir, "no-backup-disk");
    const port = await freePort();
    const server = runServer({
      ...webhookServerEnv({ fake, port, secret: SECRET, databaseUrl: source.url }),
      BACKUP_DIR: missing,
      BACKUP_TIME: "00:00",
    });
    servers.push(server);
    await server.waitForOutput(/"nightly backup failed/, 90_000);
    await waitFor("the admin and the dispatchers told", () => fake.sentTexts(9302).length > 0 && fake.sentTexts(-100930).length > 0);
    for (const chat of [9302, -100930]) expect(fake.sentTexts(chat).join("\n")).toContain(`${missing} does not exist`);
    await server.stop();
  }, 180_000);

  it("the server answers citizens and /healthz while the nightly backup's snapshot holds its own process", async () => {
    // A new night as the clock sees it, and no good backup yet, so /healthz shows when one lands.
    await source.client.execute("delete from job_runs where key like 'backup:%'");
    const dir = mkdtempSync(join(workdir, "held-"));
    const hold = mkdtempSync(join(workdir, "hold-"));
    const port = await freePort();
    const server = runServer(
      {
        ...webhookServerEnv({ fake, port, secret: SECRET, databaseUrl: source.url }),
        ARCHIVE_DIR: join(workdir, "files"),
        BACKUP_DIR: dir,
        BACKUP_TIME: "00:00",
        HAZARDLINE_TEST_HOLD_BACKUP: hold,
      },
      ["--import", join(root, "test/support/hold-backup-child.ts")],
    );
    servers.push(server);
    const lastGoodAt = async () =>
      ((await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { backup: { lastGoodAt: string | null } }).backup.lastGoodAt;

    // The backup has begun (the night claimed, its process started) and its thread is blocked, as by a long VACUUM INTO.
    await waitFor("the nightly backup's process started and held", () => existsSync(join(hold, "held")));
    expect(await lastGoodAt()).toBeNull();
    const citizen = new Conversation(serverAt(port), person({ id: 9600 }));
    await citizen.say("/start");
    await waitFor("the citizen answered during the backup", () => fake.sentTexts(9600).length > 0);
    expect(await lastGoodAt(), "still no backup: the answers came while it was held").toBeNull();
    expect(readdirSync(dir).filter((name) => !name.endsWith(".partial"))).toEqual([]);

    writeFileSync(join(hold, "release"), "");
    await server.waitForOutput(/"nightly backup taken"/, 90_000);
    expect(await lastGoodAt()).not.toBeNull();
    expect(existsSync(join(onlyBackupIn(dir), "manifest.json"))).toBe(true);
    await server.stop();
  }, 180_000);
});
