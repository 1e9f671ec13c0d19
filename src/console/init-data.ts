/**
 * Telegram Mini App launch data (`initData`): checking the signature Telegram put on it with
 * the bot's token, and making one (the tests, and local mode opening the console as one of its
 * cast). The scheme is Telegram's: secret = HMAC-SHA256(key "WebAppData", bot token); the hash is
 * HMAC-SHA256(key secret, data-check-string), where the data-check-string is every field but
 * `hash`, as `key=value`, sorted by key, joined by line feeds.
 *
 * Written here rather than taken from @grammyjs/validator: that package signs with Node's
 * `crypto` and `Buffer`, which the Workers build has no use of; WebCrypto runs on both.
 */
import { hmacSha256, sameText, toHex } from "../domain/hash";

/** The person a Mini App was opened by, as Telegram describes them (only what the console reads). */
export interface InitDataUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export type InitDataCheck =
  | { ok: true; user: InitDataUser; authDate: number }
  | { ok: false; reason: "malformed" | "bad-signature" | "expired" | "no-user" };

/** Launch data is refused once it is older than this: Telegram signs it when the app opens. */
export const INIT_DATA_MAX_AGE_MS = 24 * 60 * 60_000;

function dataCheckString(params: URLSearchParams): string {
  return [...params.entries()]
    .filter(([key]) => key !== "hash")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join("\n");
}

/** The secret of a bot token's launch data, HMAC("WebAppData", token): worked out once per token, not at every request. */
const secrets = new Map<string, Promise<Uint8Array>>();

async function signatureOf(params: URLSearchParams, botToken: string): Promise<string> {
  let secret = secrets.get(botToken);
  if (secret === undefined) {
    secret = hmacSha256("WebAppData", botToken);
    secrets.set(botToken, secret);
  }
  return toHex(await hmacSha256(await secret, dataCheckString(params)));
}

function readUser(raw: string | null): InitDataUser | null {
  if (raw === null) return null;
  try {
    const user = JSON.parse(raw) as Partial<InitDataUser> | null;
    if (typeof user !== "object" || user === null || !Number.isSafeInteger(user.id) || (user.id as number) <= 0) return null;
    return {
      id: user.id as number,
      first_name: typeof user.first_name === "string" ? user.first_name : "",
      ...(typeof user.last_name === "string" ? { last_name: user.last_name } : {}),
      ...(typeof user.username === "string" ? { username: user.username } : {}),
      ...(typeof user.language_code === "string" ? { language_code: user.language_code } : {}),
    };
  } catch {
    return null;
  }
}

/** Checks launch data against the bot's token and its age at `now` (ms). */
export async function verifyInitData(initData: string, botToken: string, now: number, maxAgeMs = INIT_DATA_MAX_AGE_MS): Promise<InitDataCheck> {
  if (initData.length === 0 || initData.length > 8192) return { ok: false, reason: "malformed" };
  const params = new URLSearchParams(initData);
  const hash = params.get("hash");
  const authDate = Number(params.get("auth_date"));
  if (hash === null || !/^[0-9a-f]{64}$/.test(hash) || !Number.isSafeInteger(authDate)) return { ok: false, reason: "malformed" };
  if (!sameText(await signatureOf(params, botToken), hash)) return { ok: false, reason: "bad-signature" };
  if (now - authDate * 1000 > maxAgeMs || authDate * 1000 - now > 60_000) return { ok: false, reason: "expired" };
  const user = readUser(params.get("user"));
  return user ? { ok: true, user, authDate: authDate * 1000 } : { ok: false, reason: "no-user" };
}

/** Any fields, signed as Telegram signs launch data. */
export async function signFields(fields: Record<string, string>, botToken: string): Promise<string> {
  const params = new URLSearchParams(fields);
  params.set("hash", await signatureOf(params, botToken));
  return params.toString();
}

/** Launch data as Telegram would sign it for `user` at `at` (ms): what the tests and local mode open the console with. */
export function signInitData(user: InitDataUser, botToken: string, at: number): Promise<string> {
  return signFields({ auth_date: String(Math.floor(at / 1000)), query_id: "local", user: JSON.stringify(user) }, botToken);
}
