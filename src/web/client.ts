/**
 * Who is asking, for the limits on the public pages and the console's sign-in: the address a
 * proxy in front saw (Cloudflare's header, or X-Forwarded-For from one the operator put
 * there), else one shared bucket for direct clients. The address is hashed before it is used
 * as a key: hot state never holds a visitor's address.
 */
import type { Context } from "hono";
import { sha256Hex } from "../domain/hash";
import { type Locale, negotiateLocale } from "../domain/locale";

export const clientAddressOf = (c: Context): string =>
  c.req.header("CF-Connecting-IP") ?? c.req.header("X-Forwarded-For")?.split(",")[0]?.trim() ?? "direct";

export const clientKeyOf = async (c: Context): Promise<string> => (await sha256Hex(`client|${clientAddressOf(c)}`)).slice(0, 32);

/** The browser's first language, as the bot reads a Telegram client's: for pages opened with no choice of their own. */
export const browserLocale = (c: Context): Locale => negotiateLocale(c.req.header("Accept-Language")?.split(",")[0]?.trim());
