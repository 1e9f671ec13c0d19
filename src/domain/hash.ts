/** SHA-256 as lower-case hex, through Web Crypto (a global on Node 20 and on Workers). */
export async function sha256Hex(text: string): Promise<string> {
  return sha256HexOfBytes(new TextEncoder().encode(text));
}

/** The same over bytes: the evidence archive's content address of a file. */
export async function sha256HexOfBytes(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A SHA-256 in the lower-case hex the archive names files by (and nothing else: no path can hide in it). */
export const isSha256Hex = (value: string): boolean => /^[0-9a-f]{64}$/.test(value);
