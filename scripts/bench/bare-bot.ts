/**
 * The yardstick for the webhook benchmark: the least a grammY bot on the same stack can do
 * (Hono and @hono/node-server, grammY's webhook adapter, the same fake Bot API), started
 * the same way as Hazardline (node --import tsx) so that both carry the same runtime and
 * loader. It answers each message with one sendMessage and each button press with one
 * answerCallbackQuery, and keeps no state. Hazardline's figures are read against it, because
 * on a shared two-core machine only a ratio measured in the same run means much.
 *
 * Reads BOT_TOKEN, BOT_INFO, TELEGRAM_API_ROOT, WEBHOOK_SECRET and PORT.
 */
import { serve } from "@hono/node-server";
import { Bot, webhookCallback } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { Hono } from "hono";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`bare bot: ${name} is required`);
  return value;
};

const bot = new Bot(env("BOT_TOKEN"), {
  botInfo: JSON.parse(env("BOT_INFO")) as UserFromGetMe,
  client: { apiRoot: env("TELEGRAM_API_ROOT") },
});
bot.on("message", (ctx) => ctx.reply(`echo: ${ctx.message.text ?? "…"}`));
bot.on("callback_query", (ctx) => ctx.answerCallbackQuery());

const app = new Hono();
const secretToken = env("WEBHOOK_SECRET");
app.post("/telegram", webhookCallback(bot, "hono", { secretToken }));

const port = Number(env("PORT"));
const server = serve({ fetch: app.fetch, port }, () => console.log(JSON.stringify({ msg: "bare bot started", port })));
process.on("SIGTERM", () => {
  server.close();
  process.exit(0);
});
