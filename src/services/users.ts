/** The people who talk to the bot: who they are to us is only their chosen language, so far. */
import type { Db } from "../../db/client";
import { findUserLocale, insertUserIfNew, saveUserLocale } from "../../db/queries/users";
import { isLocale, type Locale } from "../domain/locale";
import type { Clock } from "./clock";

export interface UserService {
  /** The language the user chose, or null if they never chose one. */
  chosenLocale(telegramId: number): Promise<Locale | null>;
  /** Remembers a user seen for the first time, with the language their client reports. */
  greet(telegramId: number, locale: Locale): Promise<void>;
  chooseLocale(telegramId: number, locale: Locale): Promise<void>;
}

export function userService(db: Db, clock: Clock): UserService {
  return {
    async chosenLocale(telegramId) {
      const stored = await findUserLocale(db, telegramId);
      return isLocale(stored) ? stored : null;
    },
    greet: (telegramId, locale) => insertUserIfNew(db, telegramId, locale, clock.now()),
    chooseLocale: (telegramId, locale) => saveUserLocale(db, telegramId, locale, clock.now()),
  };
}
