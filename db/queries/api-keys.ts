/** Partner systems' Open311 keys: only a key's SHA-256 is stored, never the key itself. */
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Executor } from "../client";
import { apiKeys } from "../schema";

export async function insertApiKey(ex: Executor, partner: string, keyHash: string, now: number) {
  const [row] = await ex.insert(apiKeys).values({ partner, keyHash, createdAt: now }).returning({ id: apiKeys.id });
  return row!.id;
}

/** True when a key that was in use is now revoked; false when there is no such key or it was revoked already. */
export async function revokeApiKey(ex: Executor, id: number, now: number): Promise<boolean> {
  const done = await ex
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return done.length > 0;
}

export function listApiKeys(ex: Executor) {
  return ex
    .select({ id: apiKeys.id, partner: apiKeys.partner, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .orderBy(asc(apiKeys.id));
}

/** The key in use with this hash, marked as used now; undefined for an unknown or revoked key. */
export async function useApiKey(ex: Executor, keyHash: string, now: number) {
  const [row] = await ex
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, partner: apiKeys.partner });
  return row;
}
