/**
 * A person in conversation with the bot through the harness: they type, tap buttons they
 * can see (found in what the bot actually sent them), and read the replies.
 */

import type { Update } from "grammy/types";
import { expect } from "vitest";
import type { KeyboardMessage, RecordedCall } from "./fake-bot-api";
import type { Harness } from "./harness";
import type { Person } from "./people";

export class Conversation {
  constructor(
    /** The in-process harness, or any server posted to over HTTP with the fake Bot API behind it. */
    private readonly h: Pick<Harness, "fake" | "post">,
    readonly who: Person,
  ) {}

  private sentToMe(): RecordedCall[] {
    return this.h.fake.calls.filter((c) => c.params.chat_id === this.who.id && c.method.startsWith("send"));
  }

  /** Posts an update and returns the texts the bot sent to this person in answer. */
  async post(update: Update): Promise<string[]> {
    const before = this.sentToMe().length;
    const res = await this.h.post(update);
    expect(res.status, "the webhook answers 200").toBe(200);
    return this.sentToMe()
      .slice(before)
      .map((c) => String(c.params.text ?? c.params.caption ?? ""));
  }

  say(text: string) {
    return this.post(this.who.says(text));
  }

  /** The newest message with an inline keyboard that the bot sent this person, or edited into one. */
  lastKeyboardMessage(): KeyboardMessage {
    const found = this.h.fake.lastKeyboard(this.who.id);
    if (!found) throw new Error(`no keyboard was sent to ${this.who.id}`);
    return found;
  }

  /** Taps the button whose label contains `label` on the newest keyboard. */
  async tap(label: string | RegExp): Promise<string[]> {
    const { messageId, buttons, text } = this.lastKeyboardMessage();
    const found = buttons.find((b) => (typeof label === "string" ? b.text.includes(label) : label.test(b.text)));
    if (!found?.callback_data) {
      throw new Error(`no button ${String(label)} under "${text}"; there are: ${buttons.map((b) => b.text).join(" | ")}`);
    }
    return this.post(this.who.presses(found.callback_data, { message_id: messageId }));
  }

  /** The text of the last answerCallbackQuery this person got. */
  lastAnswer(): string | undefined {
    const calls = this.h.fake.callsTo("answerCallbackQuery");
    return calls.at(-1)?.params.text as string | undefined;
  }
}
