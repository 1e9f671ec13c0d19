/**
 * The updates the webhook benchmark posts: what citizens and staff really send, each with its
 * own update_id (the bot drops a repeated one), spread over enough people that neither the
 * per-user draft lock nor the flood limit (30 a minute) is what gets measured.
 *
 * Each citizen goes round a report flow as a person would: /report, the kind and sector
 * buttons, a town button, an address typed, /cancel, then /status of a case they reported.
 * A button carries the draft's id, which the bot chose at random, so the stream reads the
 * buttons the bot last sent to that chat from the fake Bot API it runs beside (the load
 * driver holds both); the press is the one a person would make. Every eighth update is a
 * staff member pressing accept on a case card that has moved on since (a stale version):
 * answered, the card re-shown, nothing changed.
 *
 * A citizen is given an update at most every USER_GAP_MS (so at most 24 in any minute's
 * window, under the limit of 30); the stream takes a new citizen whenever every citizen in
 * play is still within their gap, so the number of people grows with the rate.
 */
import type { Update } from "grammy/types";
import { translator } from "../../src/i18n";
import type { FakeBotApi } from "../../test/support/fake-bot-api";
import { type Person, person } from "../../test/support/people";

export const USER_GAP_MS = 2_500;

export interface LoadFixtures {
  /** Citizens who reported a case, each with one of their case numbers. */
  reporters: Array<{ telegramId: number; number: string }>;
  /** Staff members, each with a case of their unit and a version it has since left. */
  staleCards: Array<{ telegramId: number; caseId: number; version: number }>;
}

export type UpdateKind = "report" | "kind" | "sector" | "place" | "address" | "cancel" | "status" | "stale-card";

const CITIZEN_CYCLE: UpdateKind[] = ["report", "kind", "sector", "place", "address", "cancel", "status"];
const STALE_CARD_EVERY = 8;
/** Where synthetic citizens' ids start, past any real-looking id in the fixtures. */
const SYNTHETIC_USER_BASE = 7_000_000_000;

interface Citizen {
  who: Person;
  number: string;
  step: number;
  nextAt: number;
}

/** What one run sent and what the fake saw in answer. */
export interface RunTally {
  sent: Record<UpdateKind, number>;
  /** Presses sent, and how many of them the bot answered (answerCallbackQuery with their id). */
  presses: number;
  pressesAnswered: number;
  /** Messages sent, and sendMessage calls to the chats they came from. */
  messages: number;
  messageReplies: number;
  /** Bot API calls by method. */
  calls: Record<string, number>;
  /** Replies that say the person was throttled, or that something went wrong. */
  floodReplies: number;
  errorReplies: number;
  /** Calls the fake refused as Telegram would (bad fields, limits). */
  violations: string[];
  /** Citizens in play by the end of the run, and the most updates one of them got in a minute's window. */
  citizens: number;
  maxPerUserPerMinute: number;
  /** Steps that found no button of the bot to press (pressed a stale one instead). */
  missingButtons: number;
}

function phrase(key: string): RegExp[] {
  return (["zh-CN", "en"] as const).map((locale) => {
    const [before] = translator(locale)(key, { seconds: 987654 }).split("987654");
    return new RegExp(`^${before!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
  });
}
const FLOOD = phrase("rate-messages");
const ERROR = phrase("error-generic");

export class UpdateStream {
  private readonly queue: Citizen[] = [];
  private head = 0;
  private readonly buttons = new Map<number, string[]>();
  private reporterIndex = 0;
  private syntheticIndex = 0;
  private staffIndex = 0;
  private count = 0;
  private seen = 0;
  private tally = emptyTally();
  private pressIds = new Set<string>();
  private messageChats = new Map<number, number>();
  private readonly perUserWindow = new Map<number, { window: number; count: number }>();

  constructor(
    private readonly fixtures: LoadFixtures,
    private readonly fake: FakeBotApi,
  ) {}

  /** Starts counting a new run; the citizens and their places in the flow carry on. */
  startRun(): void {
    this.observe();
    this.fake.clear();
    this.seen = 0;
    this.tally = emptyTally();
    this.pressIds = new Set();
    this.messageChats = new Map();
  }

  /** The run's tally, once the fake has seen the last answers. */
  finishRun(): RunTally {
    this.observe();
    for (const call of this.fake.callsTo("answerCallbackQuery")) {
      if (this.pressIds.has(String(call.params.callback_query_id))) this.tally.pressesAnswered++;
    }
    for (const call of this.fake.callsTo("sendMessage")) {
      if (this.messageChats.has(Number(call.params.chat_id))) this.tally.messageReplies++;
    }
    this.tally.violations = [...this.fake.violations];
    this.tally.citizens = this.queue.length - this.head;
    this.tally.maxPerUserPerMinute = Math.max(0, ...[...this.perUserWindow.values()].map((w) => w.count));
    return this.tally;
  }

  /** The next update to post, as JSON. */
  nextBody(): string {
    return JSON.stringify(this.next());
  }

  next(): Update {
    this.observe();
    const now = Date.now();
    this.count++;
    if (this.count % STALE_CARD_EVERY === 0 && this.fixtures.staleCards.length > 0) return this.staleCard();
    const citizen = this.citizenFor(now);
    const kind = CITIZEN_CYCLE[citizen.step % CITIZEN_CYCLE.length]!;
    citizen.step++;
    citizen.nextAt = now + USER_GAP_MS;
    this.queue.push(citizen);
    this.countPerUser(citizen.who.id, now);
    return this.citizenUpdate(citizen, kind);
  }

  private citizenFor(now: number): Citizen {
    const first = this.queue[this.head];
    if (first !== undefined && first.nextAt <= now) {
      this.head++;
      if (this.head > 4096 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      return first;
    }
    const reporter = this.fixtures.reporters[this.reporterIndex++];
    const id = reporter?.telegramId ?? SYNTHETIC_USER_BASE + this.syntheticIndex++;
    return {
      who: person({ id, first_name: `Citizen ${id % 100_000}`, language_code: "zh-hans" }),
      // Someone without a case of their own asks after a number that is not theirs.
      number: reporter?.number ?? "YH-20260101-0001",
      step: 0,
      nextAt: 0,
    };
  }

  private citizenUpdate(citizen: Citizen, kind: UpdateKind): Update {
    const { who } = citizen;
    this.tally.sent[kind]++;
    const press = (pattern: RegExp, fallback: string) => {
      const data = this.buttons.get(who.id)?.find((d) => pattern.test(d));
      if (data === undefined) this.tally.missingButtons++;
      return this.pressed(who.presses(data ?? fallback));
    };
    switch (kind) {
      case "report":
        return this.said(who.says("/report"));
      case "kind":
        return press(/^d:[a-z0-9]{8}:kind:hazard$/, "d:zzzzzzzz:kind:hazard");
      case "sector":
        return press(/^d:[a-z0-9]{8}:sector:/, "d:zzzzzzzz:sector:construction");
      case "place":
        return press(/^d:[a-z0-9]{8}:region:/, "d:zzzzzzzz:region:town");
      case "address":
        return this.said(who.says(`No. ${who.id % 400} Jianshe Road, next to the old grain depot`));
      case "cancel":
        return this.said(who.says("/cancel"));
      case "status":
        return this.said(who.says(`/status ${citizen.number}`));
      default:
        throw new Error(`not a citizen's step: ${kind}`);
    }
  }

  private staleCard(): Update {
    const card = this.fixtures.staleCards[this.staffIndex++ % this.fixtures.staleCards.length]!;
    this.tally.sent["stale-card"]++;
    const staff = person({ id: card.telegramId, first_name: `Officer ${card.telegramId % 1000}`, language_code: "zh-hans" });
    return this.pressed(staff.presses(`c:${card.caseId}:${card.version}:acc`));
  }

  private said(update: Update): Update {
    this.tally.messages++;
    const chat = update.message!.chat.id;
    this.messageChats.set(chat, (this.messageChats.get(chat) ?? 0) + 1);
    return update;
  }

  private pressed(update: Update): Update {
    this.tally.presses++;
    this.pressIds.add(update.callback_query!.id);
    return update;
  }

  private countPerUser(userId: number, now: number): void {
    const window = Math.floor(now / 60_000);
    const entry = this.perUserWindow.get(userId);
    if (entry && entry.window === window) entry.count++;
    else this.perUserWindow.set(userId, { window, count: 1 });
  }

  /** Reads the calls the fake recorded since last time: the buttons each chat now shows. */
  private observe(): void {
    const calls = this.fake.calls;
    for (; this.seen < calls.length; this.seen++) {
      const { method, params } = calls[this.seen]!;
      this.tally.calls[method] = (this.tally.calls[method] ?? 0) + 1;
      const text = typeof params.text === "string" ? params.text : "";
      if (FLOOD.some((re) => re.test(text))) this.tally.floodReplies++;
      if (ERROR.some((re) => re.test(text))) this.tally.errorReplies++;
      if (method !== "sendMessage" && method !== "editMessageText") continue;
      const keyboard = (params.reply_markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | undefined)?.inline_keyboard;
      if (keyboard)
        this.buttons.set(
          Number(params.chat_id),
          keyboard.flat().flatMap((b) => (b.callback_data ? [b.callback_data] : [])),
        );
    }
  }
}

function emptyTally(): RunTally {
  return {
    sent: { report: 0, kind: 0, sector: 0, place: 0, address: 0, cancel: 0, status: 0, "stale-card": 0 },
    presses: 0,
    pressesAnswered: 0,
    messages: 0,
    messageReplies: 0,
    calls: {},
    floodReplies: 0,
    errorReplies: 0,
    violations: [],
    citizens: 0,
    maxPerUserPerMinute: 0,
    missingButtons: 0,
  };
}
