/** The one Context type every handler sees: grammY's, plus services, locale and translator. */
import type { Context } from "grammy";
import type { Locale } from "../domain/locale";
import type { Translate } from "../i18n";
import type { Services } from "../services";
import type { RateVerdict } from "../services/rate-limit";

export interface HazardlineFlavor {
  services: Services;
  locale: Locale;
  t: Translate;
  /** The sender's flood count in a private chat, taken with the update's claim (update-guard.ts); rate-limit.ts judges it. */
  flood?: RateVerdict;
}

export type BotContext = Context & HazardlineFlavor;
