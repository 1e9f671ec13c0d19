/**
 * The languages Hazardline speaks and how a Telegram user's language_code maps to one.
 * Simplified Chinese is the office's language and the default; English sits beside it.
 */
export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * Picks a locale from Telegram's `language_code` (an IETF tag such as "en-US", "zh-hans").
 * Any Chinese variant gets zh-CN (the only Chinese we have); English gets en; everything
 * else, and no tag at all, gets the office default.
 */
export function negotiateLocale(languageCode: string | undefined): Locale {
  const primary = languageCode?.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === "en") return "en";
  return DEFAULT_LOCALE;
}

/** A directory row's name in the person's language. */
export function localName(locale: Locale, row: { nameZh: string; nameEn: string }): string {
  return locale === "en" ? row.nameEn : row.nameZh;
}
