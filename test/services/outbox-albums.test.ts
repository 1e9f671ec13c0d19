/**
 * Albums through the outbox, whatever goes wrong: an album is one row sent in one call, so a
 * failed send (Telegram down, a 429, a drainer that died holding the row) is sent again whole,
 * once it goes through it is never sent again, and it never comes before the card it follows.
 */
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../../db/schema";
import { LEASE_MS } from "../../src/services/outbox";
import type { Failure } from "../support/fake-bot-api";
import { serviceFixture } from "../support/services";

let f: Awaited<ReturnType<typeof serviceFixture>>;
beforeAll(async () => {
  f = await serviceFixture(Date.parse("2026-11-25T02:00:00Z"), { timeoutSeconds: 1 });
});
afterAll(() => f.dispose());

const CHAT = 77;
const HOURS_3 = 3 * 3_600_000;

/** What can go wrong with one album's send. */
type Trouble = { kind: "telegram"; failure: Failure } | { kind: "died-holding-it" };

const trouble: fc.Arbitrary<Trouble> = fc.oneof(
  fc.constantFrom<Failure>({ kind: "error", status: 500 }, { kind: "error", status: 502 }, { kind: "flood", retryAfter: 7 }).map((failure) => ({
    kind: "telegram" as const,
    failure,
  })),
  fc.constant({ kind: "died-holding-it" as const }),
);

describe("an album in the outbox", () => {
  it("is delivered whole, exactly once, after its card, however its sends fail", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 2, max: 10 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), trouble), { maxLength: 4 }),
        async (sizes, troubles) => {
          run++;
          await f.db.delete(outbox);
          f.fake.calls.length = 0;
          const start = f.clock.at;
          // Each album between two texts, as cards and albums go to a unit's chat.
          const albums = sizes.map((n, a) => Array.from({ length: n }, (_, i) => `file-${run}-${a}-${i}`));
          const messages = albums.flatMap((files, a) => [
            { chatId: CHAT, method: "sendMessage" as const, payload: { text: `card ${run}-${a}` } },
            { chatId: CHAT, method: "sendMediaGroup" as const, payload: { media: files.map((media) => ({ type: "photo", media })) } },
          ]);
          await f.services.outbox.enqueue(messages, start);

          for (const [, t] of troubles) if (t.kind === "telegram") f.fake.failNext("sendMediaGroup", t.failure);
          const held = troubles.filter(([, t]) => t.kind === "died-holding-it").map(([i]) => i % albums.length);
          if (held.length > 0) {
            // A drainer claimed these album rows and died before it called Telegram.
            const rows = (await f.db.select().from(outbox).orderBy(outbox.id)).filter((r) => r.method === "sendMediaGroup");
            for (const i of new Set(held)) {
              await f.db
                .update(outbox)
                .set({ status: "sending", attempts: 1, leaseUntil: start + LEASE_MS })
                .where(eq(outbox.id, rows[i]!.id));
            }
          }

          // Drains, each later than any backoff, 429 or lease, until nothing is left.
          for (let i = 0; i < 12; i++) {
            f.clock.at = start + i * HOURS_3;
            await f.services.outbox.drain();
          }
          const rows = await f.db.select().from(outbox);
          expect(rows.map((r) => r.status)).toEqual(rows.map(() => "sent"));

          const delivered = f.fake.calls.filter((c) => c.params.chat_id === CHAT && c.result !== undefined);
          const albumCalls = delivered.filter((c) => c.method === "sendMediaGroup");
          // Every call carried a whole album; each album went through once.
          for (const call of f.fake.callsTo("sendMediaGroup")) {
            const files = (call.params.media as Array<{ media: string }>).map((m) => m.media);
            expect(albums).toContainEqual(files);
          }
          const sent = (files: string[]) => albumCalls.filter((c) => (c.params.media as Array<{ media: string }>)[0]!.media === files[0]).length;
          expect(albums.map(sent)).toEqual(albums.map(() => 1));
          // Each card before its album. (A message waiting out a failure lets the chat's later
          // messages pass, rather than hold them for hours: only what is due keeps its order.)
          const order = delivered.map((c) =>
            c.method === "sendMessage" ? String(c.params.text) : (c.params.media as Array<{ media: string }>)[0]!.media,
          );
          for (const [a, files] of albums.entries()) expect(order.indexOf(`card ${run}-${a}`)).toBeLessThan(order.indexOf(files[0]!));
          if (troubles.length === 0) expect(order).toEqual(albums.flatMap((files, a) => [`card ${run}-${a}`, files[0]!]));
          f.clock.at = start + 12 * HOURS_3;
        },
      ),
      { numRuns: 40 },
    );
  });
});
