/** Queries on `users`: the people who talk to the bot and the language each chose. */
import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { users } from "../schema";

export async function findUserLocale(db: Db, telegramId: number): Promise<string | null> {
  const [row] = await db.select({ locale: users.locale }).from(users).where(eq(users.telegramId, telegramId));
  return row?.locale ?? null;
}

/** Records a user the first time they appear; a known user keeps their chosen language. */
export async function insertUserIfNew(db: Db, telegramId: number, locale: string, at: number): Promise<void> {
  await db.insert(users).values({ telegramId, locale, createdAt: at, updatedAt: at }).onConflictDoNothing();
}

export async function saveUserLocale(db: Db, telegramId: number, locale: string, at: number): Promise<void> {
  await db
    .insert(users)
    .values({ telegramId, locale, createdAt: at, updatedAt: at })
    .onConflictDoUpdate({ target: users.telegramId, set: { locale, updatedAt: at } });
}
