/** Queries on `users`: the people who talk to the bot and the language to use with them. */
import { and, eq } from "drizzle-orm";
import type { Db } from "../client";
import { users } from "../schema";

/** The language a person chose with /lang, or null if they never chose. */
export async function findChosenLocale(db: Db, telegramId: number): Promise<string | null> {
  const [row] = await db
    .select({ locale: users.locale })
    .from(users)
    .where(and(eq(users.telegramId, telegramId), eq(users.localeChosen, true)));
  return row?.locale ?? null;
}

/** Records a person, or the language their client now reports, unless they chose one. */
export async function rememberClientLocale(db: Db, telegramId: number, locale: string, at: number): Promise<void> {
  await db
    .insert(users)
    .values({ telegramId, locale, createdAt: at, updatedAt: at })
    .onConflictDoUpdate({ target: users.telegramId, set: { locale, updatedAt: at }, setWhere: eq(users.localeChosen, false) });
}

export async function saveChosenLocale(db: Db, telegramId: number, locale: string, at: number): Promise<void> {
  await db
    .insert(users)
    .values({ telegramId, locale, localeChosen: true, createdAt: at, updatedAt: at })
    .onConflictDoUpdate({ target: users.telegramId, set: { locale, localeChosen: true, updatedAt: at } });
}
