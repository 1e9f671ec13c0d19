/** The check that anonymity holds: nothing the bot sent to a staff chat names an anonymous reporter. */
import { expect } from "vitest";
import type { FakeBotApi } from "./fake-bot-api";
import type { Person } from "./people";

/**
 * Asserts that no call to a staff chat (text, caption, album, keyboard: every parameter) names
 * any of `reporters` by id, name or username; returns how many calls were looked at, so a
 * suite can also check that it looked at something.
 */
export function expectNoReporterNamed(fake: FakeBotApi, staffChats: Iterable<number>, reporters: readonly Person[]): number {
  const chats = new Set(staffChats);
  const toStaff = fake.calls.filter((c) => chats.has(Number(c.params.chat_id))).map((c) => JSON.stringify(c.params));
  for (const who of reporters) {
    const secrets = [String(who.id), who.first_name, `${who.first_name} ${who.last_name ?? ""}`.trim(), who.username].filter(
      (s): s is string => s !== undefined && s !== "",
    );
    for (const secret of secrets)
      expect(
        toStaff.filter((m) => m.includes(secret)),
        secret,
      ).toEqual([]);
  }
  return toStaff.length;
}

/**
 * Asserts that none of `bodies` (answers of the console's API, say) names any of `reporters`:
 * their id as a whole number, their names or username.
 */
export function expectNoReporterIn(bodies: readonly string[], reporters: readonly Person[]): void {
  for (const who of reporters) {
    const names = [who.first_name, `${who.first_name} ${who.last_name ?? ""}`.trim(), who.username].filter(
      (s): s is string => s !== undefined && s !== "",
    );
    const id = new RegExp(`(?<![0-9])${who.id}(?![0-9])`);
    expect(
      bodies.filter((b) => id.test(b)),
      String(who.id),
    ).toEqual([]);
    for (const name of names)
      expect(
        bodies.filter((b) => b.includes(name)),
        name,
      ).toEqual([]);
  }
}

/**
 * A phone number as it may be written anywhere: +86 138 1234 5678, 8613812345678,
 * 138-1234-5678, 13812345678. Matches the national number as whole digits, after the
 * separators people and formatters put between digits are taken out, with or without 86.
 */
export function phonePattern(phone: string): RegExp {
  const national = phone.replace(/\D/g, "").replace(/^86(?=1\d{10}$)/, "");
  return new RegExp(`(?<![0-9])(?:\\+?86)?${national}(?![0-9])`);
}

const joinDigits = (text: string) => text.replace(/(?<=\d)[\s\-().]+(?=\d)/g, "");

/**
 * Asserts that none of `bodies` holds any of `contacts`: reporters who came by a door other than
 * Telegram (the web form, a phone call to the office, a partner system), known only by the
 * names and phones they gave. Phones are found in every usual format (phonePattern).
 */
export function expectNoContactIn(
  bodies: readonly string[],
  contacts: ReadonlyArray<{ names?: readonly string[]; phones?: readonly string[] }>,
): void {
  const joined = bodies.map(joinDigits);
  for (const who of contacts) {
    for (const name of who.names ?? [])
      expect(
        bodies.filter((b) => b.includes(name)),
        name,
      ).toEqual([]);
    for (const phone of who.phones ?? []) {
      const pattern = phonePattern(phone);
      expect(
        joined.filter((b) => pattern.test(b)),
        phone,
      ).toEqual([]);
    }
  }
}
