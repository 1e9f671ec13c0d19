/**
 * The authority matrix (issue 17, point 6), driven by the catalogs: for every action type of
 * the workflow (ACTION_TYPES) and every person who must not take it, through every door that
 * leads to it, the attempt is refused and nothing changes; and through the same doors the
 * person the catalog allows gets through, so the refusals are not refusals of everything.
 *
 * Who is right and who is wrong is not written here: `refusalOf` decides it, for the case as it
 * stands and the person as the product reads them (`staff.actor`), so a new action, a new card
 * button or a changed rule is covered without touching this file. The cast holds every kind of
 * person the issue names: the case's own reporter, a stranger, a liaison of another unit, the
 * liaison whose unit the case was transferred away from, a leader, a member the directory import
 * pruned (`npm run directory -- import --prune`, its `applySync`) and one whose membership is
 * deactivated; and the office's own people, each refused wherever the rules refuse them.
 *
 * The doors, each with the real data the product writes for that action:
 *   1. a forged press of the case card's button (CARD_BUTTONS, with the second presses of a
 *      unit or severity choice), on a real case in a state where the action is open to someone;
 *   2. the words typed after such a press (no slash command performs a workflow action; the
 *      staff commands of the command catalog are swept separately for everyone they are not for);
 *   3. the console API's action call with that person's valid launch data;
 *   4. forged launch data: a wrong hash, another bot's token, an expired auth_date, and the
 *      person's own genuine launch data with the user id swapped after signing.
 * After each attempt the case's row, its ledger (case_events), its reminders, the whole outbox
 * (refusals are answered directly, not through it) and any pending case input are exactly as
 * before. Cases are put in their states through the services (`caseActions.perform` as the right
 * people), not chat journeys, to keep the file fast. It prints the matrix's size.
 *
 * Run: npx vitest run test/e2e/authority-matrix.test.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count, eq, like, max } from "drizzle-orm";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fsFileStore } from "../../db/file-store-fs";
import { applySync, planSync, readDirectory } from "../../db/queries/directory-sync";
import { caseEvents, cases, kv, members, outbox, regions, reminders, units } from "../../db/schema";
import type { ActionRequest } from "../../src/console/contract";
import { INIT_DATA_MAX_AGE_MS, type InitDataUser } from "../../src/console/init-data";
import { CARD_BUTTONS, CARD_CODES, CASE_PRESS, type CardCode, type CasePress } from "../../src/domain/case-buttons";
import { COMMAND_NAMES, isStaffCommand, mayUse, usableIn } from "../../src/domain/commands";
import type { Draft, MediaItem } from "../../src/domain/report-draft";
import { ACTION_TYPES, type Action, type ActionType, type Actor, type CaseState, needsEvidence, refusalOf } from "../../src/domain/workflow";
import { translator } from "../../src/i18n";
import { MovableClock } from "../../src/local/mode";
import { refusalText } from "../../src/services/case-cards";
import { initDataFor } from "../support/console";
import { seedSmallCounty } from "../support/county";
import { type Harness, startHarness } from "../support/harness";
import { expectSoundDatabase } from "../support/integrity";
import { person } from "../support/people";
import { submitAndRoute } from "../support/services";

let h: Harness;
let workdir: string;
const clock = new MovableClock();
const t = translator("zh-CN");
const NOT_ALLOWED = t("not-allowed");
const ANOTHER_BOTS_TOKEN = "987654321:ANOTHER-bots-token_not-this-office";

const user = (id: number, first_name: string): InitDataUser => ({ id, first_name, language_code: "zh-hans" });
const DISPATCHER = user(9601, "周调度");
/** Liaison of station-a, the unit every worked case ends up with. */
const OWNER = user(9602, "城关联络员");
/** Liaison of station-b, the unit transfers are offered to. */
const TARGET = user(9603, "河东联络员");
/** Liaison of station-c, which no case ever reaches. */
const OTHER = user(9604, "南山联络员");
/** Liaison of station-x, which held every worked case first and transferred it to station-a. */
const FORMER = user(9605, "原承办联络员");
const LEADER = user(9606, "王局长");
/** A dispatcher the directory import removed with --prune. */
const PRUNED = user(9607, "已调离调度员");
/** A liaison of station-a whose membership was deactivated. */
const DEACTIVATED = user(9608, "已停用联络员");
/** A liaison of station-a removed while in the middle of typing words for an action. */
const LEAVING = user(9609, "离岗联络员");

interface Someone {
  label: string;
  user: InitDataUser;
}
const STAFF_CAST: Someone[] = [
  { label: "dispatcher", user: DISPATCHER },
  { label: "owner liaison", user: OWNER },
  { label: "transfer-target liaison", user: TARGET },
  { label: "liaison of another unit", user: OTHER },
  { label: "liaison after transfer", user: FORMER },
  { label: "leader", user: LEADER },
  { label: "removed member (pruned)", user: PRUNED },
  { label: "removed member (deactivated)", user: DEACTIVATED },
];
/** Whoever must be refused every action, whatever the case: nobody of theirs holds it and nothing makes them office-wide. */
const ALWAYS_WRONG = new Set([
  "citizen (the case's reporter)",
  "stranger",
  "liaison of another unit",
  "liaison after transfer",
  ...STAFF_CAST.filter((s) => s.label.startsWith("removed")).map((s) => s.label),
]);

/** How many attempts each door saw, and how many right-actor controls passed. */
const figures = { press: 0, typed: 0, console: 0, forged: 0, commands: 0, controls: 0, actions: 0, wrongPairs: 0 };

const services = () => h.hazardline.services;
const db = () => h.hazardline.db;

// ── Cases, put in their states through the services ──────────────────────────────────────

interface Fixture {
  id: number;
  number: string;
  kind: "hazard" | "consultation";
  reporter: InitDataUser;
}

let nextReporter = 7_100_001;
let nextPin = 0;
const pinOf = (n: number) => ({ lat: 30.0 + n * 0.01, lng: 120.15 });
const DESCRIPTIONS = ["仓库堆放大量烟花爆竹，没有任何防火措施。", "工地塔吊司机无证操作，吊装区域没有警戒。", "液化气站储罐阀门漏气，附近有人吸烟。"];

/** A report or question from its own citizen, through the same submit every door uses; a hazard in town B (no route: it waits as new). */
async function submitCase(kind: Fixture["kind"], pin = nextPin++): Promise<Fixture> {
  const id = nextReporter++;
  const reporter = user(id, `群众${id % 1000}`);
  const common = { id: `am${id}`, step: "summary" as const, editing: false, media: [], anonymous: true, startedAt: clock.now() };
  const draft: Draft =
    kind === "hazard"
      ? {
          ...common,
          flow: "report",
          kind: "hazard",
          sectorId: "construction",
          regionId: "town-b",
          location: pinOf(pin),
          description: `${DESCRIPTIONS[pin % DESCRIPTIONS.length]}（${id}）`,
          urgent: false,
          reward: false,
        }
      : { ...common, flow: "ask", sectorId: "other", description: `请问小作坊存放多少易燃液体需要办理审批？（${id}）` };
  const made = await submitAndRoute(services(), draft, { door: "telegram", telegramId: id, chatId: id, displayName: reporter.first_name });
  if (made.status !== "created") throw new Error(`not created: ${made.status}`);
  return { id: made.caseId, number: made.number, kind, reporter };
}

const rowOf = async (caseId: number) => (await services().caseActions.row(caseId))!;
const stateOf = async (caseId: number) => (await services().caseActions.state(caseId))!;
const forTarget = (type: ActionType) => type === "transfer_accept" || type === "transfer_refuse";

/** The person as the product reads them on every action (null: no active membership). */
async function actorOf(who: InitDataUser, state: CaseState, type: ActionType): Promise<Actor | null> {
  return services().staff.actor(who.id, forTarget(type) ? state.pendingTransfer?.toUnitId : state.unitId);
}

/** An action by the right person through the case-actions service, as setup. */
async function act(caseId: number, action: Action, who: InitDataUser, media: MediaItem[] = []): Promise<void> {
  const state = await stateOf(caseId);
  const actor = await actorOf(who, state, action.type);
  const outcome = await services().caseActions.perform(caseId, action, actor!, state.version, media);
  if (!outcome.ok) throw new Error(`setup ${action.type} by ${who.first_name}: ${outcome.code}`);
}

const later = (days: number) => clock.now() + days * 86_400_000;
const evidence = (caseId: number): MediaItem[] => {
  h.fake.addFile(`file-ev${caseId}`, new Uint8Array([0xff, 0xd8, 0xff, 0xe0, caseId & 0xff]), { uniqueId: `ev${caseId}` });
  return [{ kind: "photo", fileId: `file-ev${caseId}`, fileUniqueId: `ev${caseId}` }];
};

/** Assigned to station-x, whose liaison transfers it to station-a: every worked case has a former owner. */
const toStationA = [
  (id: number) => act(id, { type: "assign", unitId: "station-x" }, DISPATCHER),
  (id: number) => act(id, { type: "transfer_request", toUnitId: "station-a", reason: "该地点属城关镇辖区。" }, FORMER),
  (id: number) => act(id, { type: "transfer_accept" }, OWNER),
];
const accept = (id: number) => act(id, { type: "accept" }, OWNER);

/** The states a case can be put in, each a list of steps by the right people; the matrix picks, per action, the first where someone may take it. */
let anchor: Fixture;
const RECIPES: Array<{ name: string; kind: Fixture["kind"]; steps: Array<(id: number) => Promise<void>>; hint?: true }> = [
  { name: "new", kind: "hazard", steps: [] },
  { name: "assigned", kind: "hazard", steps: [...toStationA] },
  { name: "in progress", kind: "hazard", steps: [...toStationA, accept] },
  {
    name: "transfer offered",
    kind: "hazard",
    steps: [...toStationA, accept, (id) => act(id, { type: "transfer_request", toUnitId: "station-b", reason: "应由河东镇办理。" }, OWNER)],
  },
  {
    name: "extension asked",
    kind: "hazard",
    steps: [...toStationA, accept, (id) => act(id, { type: "extension_request", until: later(60), reason: "需要等待设备到货。" }, OWNER)],
  },
  {
    name: "resolved",
    kind: "hazard",
    steps: [
      ...toStationA,
      accept,
      (id) => act(id, { type: "resolve", measures: "已清理全部易燃物。", responsible: "站长 刘强", evidence: 1 }, OWNER, evidence(id)),
    ],
  },
  {
    name: "closed",
    kind: "hazard",
    steps: [
      ...toStationA,
      accept,
      (id) => act(id, { type: "resolve", measures: "已清理全部易燃物。", responsible: "站长 刘强", evidence: 1 }, OWNER, evidence(id)),
      (id) => act(id, { type: "verify_close" }, DISPATCHER),
    ],
  },
  { name: "consultation in progress", kind: "consultation", steps: [...toStationA, accept] },
  {
    name: "consultation answered",
    kind: "consultation",
    steps: [...toStationA, accept, (id) => act(id, { type: "answer", text: "超过规定数量需要向应急管理局申请。" }, OWNER)],
  },
  { name: "new, possibly a duplicate", kind: "hazard", steps: [], hint: true },
];

async function makeCase(recipe: (typeof RECIPES)[number]): Promise<Fixture> {
  // A possible duplicate: pinned where the anchor case is, so intake links the two.
  const c = await submitCase(recipe.kind, recipe.hint ? 0 : undefined);
  for (const step of recipe.steps) await step(c.id);
  return c;
}

// ── What must not change ─────────────────────────────────────────────────────────────────

/** The case, its ledger and reminders, the whole outbox (but for delivery bookkeeping), and every pending input. */
async function snapshot(caseId: number) {
  // Rows are only ever added (delivery changes only their status): the count and the newest id say whether any was.
  const [sent] = await db()
    .select({ rows: count(), newest: max(outbox.id) })
    .from(outbox);
  return {
    row: await rowOf(caseId),
    events: await db().select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(caseEvents.id),
    reminders: await db().select().from(reminders).where(eq(reminders.caseId, caseId)).orderBy(reminders.key),
    outbox: sent,
    pendingInput: await db().select({ key: kv.key, value: kv.value }).from(kv).where(like(kv.key, "conversation:%")).orderBy(kv.key),
  };
}

// ── The doors ────────────────────────────────────────────────────────────────────────────

/** A press as Telegram delivers it, and the answer the bot gave to it. */
async function press(who: InitDataUser, data: string) {
  const update = person({ ...who }).presses(data);
  const res = await h.post(update);
  expect(res.status).toBe(200);
  return h.fake.callsTo("answerCallbackQuery").filter((call) => call.params.callback_query_id === update.callback_query!.id);
}

/** Texts the bot sent to this person while `work` ran. */
async function repliesTo(who: InitDataUser, work: () => Promise<unknown>): Promise<string[]> {
  const before = h.fake.sentTexts(who.id).length;
  await work();
  return h.fake.sentTexts(who.id).slice(before);
}

const typed = (who: InitDataUser, text: string) => h.post(person({ ...who }).says(text));

/** The real button data for one card code: the code itself, and for a choice, the second press that performs it. */
function pressesFor(code: CardCode, c: Fixture, version: number): Array<{ data: string; words?: string[] }> {
  const at = { caseId: c.id, version };
  const enc = (p: CasePress) => CASE_PRESS.encode(p);
  const next = CARD_BUTTONS[code].next;
  switch (next.does) {
    case "act":
      return [{ data: enc({ ...at, code }) }];
    case "ask":
      return [{ data: enc({ ...at, code }), words: wordsFor(code) }];
    case "choose-severity":
      return [{ data: enc({ ...at, code }) }, { data: enc({ ...at, code: "sv", severity: "major" }) }];
    case "choose-unit":
      return next.chosen === "au"
        ? [
            { data: enc({ ...at, code }) },
            { data: enc({ ...at, code: "au", unitId: "station-b" }) },
            { data: enc({ ...at, code: "ax", unitId: "station-b" }) },
          ]
        : [{ data: enc({ ...at, code }) }, { data: enc({ ...at, code: "tu", unitId: "station-b" }), words: ["该事项应由河东镇办理。"] }];
  }
}

const dateIn = (days: number) => new Date(later(days)).toISOString().slice(0, 10);

/** What the chat asks after an asking button, answered in full. */
function wordsFor(code: CardCode): string[] {
  switch (code) {
    case "res":
      return ["已清理全部易燃物。", "站长 刘强"];
    case "ext":
    case "dl":
      return [dateIn(90), "需要等待设备到货。"];
    case "dup":
      return [anchor.number];
    default:
      return ["请补充现场的具体位置和照片。"];
  }
}

/** The console's form for a code, every field filled as the page would. */
function bodyFor(code: CardCode, version: number): ActionRequest {
  return {
    code,
    version,
    text: "请补充现场的具体位置和照片。",
    date: dateIn(90),
    unitId: "station-b",
    severity: "major",
    measures: "已清理全部易燃物。",
    responsible: "站长 刘强",
    caseNumber: anchor.number,
  };
}

async function consoleAct(caseId: number, authorization: string, body: ActionRequest, photo = false) {
  const url = `${h.baseUrl}/console/api/cases/${caseId}/actions`;
  let res: Response;
  if (photo) {
    const form = new FormData();
    form.append("request", JSON.stringify(body));
    form.append("photos", new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])]), "site.jpg");
    res = await fetch(url, { method: "POST", headers: { Authorization: authorization }, body: form });
  } else {
    res = await fetch(url, {
      method: "POST",
      headers: { Authorization: authorization, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  }
  return { status: res.status, json: (await res.json()) as { ok: boolean; code?: string; error?: string } };
}

const tma = async (who: InitDataUser, at = clock.now(), token?: string) => `tma ${await initDataFor(who, at, token)}`;

/** Launch data that claims to be `claimed` without Telegram having signed it so. */
async function forgeries(claimed: InitDataUser): Promise<Array<[string, string]>> {
  const good = await initDataFor(claimed, clock.now());
  const flipped = good.replace(/hash=([0-9a-f]{64})/, (_, hex: string) => `hash=${hex.slice(0, -1)}${hex.endsWith("0") ? "1" : "0"}`);
  return [
    ["wrong hash", `tma ${flipped}`],
    ["another bot's token", await tma(claimed, clock.now(), ANOTHER_BOTS_TOKEN)],
    ["expired auth_date", await tma(claimed, clock.now() - INIT_DATA_MAX_AGE_MS - 60_000)],
  ];
}

/** `own`'s genuine launch data with the user id changed to `claimed`'s after signing. */
async function swapped(own: InitDataUser, claimed: InitDataUser): Promise<string> {
  const data = new URLSearchParams(await initDataFor(own, clock.now()));
  data.set("user", JSON.stringify({ ...own, id: claimed.id }));
  return `tma ${data.toString()}`;
}

// ── Set-up ───────────────────────────────────────────────────────────────────────────────

/** Removes members the way the directory import does: the file without them, imported with --prune. */
async function pruneMembers(telegramIds: number[]): Promise<void> {
  const current = await readDirectory(db());
  const wanted = { ...current, members: (current.members ?? []).filter((m) => !telegramIds.includes(m.telegramId)) };
  const plan = planSync(current, wanted);
  expect(plan.members.missing.map((m) => m.telegramId).sort()).toEqual([...telegramIds].sort());
  await applySync(db(), plan, { prune: true, now: clock.now() });
}

beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), "hazardline-authority-"));
  h = await startHarness({ clock, files: fsFileStore(join(workdir, "files")) });
  const d = db();
  await seedSmallCounty(d);
  await d.insert(regions).values({ id: "town-b", parentId: "county", level: "town", nameZh: "河东镇", nameEn: "Hedong Town" });
  await d.insert(units).values([
    { id: "station-b", kind: "territorial", nameZh: "河东镇安监站", nameEn: "Hedong Safety Station", regionId: "town-b" },
    { id: "station-c", kind: "territorial", nameZh: "南山镇安监站", nameEn: "Nanshan Safety Station" },
    { id: "station-x", kind: "territorial", nameZh: "城北片区安监站", nameEn: "Chengbei Safety Station" },
  ]);
  await d.insert(members).values([
    { telegramId: DISPATCHER.id, unitId: "office", roles: ["dispatcher"], name: DISPATCHER.first_name },
    { telegramId: OWNER.id, unitId: "station-a", roles: ["liaison"], name: OWNER.first_name },
    { telegramId: TARGET.id, unitId: "station-b", roles: ["liaison"], name: TARGET.first_name },
    { telegramId: OTHER.id, unitId: "station-c", roles: ["liaison"], name: OTHER.first_name },
    { telegramId: FORMER.id, unitId: "station-x", roles: ["liaison"], name: FORMER.first_name },
    { telegramId: LEADER.id, unitId: "office", roles: ["leader"], name: LEADER.first_name },
    { telegramId: PRUNED.id, unitId: "office", roles: ["dispatcher"], name: PRUNED.first_name },
    { telegramId: DEACTIVATED.id, unitId: "station-a", roles: ["liaison"], name: DEACTIVATED.first_name },
    { telegramId: LEAVING.id, unitId: "station-a", roles: ["liaison"], name: LEAVING.first_name },
  ]);
  anchor = await submitCase("hazard");
  // Both were staff a moment ago; now one is out of the directory file, the other's membership is off.
  await pruneMembers([PRUNED.id]);
  await d.update(members).set({ active: false }).where(eq(members.telegramId, DEACTIVATED.id));
});

afterAll(async () => {
  expect(h.fake.violations).toEqual([]);
  await h.stop();
  rmSync(workdir, { recursive: true, force: true });
});

// ── The matrix ───────────────────────────────────────────────────────────────────────────

describe("the authority matrix", () => {
  it("refuses every action to everyone the catalog refuses, at every door, and changes nothing; lets the right person through", async () => {
    // One case per recipe to learn which state opens which action to whom.
    const probes = new Map<string, Fixture>();
    for (const recipe of RECIPES) probes.set(recipe.name, await makeCase(recipe));
    const recipeOf = new Map<ActionType, (typeof RECIPES)[number]>();
    for (const type of ACTION_TYPES) {
      for (const recipe of RECIPES) {
        const state = await stateOf(probes.get(recipe.name)!.id);
        const actors = await Promise.all(STAFF_CAST.map((s) => actorOf(s.user, state, type)));
        if (actors.some((actor) => actor !== null && refusalOf(state, type, actor) === null)) {
          recipeOf.set(type, recipe);
          break;
        }
      }
    }
    // An action no person may take in any state is the system's own: it must have no door at all.
    const systemOnly = ACTION_TYPES.filter((type) => !recipeOf.has(type));
    for (const type of systemOnly) {
      expect(
        CARD_CODES.filter((code) => CARD_BUTTONS[code].action === type),
        `${type} has a button`,
      ).toEqual([]);
      const state = await stateOf(probes.get("new")!.id);
      expect(refusalOf(state, type, { kind: "system" }), `${type} is the system's`).toBeNull();
    }
    // Every card button leads to an action some person can take somewhere.
    for (const code of CARD_CODES) expect(recipeOf.has(CARD_BUTTONS[code].action), code).toBe(true);
    await h.hazardline.settle();

    const used = new Set<string>();
    for (const [index, type] of ACTION_TYPES.entries()) {
      const recipe = recipeOf.get(type);
      if (!recipe) continue;
      figures.actions++;
      // Non-staff are held to 30 updates a minute; a minute per action keeps the flood guard out of the proof.
      clock.moveTo(clock.now() + 61_000);
      const c = used.has(recipe.name) ? await makeCase(recipe) : probes.get(recipe.name)!;
      used.add(recipe.name);
      await h.hazardline.settle();
      const state = await stateOf(c.id);
      const cast: Someone[] = [
        ...STAFF_CAST,
        { label: "citizen (the case's reporter)", user: c.reporter },
        { label: "stranger", user: user(7_900_000 + index, "路人") },
      ];
      const judged = await Promise.all(
        cast.map(async (who) => {
          const actor = await actorOf(who.user, state, type);
          return { ...who, actor, refusal: actor ? refusalOf(state, type, actor) : null };
        }),
      );
      const wrong = judged.filter((j) => j.actor === null || j.refusal !== null);
      const right = judged.filter((j) => j.actor !== null && j.refusal === null);
      const where = `${type} on a case ${recipe.name}`;
      expect(right.length, `${where}: someone may`).toBeGreaterThan(0);
      for (const j of judged) if (ALWAYS_WRONG.has(j.label)) expect(wrong, `${where}: ${j.label}`).toContainEqual(j);
      figures.wrongPairs += wrong.length;

      const codes = CARD_CODES.filter((code) => {
        const button: { action: ActionType; shows?: (s: CaseState) => boolean } = CARD_BUTTONS[code];
        return button.action === type && (button.shows?.(state) ?? true);
      });
      expect(codes.length, `${where}: a button`).toBeGreaterThan(0);
      const before = await snapshot(c.id);
      const unchanged = async (what: string) => expect(await snapshot(c.id), `${where}: ${what}`).toEqual(before);

      // Each door in turn; within a door the wrong people try at once, each their own attempts in order.
      const expectedOf = (w: (typeof wrong)[number]) => (w.actor === null ? NOT_ALLOWED : refusalText(t, w.refusal!));
      const everyone = (attempts: (w: (typeof wrong)[number], code: CardCode) => Promise<void>) =>
        Promise.all(
          wrong.map(async (w) => {
            for (const code of codes) await attempts(w, code);
          }),
        );
      // 1 and 2: the press, and the words the chat would ask for after it.
      await everyone(async (w, code) => {
        for (const step of pressesFor(code, c, state.version)) {
          const label = `${where}: ${w.label} presses ${step.data}`;
          const answers = await press(w.user, step.data);
          figures.press++;
          expect(answers, label).toHaveLength(1);
          expect(answers[0]!.params, label).toMatchObject({ text: expectedOf(w), show_alert: true });
          for (const words of step.words ?? []) {
            const replies = await repliesTo(w.user, () => typed(w.user, words));
            figures.typed++;
            expect(replies.join("\n"), `${label}, then types ${words}`).not.toContain("已完成");
          }
        }
      });
      await unchanged("presses and typed words");
      // 3: the console, with their own valid launch data.
      await everyone(async (w, code) => {
        const res = await consoleAct(c.id, await tma(w.user), bodyFor(code, state.version));
        figures.console++;
        expect(res.status, `${where}: ${w.label} posts ${code}`).toBe(403);
        expect(res.json.ok).toBe(false);
        if (w.actor !== null) expect([w.refusal!.code, "CASE.NOT_ALLOWED"], `${where}: ${w.label} posts ${code}`).toContain(res.json.code);
      });
      await unchanged("console calls");
      // 4: launch data in the right person's name that Telegram never signed so: made up, and swapped from one's own.
      const claimed = right[0]!.user;
      for (const code of codes) {
        for (const [forgery, authorization] of await forgeries(claimed)) {
          const forged = await consoleAct(c.id, authorization, bodyFor(code, state.version));
          figures.forged++;
          expect(forged.status, `${where}: ${forgery} for ${code}`).toBe(401);
        }
      }
      await everyone(async (w, code) => {
        const forged = await consoleAct(c.id, await swapped(w.user, claimed), bodyFor(code, state.version));
        figures.forged++;
        expect(forged.status, `${where}: ${w.label}'s launch data with ${claimed.first_name}'s id, for ${code}`).toBe(401);
      });
      await unchanged("forged launch data");

      // The control: the right person, through the same console door, gets through.
      const r = right[0]!;
      const code = codes[0]!;
      const photo = code === "res" && needsEvidence(c.kind);
      const done = await consoleAct(c.id, await tma(r.user), bodyFor(code, state.version), photo);
      expect(done, `${where}: ${r.label} posts ${code}`).toMatchObject({ status: 200, json: { ok: true } });
      const after = await snapshot(c.id);
      expect(after.row.version, where).toBe(state.version + 1);
      expect(after.events.length, where).toBeGreaterThan(before.events.length);
      figures.controls++;
    }
    expect(figures.controls).toBe(ACTION_TYPES.length - systemOnly.length);
  }, 180_000);

  it("refuses typed words to a liaison whose case was transferred away, or who was removed, after the press opened them", async () => {
    clock.moveTo(clock.now() + 61_000);
    const inProgress = RECIPES.find((r) => r.name === "in progress")!;

    // Transferred away between the press and the words.
    const moved = await makeCase(inProgress);
    const v = (await rowOf(moved.id)).version;
    const opened = await press(OWNER, CASE_PRESS.encode({ caseId: moved.id, version: v, code: "pg" }));
    expect(opened[0]!.params.show_alert ?? false).toBe(false);
    await act(moved.id, { type: "transfer_request", toUnitId: "station-b", reason: "应由河东镇办理。" }, OWNER);
    await act(moved.id, { type: "transfer_accept" }, TARGET);
    await h.hazardline.settle();
    const before = await snapshot(moved.id);
    const replies = await repliesTo(OWNER, () => typed(OWNER, "已通知企业停产整改。"));
    figures.typed++;
    const state = await stateOf(moved.id);
    const refusal = refusalOf(state, "progress", (await actorOf(OWNER, state, "progress"))!);
    expect(refusal).toMatchObject({ code: "CASE.NOT_YOUR_UNIT" });
    // The case moved on under them (the version is checked first), and the card they get back offers them no action.
    expect(replies[0]).toBe(refusalText(t, { code: "CASE.STALE" }));
    const card = h.fake
      .callsTo("sendMessage")
      .filter((call) => call.params.chat_id === OWNER.id)
      .at(-1)!;
    const offered = ((card.params.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard ?? [])
      .flat()
      .flatMap((b) => (b.callback_data ? [CASE_PRESS.decode(b.callback_data)?.code] : []));
    expect(offered.filter((code) => CARD_CODES.includes(code as CardCode))).toEqual([]);
    // Nothing stored, and the words they had begun are dropped.
    const after = await snapshot(moved.id);
    expect({ ...after, pendingInput: [] }).toEqual({ ...before, pendingInput: [] });
    const inputOf = (who: InitDataUser, rows: { key: string }[]) => rows.filter((r) => r.key.includes(String(who.id)));
    expect(inputOf(OWNER, before.pendingInput)).toHaveLength(1);
    expect(inputOf(OWNER, after.pendingInput)).toEqual([]);

    // Removed from the directory between the press and the words.
    const left = await makeCase(inProgress);
    const lv = (await rowOf(left.id)).version;
    const open = await press(LEAVING, CASE_PRESS.encode({ caseId: left.id, version: lv, code: "pg" }));
    expect(open[0]!.params.show_alert ?? false).toBe(false);
    await pruneMembers([LEAVING.id]);
    await h.hazardline.settle();
    const beforeLeft = await snapshot(left.id);
    const said = await repliesTo(LEAVING, () => typed(LEAVING, "已通知企业停产整改。"));
    figures.typed++;
    expect(said.join("\n")).not.toContain("已完成");
    const afterLeft = await snapshot(left.id);
    expect({ ...afterLeft, pendingInput: [] }).toEqual({ ...beforeLeft, pendingInput: [] });
    expect(inputOf(LEAVING, beforeLeft.pendingInput)).toHaveLength(1);
    expect(inputOf(LEAVING, afterLeft.pendingInput)).toEqual([]);
    expect(afterLeft.events.filter((e) => e.action === "progress")).toEqual([]);
  });

  it("refuses every staff command of the catalog to everyone whose roles do not hold it, and changes nothing", async () => {
    clock.moveTo(clock.now() + 61_000);
    const everyone: Someone[] = [
      ...STAFF_CAST,
      { label: "citizen", user: user(7_990_001, "群众") },
      { label: "stranger", user: user(7_990_002, "路人") },
    ];
    const tables = async () => ({
      cases: await db().select().from(cases).orderBy(cases.id),
      events: (await db().select({ id: caseEvents.id }).from(caseEvents)).length,
      outbox: (await db().select({ id: outbox.id }).from(outbox)).length,
      reminders: await db().select().from(reminders).orderBy(reminders.key),
    });
    await h.hazardline.settle();
    const before = await tables();
    let group = -100_900;
    // Each person their commands in order; the people at once.
    await Promise.all(
      everyone.map(async (who) => {
        const roles = (await services().staff.member(who.user.id))?.roles ?? [];
        for (const name of COMMAND_NAMES.filter(isStaffCommand)) {
          if (mayUse(name, roles)) continue;
          const p = person({ ...who.user });
          const inGroup = !usableIn(name, "private");
          const chatId = inGroup ? group-- : who.user.id;
          const sent = () => h.fake.calls.filter((c) => c.method.startsWith("send") && c.params.chat_id === chatId).map((c) => String(c.params.text));
          const n = sent().length;
          const update: Update = inGroup ? p.saysInGroup(chatId, `/${name}`) : p.says(`/${name}`);
          expect((await h.post(update)).status).toBe(200);
          figures.commands++;
          expect(sent().slice(n), `${who.label} /${name}`).toEqual([NOT_ALLOWED]);
        }
      }),
    );
    expect(await tables()).toEqual(before);
  });

  it("leaves a sound database, and reports the matrix's size", async () => {
    await h.hazardline.settle();
    const sound = await expectSoundDatabase(h.database.client);
    expect(sound.cases).toBeGreaterThan(RECIPES.length);
    const doors = figures.press + figures.typed + figures.console + figures.forged + figures.commands;
    console.log(
      `authority matrix: ${figures.actions} actions × ${figures.wrongPairs} (action, wrong actor) pairs; ` +
        `${figures.press} forged presses, ${figures.typed} typed answers, ${figures.console} console calls, ` +
        `${figures.forged} forged launch data, ${figures.commands} staff commands = ${doors} refused attempts; ${figures.controls} right-actor controls passed`,
    );
    expect(figures.press).toBeGreaterThan(0);
    expect(figures.forged).toBeGreaterThan(figures.console);
  });
});
