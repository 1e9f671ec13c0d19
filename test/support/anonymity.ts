/** The check that anonymity holds: nothing the bot sent to a staff chat names an anonymous reporter. */
import { expect } from "vitest";
import type { FakeBotApi } from "./fake-bot-api";
import type { Person } from "./people";

/**
 * Scans every call to the staff chats (texts, captions, relayed files, buttons) for each
 * reporter's id, names and username; returns how many calls were scanned, so a suite can show
 * that it scanned something.
 */
export function expectNoReporterNamed(fake: FakeBotApi, staffChats: Iterable<number>, reporters: readonly Person[]): number {
  const staff = new Set(staffChats);
  const toStaff = fake.calls.filter((c) => staff.has(Number(c.params.chat_id))).map((c) => JSON.stringify(c.params));
  for (const who of reporters) {
    for (const secret of [String(who.id), who.first_name, `${who.first_name} ${who.last_name}`, who.username!]) {
      expect(
        toStaff.filter((m) => m.includes(secret)),
        secret,
      ).toEqual([]);
    }
  }
  return toStaff.length;
}
