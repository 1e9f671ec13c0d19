/** SHA-256 as lower-case hex, through Web Crypto (a global on Node 20 and on Workers). */
export async function sha256Hex(text: string): Promise<string> {
  return sha256HexOfBytes(new TextEncoder().encode(text));
}

/** The same over bytes: the evidence archive's content address of a file. */
export async function sha256HexOfBytes(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");

/** HMAC-SHA-256 of `data` under `key` (a string is taken as its UTF-8 bytes). */
export async function hmacSha256(key: Uint8Array | string, data: string): Promise<Uint8Array> {
  const raw = typeof key === "string" ? new TextEncoder().encode(key) : key;
  const cryptoKey = await crypto.subtle.importKey("raw", raw as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, new TextEncoder().encode(data)));
}

/** A SHA-256 in the lower-case hex the archive names files by (and nothing else: no path can hide in it). */
export const isSha256Hex = (value: string): boolean => /^[0-9a-f]{64}$/.test(value);

/**
 * Compares two strings without stopping at the first difference: signatures (launch data,
 * file links) and the webhook's secret token. Only a difference in length answers early, so
 * the time says at most how long the expected value is. (Hono's timingSafeEqual hides the
 * length too, by hashing both strings with Web Crypto: two SHA-256 digests, 3 % of the CPU
 * of every update in the webhook's profile, for a length that is not what guards a secret.)
 */
export function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
