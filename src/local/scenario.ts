/**
 * The playground's "scenario" button: one case's whole life played by the cast on the real
 * path, as people would press it: a citizen reports a hazard with a photo, the unit's liaison
 * signs for it and resolves it with a photo, a dispatcher verifies and closes it (from their
 * own chat or the dispatchers' group, wherever the card went), the citizen
 * rates it. Every step is an update to the webhook and a button the bot itself sent, found by
 * its label in the bot's own locale; nothing here writes to the database.
 */
import { encode } from "fast-png";
import { translator } from "../i18n";
import type { Cast, CastPerson } from "./cast";
import type { Entry, Playground } from "./playground";

export class ScenarioError extends Error {}

export interface ScenarioDeps {
  playground: Playground;
  cast: Cast;
  tick: () => Promise<unknown>;
}

/** How long a step waits for the bot's message it needs (cards go through the outbox). */
const WAIT_MS = 20_000;

/** A small picture to stand for a site photo: a warning-yellow square with a dark band. */
export function samplePhoto(): Uint8Array {
  const size = 64;
  const data = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const band = (x + y) % 24 < 12;
      data.set(band ? [250, 200, 20] : [40, 40, 40], (y * size + x) * 3);
    }
  }
  return encode({ width: size, height: size, data, channels: 3 });
}

/** Plays the scenario; resolves with the case's tracking number. */
export async function runScenario(deps: ScenarioDeps): Promise<string> {
  const t = translator("zh-CN");
  const { playground } = deps;
  const people = deps.cast.people;
  const citizen = first(people, (p) => p.roles.includes("citizen"));
  const dispatcher = first(people, (p) => p.roles.includes("dispatcher"));
  const liaisons = people.filter((p) => p.roles.includes("liaison"));
  const photo = { bytes: samplePhoto(), name: "site.png", type: "image/png" };

  const say = (who: CastPerson, text: string) => playground.sendText(who.id, who.id, text);
  /** Presses the newest button so labelled in the person's private chat or one of `groups`. */
  const press = async (who: CastPerson, label: string, groups: number[] = []) => {
    const { entry, button } = await waitFor(playground, `"${label}" for ${who.name}`, () =>
      [who.id, ...groups].map((chat) => findButton(playground, chat, label)).find((found) => found !== undefined),
    );
    await playground.press(who.id, entry.chatId, entry.messageId, button);
  };
  const dispatchersGroups = deps.cast.groups.filter((g) => g.purpose === "dispatchers").map((g) => g.id);

  await say(citizen, "/report");
  await press(citizen, t("kind-hazard"));
  await press(citizen, t("play-scenario-sector"));
  await press(citizen, t("play-scenario-town"));
  await say(citizen, t("play-scenario-address"));
  await say(citizen, t("play-scenario-description"));
  await playground.sendFile(citizen.id, citizen.id, photo);
  await press(citizen, t("btn-done"));
  await press(citizen, t("urgency-ordinary"));
  await press(citizen, t("identity-anonymous"));
  await press(citizen, t("reward-no"));
  await press(citizen, t("btn-submit"));
  const receipt = playground.transcript(citizen.id).at(-1)?.text ?? "";
  const number = /[A-Z]{2}-\d{8}-\d{4}/.exec(receipt)?.[0];
  if (number === undefined) throw new ScenarioError(`the report was not taken: the bot answered "${receipt}"`);

  // The card goes through the outbox to the unit the case was routed to.
  const accept = t("btn-accept");
  const liaison = (await waitFor(playground, `the card of ${number} at a liaison`, () =>
    liaisons.find((l) => findButton(playground, l.id, accept, number) !== undefined),
  )) as CastPerson;
  await press(liaison, accept);
  await press(liaison, t("btn-resolve"));
  await say(liaison, t("play-scenario-measures"));
  await say(liaison, t("play-scenario-responsible"));
  await playground.sendFile(liaison.id, liaison.id, photo);
  await press(liaison, t("btn-done-evidence"));

  await press(dispatcher, t("btn-close"), dispatchersGroups);
  await deps.tick();
  await press(citizen, "\u2b50".repeat(5));
  await press(citizen, t("btn-skip"));
  return number;
}

function first(people: CastPerson[], test: (p: CastPerson) => boolean): CastPerson {
  const found = people.find(test);
  if (found === undefined) throw new ScenarioError("the cast needs a citizen, a liaison and a dispatcher");
  return found;
}

/** The newest bot message in a private chat with a button labelled `label` (and `text` in it, if given). */
function findButton(playground: Playground, chatId: number, label: string, text?: string): { entry: Entry; button: string } | undefined {
  const transcript = playground.transcript(chatId);
  for (let i = transcript.length - 1; i >= 0; i--) {
    const entry = transcript[i]!;
    if (entry.from !== "bot" || (text !== undefined && !entry.text?.includes(text))) continue;
    const buttons = entry.buttons?.flat().filter((b) => b.data !== undefined) ?? [];
    // The exact label first; a sector or town button may carry more than its name.
    const button = buttons.find((b) => b.text === label) ?? buttons.find((b) => b.text.includes(label));
    if (button) return { entry, button: button.data! };
  }
  return undefined;
}

async function waitFor<T>(playground: Playground, what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new ScenarioError(`the scenario waited ${WAIT_MS / 1000} s for ${what}`);
    await playground.eventsAfter(playground.lastSeq, 500);
  }
}
