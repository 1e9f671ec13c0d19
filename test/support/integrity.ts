/**
 * The check a test runs on the database after hostile input, a crash or a fault: SQLite's own
 * integrity and foreign keys, then the domain's: every case in a valid state that its own
 * ledger explains, every event of a known type and shape, every outbox row, reminder and
 * archive copy in a known state. It returns what it looked at, so a suite can also check
 * that it looked at something.
 */
import type { Client } from "@libsql/client";
import { expect } from "vitest";
import { CASE_KINDS, CASE_STATUSES, readEvent, SEVERITIES } from "../../src/domain/workflow";

const OUTBOX_STATUSES = ["pending", "sending", "sent", "dead"];
const REMINDER_STATUSES = ["pending", "sent", "cancelled"];
const ARCHIVE_STATUSES = ["pending", "archived", "unavailable"];

export interface Soundness {
  cases: number;
  events: number;
  outbox: number;
}

export async function expectSoundDatabase(client: Client, opts: { settled?: boolean } = {}): Promise<Soundness> {
  expect((await client.execute("PRAGMA integrity_check")).rows.map((r) => r[0])).toEqual(["ok"]);
  expect((await client.execute("PRAGMA foreign_key_check")).rows).toEqual([]);

  const cases = (await client.execute("SELECT id, number, kind, status, severity, version FROM cases")).rows;
  const events = (await client.execute("SELECT id, case_id, action, from_status, to_status, data FROM case_events ORDER BY id")).rows;
  const lastStatus = new Map<number, string>();
  const unreadable: unknown[] = [];
  for (const e of events) {
    const data = typeof e.data === "string" ? JSON.parse(e.data) : e.data;
    if (readEvent({ action: String(e.action), data }) === null) unreadable.push({ id: e.id, action: e.action, data });
    for (const status of [e.from_status, e.to_status]) if (status !== null) expect(CASE_STATUSES).toContain(status);
    if (e.to_status !== null) lastStatus.set(Number(e.case_id), String(e.to_status));
  }
  expect(unreadable, "events this version cannot read").toEqual([]);

  const submitted = new Set(events.filter((e) => e.action === "submitted").map((e) => Number(e.case_id)));
  for (const c of cases) {
    expect(CASE_KINDS, String(c.number)).toContain(c.kind);
    expect(CASE_STATUSES, String(c.number)).toContain(c.status);
    expect(SEVERITIES, String(c.number)).toContain(c.severity);
    expect(submitted.has(Number(c.id)), `${c.number} has its submitted event`).toBe(true);
    // The status a case stands at is the one its last decided event led to.
    expect(lastStatus.get(Number(c.id)) ?? "new", String(c.number)).toBe(c.status);
  }

  const outbox = (await client.execute("SELECT id, status, attempts, chat_id FROM outbox")).rows;
  for (const row of outbox) {
    expect(OUTBOX_STATUSES).toContain(row.status);
    if (opts.settled) expect(row.status, `outbox row ${row.id} left claimed`).not.toBe("sending");
  }
  for (const row of (await client.execute("SELECT status FROM reminders")).rows) expect(REMINDER_STATUSES).toContain(row.status);
  for (const row of (await client.execute("SELECT status FROM archive_files")).rows) expect(ARCHIVE_STATUSES).toContain(row.status);

  return { cases: cases.length, events: events.length, outbox: outbox.length };
}
