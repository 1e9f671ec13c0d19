/**
 * The evidence archive on Node: a folder (ARCHIVE_DIR, `./data/files` by default) with one file
 * per SHA-256, spread over 256 subfolders by the hash's first two digits (`ab/abcdef…`). A file
 * is written under a temporary name and renamed into place, so a crash or a full disk never
 * leaves a partial file under a hash. Node-only: imported by src/node.ts and the scripts.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { isSha256Hex } from "../src/domain/hash";
import type { FileStore } from "../src/services/file-store";

const isMissing = (err: unknown) => (err as { code?: unknown } | null)?.code === "ENOENT";

/** Where the folder `dir` keeps the file with this SHA-256 (the layout backups copy as it is). */
export function archivePath(dir: string, sha256: string): string {
  if (!isSha256Hex(sha256)) throw new Error(`not a SHA-256 in hex: ${JSON.stringify(sha256)}`);
  return join(dir, sha256.slice(0, 2), sha256);
}

export function fsFileStore(dir: string): FileStore {
  const pathOf = (sha256: string) => archivePath(dir, sha256);
  return {
    where: dir,
    async has(sha256) {
      try {
        await stat(pathOf(sha256));
        return true;
      } catch (err) {
        if (isMissing(err)) return false;
        throw err;
      }
    },
    async put(sha256, bytes) {
      const path = pathOf(sha256);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${randomUUID()}.tmp`;
      try {
        await writeFile(temporary, bytes);
        await rename(temporary, path);
      } catch (err) {
        await rm(temporary, { force: true }).catch(() => undefined);
        throw err;
      }
    },
    async get(sha256) {
      try {
        return new Uint8Array(await readFile(pathOf(sha256)));
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
  };
}
