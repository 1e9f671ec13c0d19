/**
 * The Bot API stand-in (src/local/bot-api.ts) on a loopback port, for grammY's
 * `client.apiRoot` in a test, a child process or a benchmark. Everything it checks, records
 * and answers is the stand-in's; this file only adds the Node server and the test identities.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { UserFromGetMe } from "grammy/types";
import { botIdentity, LocalBotApi } from "../../src/local/bot-api";

export { checkCall, type Failure, type FaultHook, faultMix, type RateLimits, type RecordedCall } from "../../src/local/bot-api";

export const TEST_TOKEN = "123456789:TEST-token_for-the-fake-bot-api";

export const TEST_BOT_INFO: UserFromGetMe = botIdentity(123456789, "hazardline_test_bot");

export interface KeyboardButton {
  text: string;
  callback_data?: string;
}

export interface KeyboardMessage {
  messageId: number;
  text: string;
  buttons: KeyboardButton[];
}

export class FakeBotApi extends LocalBotApi {
  private constructor(
    private readonly server: Server,
    readonly apiRoot: string,
    token: string,
    botInfo: UserFromGetMe,
  ) {
    super({ token, botInfo });
  }

  /**
   * `keepAliveMs`: how long an idle connection stays open. Node's default (5 s) lets a client
   * reuse a socket the server is closing at that moment (ECONNRESET); a long benchmark with
   * pauses sets it longer, as Telegram's own servers keep them.
   */
  static async start(opts: { token?: string; botInfo?: UserFromGetMe; keepAliveMs?: number } = {}): Promise<FakeBotApi> {
    let fake: FakeBotApi | undefined;
    // overrideGlobalObjects: false leaves the process's own Request and Response alone.
    const listener = getRequestListener((request) => fake!.fetch(request), { overrideGlobalObjects: false });
    const server = createServer((req, res) => void listener(req, res));
    if (opts.keepAliveMs !== undefined) server.keepAliveTimeout = opts.keepAliveMs;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeBotApi(server, `http://127.0.0.1:${port}`, opts.token ?? TEST_TOKEN, opts.botInfo ?? TEST_BOT_INFO);
    return fake;
  }

  /** The newest message with an inline keyboard the bot sent to a chat, or edited into one. */
  lastKeyboard(chatId: number): KeyboardMessage | undefined {
    const call = this.calls
      .filter((c) => c.params.chat_id === chatId && (c.method.startsWith("send") || c.method === "editMessageText"))
      .filter((c) => (c.params.reply_markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard)
      .at(-1);
    if (!call) return undefined;
    const rows = (call.params.reply_markup as { inline_keyboard: KeyboardButton[][] }).inline_keyboard;
    const messageId = call.method === "editMessageText" ? Number(call.params.message_id) : (call.result as { message_id: number }).message_id;
    return { messageId, text: String(call.params.text), buttons: rows.flat() };
  }

  async stop(): Promise<void> {
    // Connections go first, so a hung call's client sees its connection drop, as it did when
    // a real server went away; then the calls still waiting are let go.
    this.server.closeAllConnections();
    this.release();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
