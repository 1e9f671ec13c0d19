/**
 * Claim codes: the one-time code an anonymous reporter who asks for a reward keeps, to prove
 * later that the report is theirs without ever telling us who they are (and the code a
 * reporter from the web follows their case with). The code is shown once; only an HMAC of it
 * under the office's claim secret is stored, so a copy of the database alone is no list of
 * codes to try.
 */
import { hmacSha256, sha256Hex, toHex } from "./hash";

/** No 0/O, 1/I/L: a code copied from a screen or read aloud must not be ambiguous. */
export const CLAIM_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

const GROUPS = 3;
const GROUP_LENGTH = 4;
const CODE_LENGTH = GROUPS * GROUP_LENGTH;
// The largest multiple of the alphabet size that fits in a byte (31 * 8 = 248). Bytes at or
// above it are thrown away, so every symbol is exactly equally likely.
const BYTE_LIMIT = 256 - (256 % CLAIM_CODE_ALPHABET.length);
// With a working source about 3% of bytes are rejected; this many draws in a row without
// finishing means the source is broken, and looping forever would hide that.
const MAX_DRAWS = 64;

/**
 * A fresh code such as "7KQM-ZC4H-W9TB": 12 symbols from 31, about 59 bits. The random source
 * is injectable for tests; the default is the platform CSPRNG (global in Node 20 and Workers).
 */
export function generateClaimCode(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  let symbols = "";
  for (let draw = 0; draw < MAX_DRAWS && symbols.length < CODE_LENGTH; draw++) {
    for (const byte of random(CODE_LENGTH - symbols.length)) {
      if (byte >= BYTE_LIMIT) continue;
      symbols += CLAIM_CODE_ALPHABET[byte % CLAIM_CODE_ALPHABET.length];
      if (symbols.length === CODE_LENGTH) break;
    }
  }
  if (symbols.length < CODE_LENGTH) throw new Error("The random source keeps returning unusable bytes");
  return group(symbols);
}

/**
 * The canonical "XXXX-XXXX-XXXX" form of what someone typed (any case, full-width, spaces or
 * dashes anywhere), or null. Look-alikes left out of the alphabet (0 O 1 I L) are rejected,
 * not guessed at: a code containing one was mistyped, and guessing could match someone
 * else's code.
 */
export function normalizeClaimCode(input: string): string | null {
  const symbols = input
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\p{Pd}\u2212_]/gu, "");
  if (symbols.length !== CODE_LENGTH) return null;
  for (const symbol of symbols) if (!CLAIM_CODE_ALPHABET.includes(symbol)) return null;
  return group(symbols);
}

export function looksLikeClaimCode(input: string): boolean {
  return normalizeClaimCode(input) !== null;
}

function canonicalOrThrow(code: string): string {
  const canonical = normalizeClaimCode(code);
  if (canonical === null) throw new TypeError("Not a claim code");
  return canonical;
}

/**
 * Lower-case hex HMAC-SHA-256 of the canonical form under `secret` (CLAIM_SECRET, see
 * src/config.ts), so the same code typed any way hashes alike. Rejects (TypeError) when the
 * input is not a claim code, so garbage is never stored or looked up as if it were one.
 */
export async function hashClaimCode(code: string, secret: string): Promise<string> {
  return toHex(await hmacSha256(secret, canonicalOrThrow(code)));
}

/**
 * Every hash a typed code may be stored under: its HMAC, and the bare SHA-256 that codes
 * given before the HMAC were stored as (they stay valid until their reporter is erased).
 */
export async function claimCodeHashes(code: string, secret: string): Promise<string[]> {
  return [await hashClaimCode(code, secret), await sha256Hex(canonicalOrThrow(code))];
}

function group(symbols: string): string {
  const groups: string[] = [];
  for (let i = 0; i < symbols.length; i += GROUP_LENGTH) groups.push(symbols.slice(i, i + GROUP_LENGTH));
  return groups.join("-");
}
