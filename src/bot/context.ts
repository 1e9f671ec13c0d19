/** The one Context type every handler sees: grammY's, plus services, locale and translator. */
import type { Context } from "grammy";
import type { Locale } from "../domain/locale";
import type { Translate } from "../i18n";
import type { Services } from "../services";

export interface HazardlineFlavor {
  services: Services;
  locale: Locale;
  t: Translate;
}

export type BotContext = Context & HazardlineFlavor;
