/**
 * The office's own file storage, content-addressed by SHA-256: the evidence archive keeps each
 * file's bytes under their hash, so the same bytes are stored once. Two implementations, each
 * wired by its runtime's entry: a folder on Node (`db/file-store-fs.ts`, `./data/files` by
 * default) and an R2 bucket on Workers (`db/file-store-r2.ts`). The archive service is the
 * only user; it computes the hash and calls `put` only for a hash `has` does not know.
 */
export interface FileStore {
  /** Where the files are kept, for logs and /healthz: a folder, or "r2:<binding>". */
  readonly where: string;
  has(sha256: string): Promise<boolean>;
  /** Stores the bytes under their hash; storing the same hash again changes nothing. */
  put(sha256: string, bytes: Uint8Array, contentType?: string): Promise<void>;
  /** The bytes, or null when nothing is stored under the hash. */
  get(sha256: string): Promise<Uint8Array | null>;
}
