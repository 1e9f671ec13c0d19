/**
 * The Workers office's evidence archive seen from outside the Worker: the same R2 bucket the
 * Worker binds as `ARCHIVE` (db/file-store-r2.ts), reached through R2's S3-compatible API with
 * an R2 API token, so that `npm run backup` and `npm run restore` on an operator's machine can
 * copy its files. Objects are named as the Worker names them, `sha256/<hash>`.
 *
 * Requests are signed (AWS Signature V4) by aws4fetch, the small fetch-based signer
 * Cloudflare's R2 documentation shows, rather than the AWS SDK: three verbs on one object
 * name are all this needs. aws4fetch also retries a 5xx or a 429 with backoff.
 */
import { AwsClient } from "aws4fetch";
import { isSha256Hex } from "../src/domain/hash";
import type { FileStore } from "../src/services/file-store";

/** An S3 bucket and the key that reaches it: R2's endpoint is https://<ACCOUNT_ID>.r2.cloudflarestorage.com. */
export interface S3Bucket {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** R2's region is always "auto". */
  region?: string;
}

/** What the bucket answered, as S3 puts it in an error's XML body (`<Code>NoSuchBucket</Code>`). */
const errorCode = (body: string) => /<Code>([^<]*)<\/Code>/.exec(body)?.[1];

export function s3FileStore(target: S3Bucket): FileStore {
  const client = new AwsClient({
    accessKeyId: target.accessKeyId,
    secretAccessKey: target.secretAccessKey,
    service: "s3",
    region: target.region ?? "auto",
  });
  const where = `${target.endpoint.replace(/\/+$/, "")}/${encodeURIComponent(target.bucket)}`;
  const urlOf = (sha256: string) => {
    if (!isSha256Hex(sha256)) throw new Error(`not a SHA-256 in hex: ${JSON.stringify(sha256)}`);
    return `${where}/sha256/${sha256}`;
  };

  /** One signed request; an endpoint that cannot be reached is said as such (fetch's own error says only "fetch failed"). */
  async function send(verb: "HEAD" | "GET" | "PUT", sha256: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await client.fetch(urlOf(sha256), { ...init, method: verb });
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause ?? err;
      throw new Error(`cannot reach the bucket at ${where}: ${cause instanceof Error ? cause.message : String(cause)}; check R2_ENDPOINT`, {
        cause: err,
      });
    }
  }

  /** A refusal said so an operator knows which setting to check; the secret is never in it. */
  function refused(status: number, code: string | undefined, verb: string, sha256: string): Error {
    if (code === "NoSuchBucket") return new Error(`there is no bucket ${target.bucket} at ${target.endpoint}: check R2_ENDPOINT and R2_BUCKET`);
    const hint = status === 403 ? ": check R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY, and that the token may read and write this bucket" : "";
    return new Error(`the bucket at ${where} answered ${verb} sha256/${sha256} with ${status}${code ? ` ${code}` : ""}${hint}`);
  }
  const codeOf = async (res: Response) => errorCode(await res.text().catch(() => ""));

  return {
    where,
    async has(sha256) {
      const res = await send("HEAD", sha256);
      if (res.ok) return true;
      // A HEAD's 404 has no body to tell a missing object from a missing bucket; a later put says which.
      if (res.status === 404) return false;
      throw refused(res.status, await codeOf(res), "HEAD", sha256);
    },
    async put(sha256, bytes, contentType) {
      const res = await send("PUT", sha256, {
        // The archive's bytes are never a view of a SharedArrayBuffer, which fetch could not send.
        body: bytes as Uint8Array<ArrayBuffer>,
        headers: contentType ? { "content-type": contentType } : {},
      });
      if (!res.ok) throw refused(res.status, await codeOf(res), "PUT", sha256);
      await res.body?.cancel();
    },
    async get(sha256) {
      const res = await send("GET", sha256);
      if (res.ok) return new Uint8Array(await res.arrayBuffer());
      const code = await codeOf(res);
      // A missing object is the archive lacking a file; a missing bucket is a wrong setting.
      if (res.status === 404 && code !== "NoSuchBucket") return null;
      throw refused(res.status, code, "GET", sha256);
    },
  };
}
