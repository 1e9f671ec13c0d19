/**
 * Partner systems' Open311 keys (a 12345 platform, a town's grid system): issued by the
 * operator's script, shown once, stored only as their SHA-256; a revoked key is refused.
 * WebCrypto only, so the web door can check a key on Workers as on Node.
 */
import type { Db } from "../../db/client";
import { insertApiKey, listApiKeys, revokeApiKey, useApiKey } from "../../db/queries/api-keys";
import { sha256Hex } from "../domain/hash";
import type { Clock } from "./clock";

/** 32 random bytes as base64url: 43 characters, nothing to escape in a URL or a form. */
export function newApiKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** Longer than any key we issue, so a huge header is not hashed for nothing. */
const MAX_KEY_LENGTH = 200;

export function partnerService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  return {
    /** A new key for `partner`: the key is returned here once and never again. */
    async issue(partner: string): Promise<{ id: number; key: string }> {
      const key = newApiKey();
      const id = await insertApiKey(db, partner, await sha256Hex(key), clock.now());
      return { id, key };
    },
    revoke: (id: number) => revokeApiKey(db, id, clock.now()),
    list: () => listApiKeys(db),
    /** The partner a key belongs to, noting it was used; null for a missing, unknown or revoked key. */
    async authenticate(key: string | undefined): Promise<{ id: number; partner: string } | null> {
      if (!key || key.length > MAX_KEY_LENGTH) return null;
      return (await useApiKey(db, await sha256Hex(key), clock.now())) ?? null;
    },
  };
}

export type PartnerService = ReturnType<typeof partnerService>;
