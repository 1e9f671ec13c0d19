/**
 * An S3 server on loopback (s3rver, an implementation of the S3 REST API over a folder), in
 * R2's place for the Workers office's backup: `npm run backup` and `npm run restore` reach it
 * exactly as they reach R2's S3 API, signed requests and S3's XML errors included.
 *
 * What it does not check: s3rver accepts a Signature V4 request whatever its signature (its
 * source says V4 verification is unimplemented), so a wrong secret is not caught here; a
 * wrong access key id is (InvalidAccessKeyId), and so is a bucket that does not exist.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsClient } from "aws4fetch";
import S3rver from "s3rver";

/** s3rver's one account. */
export const S3_KEY = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export interface S3Server {
  endpoint: string;
  /** The bytes stored under `key` in `bucket`, or null; read with a signed GET of its own. */
  object(bucket: string, key: string): Promise<Uint8Array | null>;
  stop(): Promise<void>;
}

export async function startS3Server(buckets: readonly string[]): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), "hazardline-s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new AwsClient({ ...S3_KEY, service: "s3", region: "auto", retries: 0 });
  return {
    endpoint,
    async object(bucket, key) {
      const res = await client.fetch(`${endpoint}/${bucket}/${key}`);
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`GET ${bucket}/${key}: ${res.status} ${await res.text()}`);
      return new Uint8Array(await res.arrayBuffer());
    },
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
