/** Small rendering helpers the citizen features share: names in the person's language, times. */
import type { Locale } from "../../src/domain/locale";

export function localName(locale: Locale, row: { nameZh: string; nameEn: string }): string {
  return locale === "en" ? row.nameEn : row.nameZh;
}

/** "2026-11-25 14:30" in the office's time zone. */
export { formatOfficeTime as formatTime } from "../../src/domain/office-time";

/** Shortens text for a summary line, on a character (not UTF-16 unit) boundary. */
export function excerpt(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join("")}…`;
}

export const privateLink = (username: string) => `https://t.me/${username}`;
