/**
 * The evidence archive on Workers: an R2 bucket bound in wrangler.toml (`ARCHIVE`), one object
 * per SHA-256 under `sha256/`. The bucket's type is declared here, as much as this file uses,
 * rather than pulling in @cloudflare/workers-types (its globals clash with the Node types).
 */
import { isSha256Hex } from "../src/domain/hash";
import type { FileStore } from "../src/services/file-store";

export interface R2BucketLike {
  head(key: string): Promise<unknown>;
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
  put(key: string, value: Uint8Array, options?: { httpMetadata?: { contentType?: string } }): Promise<unknown>;
}

export function r2FileStore(bucket: R2BucketLike, binding = "ARCHIVE"): FileStore {
  const keyOf = (sha256: string) => {
    if (!isSha256Hex(sha256)) throw new Error(`not a SHA-256 in hex: ${JSON.stringify(sha256)}`);
    return `sha256/${sha256}`;
  };
  return {
    where: `r2:${binding}`,
    has: async (sha256) => (await bucket.head(keyOf(sha256))) !== null,
    async put(sha256, bytes, contentType) {
      await bucket.put(keyOf(sha256), bytes, contentType ? { httpMetadata: { contentType } } : undefined);
    },
    async get(sha256) {
      const object = await bucket.get(keyOf(sha256));
      return object === null ? null : new Uint8Array(await object.arrayBuffer());
    },
  };
}
