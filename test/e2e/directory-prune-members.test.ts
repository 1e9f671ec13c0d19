/**
 * A liaison leaves the office: the directory file drops them and the admin runs
 * `npm run directory -- import FILE --prune` (the real script, as a child process, on the
 * running app's database). A liaison who worked a case is deactivated, not deleted: the case
 * and its ledger keep their name, the open case they held goes back to their unit unassigned,
 * their press on a card and their console launch data are refused. A member no case names is
 * removed. Listed again in a later file, the liaison is reactivated and gets the console back;
 * an export in between leaves them out.
 *
 * Run: npx vitest run test/e2e/directory-prune-members.test.ts
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseEvents, cases, members } from "../../db/schema";
import type { InitDataUser } from "../../src/console/init-data";
import { CASE_PRESS } from "../../src/domain/case-buttons";
import type { Draft, MediaItem } from "../../src/domain/report-draft";
import type { Action, ActionType } from "../../src/domain/workflow";
import { translator } from "../../src/i18n";
import { consoleFetch } from "../support/console";
import { type Harness, startHarness } from "../support/harness";
import { expectSoundDatabase } from "../support/integrity";
import { person } from "../support/people";
import { cleanEnv, run } from "../support/processes";
import { submitAndRoute } from "../support/services";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = join(root, "node_modules/.bin/tsx");
const TIMEOUT = 60_000;
const t = translator("zh-CN");

const user = (id: number, first_name: string): InitDataUser => ({ id, first_name, language_code: "zh-hans" });
const DISPATCHER = user(9701, "周调度");
/** Works a case, then leaves: deactivated. */
const LEAVER = user(9702, "城关联络员");
/** Stays in the unit: the case comes back to them. */
const STAYER = user(9703, "李联络员");
/** Never touches a case, then leaves: removed. */
const NEWCOMER = user(9704, "新来联络员");

const OFFICE = `regions:
  - id: county
    name_zh: 清河县
    name_en: Qinghe County
    level: county
    children:
      - { id: town-a, name_zh: 城关镇, name_en: Chengguan Town, level: town }
sectors:
  - { id: construction, name_zh: 建筑施工, name_en: Construction }
units:
  - { id: office, kind: office, name_zh: 县安委办, name_en: County Safety Office }
  - { id: station-a, kind: territorial, name_zh: 城关镇安监站, name_en: Chengguan Safety Station, region: town-a }
routes:
  - { region: town-a, unit: station-a }
members:
  - { telegram_id: ${DISPATCHER.id}, name: ${DISPATCHER.first_name}, unit: office, roles: [dispatcher] }
  - { telegram_id: ${LEAVER.id}, name: ${LEAVER.first_name}, unit: station-a, roles: [liaison] }
  - { telegram_id: ${STAYER.id}, name: ${STAYER.first_name}, unit: station-a, roles: [liaison] }
  - { telegram_id: ${NEWCOMER.id}, name: ${NEWCOMER.first_name}, unit: station-a, roles: [liaison] }
`;

let h: Harness;
let workdir: string;

beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), "hazardline-prune-members-"));
  h = await startHarness();
});

afterAll(async () => {
  expect(h.fake.violations).toEqual([]);
  await h.stop();
  rmSync(workdir, { recursive: true, force: true });
});

/** Runs `npm run directory -- ...` on the harness's database; resolves with its exit code and output. */
async function directory(...args: string[]) {
  const child = run(tsx, [join(root, "scripts/directory.ts"), ...args], { cwd: workdir, env: cleanEnv({ DATABASE_URL: h.database.url }) });
  const code = await child.exited;
  return { code, output: child.output() };
}

function file(name: string, text: string): string {
  const path = join(workdir, name);
  writeFileSync(path, text);
  return path;
}

const services = () => h.hazardline.services;
const db = () => h.hazardline.db;
const memberRow = async (who: InitDataUser) => (await db().select().from(members).where(eq(members.telegramId, who.id)))[0];

async function act(caseId: number, action: Action, who: InitDataUser, media: MediaItem[] = []): Promise<void> {
  const type: ActionType = action.type;
  const state = (await services().caseActions.state(caseId))!;
  const actor = await services().staff.actor(who.id, type === "transfer_accept" ? state.pendingTransfer?.toUnitId : state.unitId);
  const outcome = await services().caseActions.perform(caseId, action, actor!, state.version, media);
  if (!outcome.ok) throw new Error(`setup ${action.type} by ${who.first_name}: ${outcome.code}`);
}

/** A hazard in town A from its own citizen: the route gives it to station-a. */
async function submitHazard(n: number) {
  const id = 7_200_000 + n;
  const draft: Draft = {
    id: `pm${id}`,
    step: "summary",
    editing: false,
    media: [],
    anonymous: true,
    startedAt: Date.now(),
    flow: "report",
    kind: "hazard",
    sectorId: "construction",
    regionId: "town-a",
    location: { lat: 30.1 + n * 0.01, lng: 120.2 },
    description: `仓库门口堆放大量纸箱，堵住了消防通道。（${id}）`,
    urgent: false,
    reward: false,
  };
  const made = await submitAndRoute(services(), draft, { door: "telegram", telegramId: id, chatId: id, displayName: `群众${n}` });
  if (made.status !== "created") throw new Error(`not created: ${made.status}`);
  return made;
}

describe("npm run directory -- import --prune, for a member who has left", () => {
  it(
    "deactivates a liaison who worked cases (their name stays in the ledger), removes one who did not, and reactivates on re-listing",
    async () => {
      const first = await directory("import", file("office.yaml", OFFICE));
      expect(first.code, first.output).toBe(0);
      expect(first.output).toContain("members: 4 added, 0 changed, 0 unchanged, 0 would be removed");
      const leaverId = (await memberRow(LEAVER))!.id;

      // One case the leaver accepted and is still working; one they worked to the end.
      const open = await submitHazard(1);
      const done = await submitHazard(2);
      for (const c of [open, done]) {
        await act(c.caseId, { type: "assign", unitId: "station-a", assigneeId: leaverId }, DISPATCHER);
        await act(c.caseId, { type: "accept" }, LEAVER);
        await act(c.caseId, { type: "progress", text: "已通知企业清理通道。", attachments: 0 }, LEAVER);
      }
      h.fake.addFile("file-pm-evidence", new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 7]), { uniqueId: "pm-evidence" });
      const photo: MediaItem[] = [{ kind: "photo", fileId: "file-pm-evidence", fileUniqueId: "pm-evidence" }];
      await act(done.caseId, { type: "resolve", measures: "纸箱已全部清走。", responsible: "仓库负责人 王强", evidence: 1 }, LEAVER, photo);
      await act(done.caseId, { type: "verify_close" }, DISPATCHER);
      await h.hazardline.settle();
      expect((await consoleFetch(h, "me", { as: LEAVER })).status).toBe(200);

      const openBefore = (await db().select().from(cases).where(eq(cases.id, open.caseId)))[0]!;
      expect(openBefore.assigneeId).toBe(leaverId);
      const ledgerBefore = await db().select().from(caseEvents).orderBy(caseEvents.id);
      const leaverEvents = ledgerBefore.filter((e) => e.actorKind === "member" && e.actorId === leaverId);
      expect(leaverEvents.length).toBeGreaterThanOrEqual(5);

      // The office's file as it stands, then without the two who left.
      const exported = join(workdir, "exported.yaml");
      expect((await directory("export", exported)).code).toBe(0);
      const leftOut = readFileSync(exported, "utf8")
        .split("\n")
        .filter((line) => !line.includes(String(LEAVER.id)) && !line.includes(String(NEWCOMER.id)))
        .join("\n");
      const smaller = file("smaller.yaml", leftOut);

      const dry = await directory("import", smaller, "--prune", "--dry-run");
      expect(dry.code, dry.output).toBe(0);
      expect(dry.output).toContain("members: 0 added, 0 changed, 2 unchanged, 1 would be removed, 1 would be deactivated");
      expect(dry.output).toContain(`  - ${NEWCOMER.id} in station-a (not in the file; --prune removes it)`);
      expect(dry.output).toContain(`  - ${LEAVER.id} in station-a (not in the file; --prune deactivates it: cases still name them`);

      const pruned = await directory("import", smaller, "--prune");
      expect(pruned.code, pruned.output).toBe(0);
      expect(pruned.output).toContain("members: 0 added, 0 changed, 2 unchanged, 1 removed, 1 deactivated");
      expect(pruned.output).toContain(`  - ${NEWCOMER.id} in station-a\n`);
      expect(pruned.output).toContain(`  - ${LEAVER.id} in station-a (deactivated: cases still name them, so they stay in the ledger)`);

      // Deactivated, not deleted; the newcomer is gone.
      expect(await memberRow(LEAVER)).toMatchObject({ id: leaverId, name: LEAVER.first_name, active: false });
      expect(await memberRow(NEWCOMER)).toBeUndefined();

      // The open case stays with station-a, unassigned, status as it was; the closed one keeps who did it.
      const openAfter = (await db().select().from(cases).where(eq(cases.id, open.caseId)))[0]!;
      expect(openAfter).toMatchObject({ unitId: "station-a", assigneeId: null, status: openBefore.status, version: openBefore.version + 1 });
      const doneAfter = (await db().select().from(cases).where(eq(cases.id, done.caseId)))[0]!;
      expect(doneAfter).toMatchObject({ status: "closed", assigneeId: leaverId });
      // The ledger gained nothing and still names them.
      expect(await db().select().from(caseEvents).orderBy(caseEvents.id)).toEqual(ledgerBefore);
      for (const c of [open, done]) {
        const detail = await consoleFetch(h, `cases/${c.caseId}`, { as: DISPATCHER });
        expect(detail.status).toBe(200);
        const body = (await detail.json()) as { timeline?: { by: string }[] };
        expect(JSON.stringify(body)).toContain(LEAVER.first_name);
      }

      // Their press on the open case's card is refused and changes nothing.
      const update = person({ ...LEAVER }).presses(CASE_PRESS.encode({ caseId: open.caseId, version: openAfter.version, code: "pg" }));
      expect((await h.post(update)).status).toBe(200);
      const answers = h.fake.callsTo("answerCallbackQuery").filter((call) => call.params.callback_query_id === update.callback_query!.id);
      expect(answers.map((a) => a.params.text)).toEqual([t("not-allowed")]);
      expect((await db().select().from(cases).where(eq(cases.id, open.caseId)))[0]).toEqual(openAfter);
      // Their console launch data is refused; the liaison who stays can act on the case.
      const refused = await consoleFetch(h, "me", { as: LEAVER });
      expect(refused.status).toBe(403);
      expect((await consoleFetch(h, `cases/${open.caseId}`, { as: LEAVER })).status).toBe(403);
      expect(await services().staff.actor(LEAVER.id, "station-a")).toBeNull();
      await act(open.caseId, { type: "progress", text: "新联络员已接手，督促企业整改。", attachments: 0 }, STAYER);

      // An export leaves the deactivated member out; re-importing it changes nothing.
      const again = join(workdir, "again.yaml");
      const exportedAgain = await directory("export", again);
      expect(exportedAgain.code, exportedAgain.output).toBe(0);
      expect(exportedAgain.output).toContain(" 2 members, ");
      expect(readFileSync(again, "utf8")).not.toContain(String(LEAVER.id));
      const idle = await directory("import", again, "--prune");
      expect(idle.code, idle.output).toBe(0);
      expect(idle.output).toContain("Nothing changed");

      // Listed again: reactivated (same row, so the ledger still points at them), the newcomer added anew.
      const back = await directory("import", file("office.yaml", OFFICE), "--prune");
      expect(back.code, back.output).toBe(0);
      expect(back.output).toContain("members: 1 added, 0 changed, 2 unchanged, 1 reactivated, 0 removed");
      expect(back.output).toContain(`  + ${LEAVER.id} in station-a (reactivated)`);
      expect(await memberRow(LEAVER)).toMatchObject({ id: leaverId, active: true });
      expect(await memberRow(NEWCOMER)).toMatchObject({ active: true });
      expect((await consoleFetch(h, "me", { as: LEAVER })).status).toBe(200);
      expect(await services().staff.actor(LEAVER.id, "station-a")).not.toBeNull();
      const leaverRows = await db()
        .select()
        .from(members)
        .where(and(eq(members.telegramId, LEAVER.id), eq(members.unitId, "station-a")));
      expect(leaverRows).toHaveLength(1);

      await expectSoundDatabase(h.database.client);
    },
    TIMEOUT * 2,
  );
});
