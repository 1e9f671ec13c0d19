/**
 * npm run set-webhook — tells Telegram where to deliver updates (PUBLIC_URL/telegram, with
 * WEBHOOK_SECRET as secret_token) and sets the command menu in Chinese and English. Run it
 * once after deploying to Workers (the Node server does the same at start in webhook mode).
 * Prints getMe as BOT_INFO, to store as a Workers secret so isolates skip getMe.
 */
import { Api } from "grammy";
import { ConfigError, createConfig } from "../src/config";
import { setCommands, setWebhook } from "../src/services/telegram-setup";

try {
  const config = createConfig(process.env);
  if (config.bot.mode !== "webhook") {
    throw new ConfigError(["PUBLIC_URL and WEBHOOK_SECRET must be set to register a webhook"]);
  }
  const api = new Api(config.botToken, config.apiRoot ? { apiRoot: config.apiRoot } : undefined);
  await setWebhook(api, config.bot.webhookUrl, config.bot.secret);
  await setCommands(api);
  const info = await api.getWebhookInfo();
  const me = await api.getMe();
  console.log(`Webhook set: ${info.url} (pending updates: ${info.pending_update_count})`);
  console.log(`BOT_INFO=${JSON.stringify(me)}`);
} catch (err) {
  console.error(err instanceof ConfigError ? `set-webhook: ${err.problems.join("; ")}` : err);
  process.exit(1);
}
