/**
 * What Telegram is told about the bot: its commands in each language (the citizen's for
 * everyone, /schedule and /bind in groups), and where to deliver updates. Used by
 * `npm run set-webhook` and by the Node entry at start; safe to repeat. A staff member's own
 * menu is set per chat (src/services/command-menus.ts).
 */
import type { Api } from "grammy";
import type { BotCommandScope } from "grammy/types";
import { ALLOWED_UPDATES } from "../bot";
import { CITIZEN_COMMANDS, type CommandName } from "../domain/commands";
import { DEFAULT_LOCALE, LOCALES } from "../domain/locale";
import { commandList, GROUP_COMMANDS } from "./command-menus";

/** Telegram scopes command lists by the two-letter language of the user's client. */
const TELEGRAM_LANGUAGE = { "zh-CN": "zh", en: "en" } as const;

export async function setCommands(api: Api): Promise<void> {
  const lists: Array<[readonly CommandName[], BotCommandScope | undefined]> = [
    [CITIZEN_COMMANDS, undefined],
    [GROUP_COMMANDS, { type: "all_group_chats" }],
  ];
  for (const [names, scope] of lists) {
    for (const locale of LOCALES) {
      const commands = commandList(names, locale);
      // The default locale's list is also the list for every language we do not speak.
      if (locale === DEFAULT_LOCALE) await api.setMyCommands(commands, scope ? { scope } : {});
      await api.setMyCommands(commands, { ...(scope ? { scope } : {}), language_code: TELEGRAM_LANGUAGE[locale] });
    }
  }
}

export async function setWebhook(api: Api, url: string, secret: string): Promise<void> {
  await api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
}
