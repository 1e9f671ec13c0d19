/** The people who talk to the bot: who they are to us is only their chosen language, so far. */
import type { Db } from "../../db/client";
import { findChosenLocale, rememberClientLocale, saveChosenLocale } from "../../db/queries/users";
import { isLocale, type Locale } from "../domain/locale";
import type { Clock } from "./clock";

export interface UserService {
  /** The language the user chose, or null if they never chose one. */
  chosenLocale(telegramId: number): Promise<Locale | null>;
  /** Remembers a person and the language their client reports (unless they chose one), for messages sent later. */
  greet(telegramId: number, locale: Locale): Promise<void>;
  chooseLocale(telegramId: number, locale: Locale): Promise<void>;
}

export function userService(db: Db, clock: Clock): UserService {
  return {
    async chosenLocale(telegramId) {
      const stored = await findChosenLocale(db, telegramId);
      return isLocale(stored) ? stored : null;
    },
    greet: (telegramId, locale) => rememberClientLocale(db, telegramId, locale, clock.now()),
    chooseLocale: (telegramId, locale) => saveChosenLocale(db, telegramId, locale, clock.now()),
  };
}
