/** Small rendering helpers the citizen features share: names in the person's language, times. */
import type { Locale } from "../../src/domain/locale";

export function localName(locale: Locale, row: { nameZh: string; nameEn: string }): string {
  return locale === "en" ? row.nameEn : row.nameZh;
}

/** "2026-11-25 14:30" in the office's time zone. */
export function formatTime(atMs: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(atMs))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** Shortens text for a summary line, on a character (not UTF-16 unit) boundary. */
export function excerpt(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join("")}…`;
}

export const privateLink = (username: string) => `https://t.me/${username}`;
