/**
 * What Telegram is told about the bot: its commands in each language, and where to deliver
 * updates. Used by `npm run set-webhook` and by the Node entry at start; safe to repeat.
 */
import type { Api } from "grammy";
import { ALLOWED_UPDATES } from "../bot";
import { DEFAULT_LOCALE, LOCALES } from "../domain/locale";
import { translator } from "../i18n";

const COMMANDS = ["report", "ask", "my", "status", "cancel", "start", "lang", "help"] as const;
/** Telegram scopes command lists by the two-letter language of the user's client. */
const TELEGRAM_LANGUAGE = { "zh-CN": "zh", en: "en" } as const;

export async function setCommands(api: Api): Promise<void> {
  for (const locale of LOCALES) {
    const t = translator(locale);
    const commands = COMMANDS.map((command) => ({ command, description: t(`command-${command}`) }));
    // The default locale's list is also the list for every language we do not speak.
    if (locale === DEFAULT_LOCALE) await api.setMyCommands(commands);
    await api.setMyCommands(commands, { language_code: TELEGRAM_LANGUAGE[locale] });
  }
}

export async function setWebhook(api: Api, url: string, secret: string): Promise<void> {
  await api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
}
