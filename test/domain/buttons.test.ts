/**
 * The button catalog: every family writes data that fits Telegram and reads back as written,
 * reads nothing it did not write, and owns its prefix alone. The handlers read presses only
 * through these codecs: none matches callback data by hand or casts `ctx.match`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ButtonCodec, MAX_BUTTON_DATA_BYTES } from "../../src/domain/button-data";
import {
  BIND,
  BUTTON_FAMILIES,
  DIGEST,
  DRAFT_PRESS,
  type DraftPress,
  EVIDENCE,
  FOLLOW_UP,
  LANGUAGE,
  MATERIAL,
  MATERIAL_SEND,
  MENU,
  MY_CASE,
  NEW_FLOW,
  NOTICE,
  NOTICE_READ,
  PUBLISH,
  RATE,
  RATING_COMMENT,
} from "../../src/domain/buttons";
import { STAFF_SOURCES } from "../../src/domain/doors";
import { LOCALES } from "../../src/domain/locale";
import { STEPS } from "../../src/domain/report-draft";

const id = fc.integer({ min: 1, max: 2 ** 40 });
const directoryId = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,39}$/);
const draftId = fc.stringMatching(/^[a-z0-9]{8}$/);
const yes = fc.boolean();

const draftPress: fc.Arbitrary<DraftPress> = fc.oneof(
  fc.record({
    draftId,
    do: fc.constantFrom("resume" as const, "cancel" as const, "skip" as const, "done" as const, "submit" as const, "edit" as const),
  }),
  fc.record({ draftId, do: fc.constant("kind" as const), kind: fc.constantFrom("hazard" as const, "violation" as const) }),
  fc.record({ draftId, do: fc.constant("source" as const), source: fc.constantFrom(...STAFF_SOURCES) }),
  fc.record({ draftId, do: fc.constantFrom("sector" as const, "region" as const), id: directoryId }),
  fc.record({ draftId, do: fc.constantFrom("urgent" as const, "anon" as const, "reward" as const), yes }),
  fc.record({ draftId, do: fc.constant("field" as const), step: fc.constantFrom(...STEPS) }),
);

// Each family with values it may carry; `sample` checks the values against the codec's type.
type Sample = readonly [ButtonCodec<unknown>, fc.Arbitrary<unknown>];
const sample = <T>(codec: ButtonCodec<T>, values: fc.Arbitrary<T>): Sample => [codec as unknown as ButtonCodec<unknown>, values];

const SAMPLES: Sample[] = [
  sample(MENU, fc.constantFrom("report", "ask", "my", "lang")),
  sample(LANGUAGE, fc.constantFrom(...LOCALES)),
  sample(DRAFT_PRESS, draftPress),
  sample(NEW_FLOW, fc.record({ flow: fc.constantFrom("report", "ask", "intake"), oldDraftId: draftId })),
  sample(MY_CASE, fc.record({ caseId: id })),
  sample(RATE, fc.record({ caseId: id, stars: fc.constantFrom(1, 2, 3, 4, 5) })),
  sample(RATING_COMMENT, fc.constantFrom("skip" as const, "complaint" as const)),
  sample(MATERIAL, fc.record({ caseId: id })),
  sample(MATERIAL_SEND, fc.constant("send")),
  sample(FOLLOW_UP, fc.record({ caseId: id })),
  sample(EVIDENCE, fc.constant("done")),
  sample(
    NOTICE,
    fc.oneof(
      fc.record({ do: fc.constantFrom("cancel", "all", "next", "back", "send") }),
      fc.record({ do: fc.constant("unit"), unitId: directoryId }),
    ),
  ),
  sample(NOTICE_READ, fc.record({ noticeId: id })),
  sample(
    PUBLISH,
    fc.oneof(fc.constant({ do: "cancel" }), fc.record({ do: fc.constant("post"), caseId: id, kind: fc.constantFrom("listed", "closed") })),
  ),
  sample(DIGEST, fc.constantFrom("supervised", "ranking", "stats")),
  sample(
    BIND,
    fc.oneof(fc.record({ purpose: fc.constantFrom("dispatchers", "leaders") }), fc.record({ purpose: fc.constant("unit"), unitId: directoryId })),
  ),
];

const bytes = (data: string) => new TextEncoder().encode(data).length;

describe("the button catalog", () => {
  it("gives every family its own prefix, none a prefix of another's data", () => {
    const prefixes = BUTTON_FAMILIES.map((f) => f.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const [codec, values] of SAMPLES) {
      fc.assert(
        fc.property(values, (value) => {
          const data = codec.encode(value);
          const readers = BUTTON_FAMILIES.filter((f) => f.pattern.test(data));
          expect(readers.map((f) => f.prefix)).toEqual([codec.prefix]);
        }),
        { numRuns: 50 },
      );
    }
  });

  it("covers every family it lists with samples here", () => {
    expect(new Set(SAMPLES.map(([codec]) => codec.prefix))).toEqual(new Set(BUTTON_FAMILIES.map((f) => f.prefix).filter((p) => p !== "c")));
  });

  for (const [codec, values] of SAMPLES) {
    it(`${codec.prefix}: reads back what it wrote, within ${MAX_BUTTON_DATA_BYTES} bytes`, () => {
      fc.assert(
        fc.property(values, (value) => {
          const data = codec.encode(value);
          expect(bytes(data)).toBeLessThanOrEqual(MAX_BUTTON_DATA_BYTES);
          expect(codec.decode(data)).toEqual(value);
        }),
      );
    });

    it(`${codec.prefix}: reads nothing it would not write`, () => {
      const near = fc.oneof(
        fc.string({ maxLength: 70 }),
        fc.string({ maxLength: 40 }).map((tail) => `${codec.prefix}:${tail}`),
        values.map((v) => `${codec.encode(v)}:x`),
        values.map((v) => codec.encode(v).slice(0, -1)),
      );
      fc.assert(
        fc.property(near, (data) => {
          const value = codec.decode(data);
          if (value !== null) expect(codec.encode(value)).toBe(data);
        }),
      );
    });
  }

  it("refuses what a forger would try", () => {
    const forged: [ButtonCodec<unknown>, string][] = [
      [DRAFT_PRESS, "d:abcdefgh:kind:consultation"],
      [DRAFT_PRESS, "d:abcdefgh:urgent:2"],
      [DRAFT_PRESS, "d:abcdefgh:field:nowhere"],
      [DRAFT_PRESS, "d:ABCDEFGH:submit"],
      [DRAFT_PRESS, "d:abcdefgh:submit:1"],
      [RATE, "rate:1:6"],
      [RATE, "rate:0:5"],
      [MY_CASE, "st:-1"],
      [LANGUAGE, "lang:fr"],
      [NOTICE, "nt:u:../../etc"],
      [PUBLISH, "pb:1:deleted"],
      [DIGEST, "dg:export"],
      [BIND, "bd:public"],
    ];
    for (const [codec, data] of forged) expect(codec.decode(data), data).toBeNull();
  });
});

describe("the handlers", () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
    );
  const files = sources("handlers").map((path) => ({ path, text: readFileSync(path, "utf8") }));

  it("read presses through a codec, never by a pattern of their own or a cast of ctx.match", () => {
    for (const { path, text } of files) {
      expect(text, path).not.toMatch(/ctx\.match as/);
      for (const [, arg] of text.matchAll(/callbackQuery\(\s*([^,]+),/g)) {
        // A family's pattern, or one button a codec wrote (held in a constant or written in place).
        expect(arg, `${path}: callbackQuery(${arg})`).toMatch(/^[A-Z_]+(\.pattern|\.encode\(.*\))?$/);
      }
    }
  });
});
