/**
 * Short-lived signed links to a case's archived files: `<case id>.<file unique id>.<expiry
 * ms>.<signature>`, the signature HMAC-SHA256 over the first three parts with a key derived
 * from the bot's token. WebCrypto only, so it runs on Workers too. A link names the case, so
 * that serving it checks again that the person may still see that case: a link passed on to
 * someone else, or kept after a transfer, gives nothing.
 */
import { hmacSha256, sameText, toHex } from "../domain/hash";

export interface FileLink {
  caseId: number;
  fileUniqueId: string;
  expiresAt: number;
}

const encoder = new TextEncoder();

/** The signing key: HMAC of the bot token under a label of its own, so it is used for nothing else. */
async function signingKey(botToken: string): Promise<CryptoKey> {
  const derived = await hmacSha256("hazardline console file links", botToken);
  return crypto.subtle.importKey("raw", derived as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

/** Signs links with one key, derived once per signer. */
export function fileLinks(botToken: string) {
  let key: Promise<CryptoKey> | undefined;
  const sign = async (payload: string) => {
    key ??= signingKey(botToken);
    return toHex(new Uint8Array(await crypto.subtle.sign("HMAC", await key, encoder.encode(payload))));
  };

  return {
    async token(link: FileLink): Promise<string> {
      const payload = `${link.caseId}.${link.fileUniqueId}.${link.expiresAt}`;
      return `${payload}.${await sign(payload)}`;
    },

    /** The link a token stands for, or null when it is malformed, its signature wrong, or it has expired at `now`. */
    async read(token: string, now: number): Promise<FileLink | null> {
      const m = /^(\d{1,15})\.([A-Za-z0-9_-]{1,128})\.(\d{1,15})\.([0-9a-f]{64})$/.exec(token);
      if (!m) return null;
      const [, id, fileUniqueId, expiry, signature] = m as unknown as [string, string, string, string, string];
      const expected = await sign(`${id}.${fileUniqueId}.${expiry}`);
      if (!sameText(expected, signature) || Number(expiry) <= now) return null;
      return { caseId: Number(id), fileUniqueId, expiresAt: Number(expiry) };
    },
  };
}

export type FileLinks = ReturnType<typeof fileLinks>;
