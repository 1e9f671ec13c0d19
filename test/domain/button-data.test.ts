/** Typed callback data: what a keyboard writes comes back the same, fits Telegram, and garbage comes back null. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buttonCodec, MAX_BUTTON_DATA_BYTES, oneOfWords, positiveInt } from "../../src/domain/button-data";

type Press = { id: number; op: "go" | "stop"; note?: string };
const codec = buttonCodec<Press>(
  "t",
  (p) => [p.id, p.op, ...(p.note === undefined ? [] : [p.note])],
  ([id, op, note, ...rest]) => {
    const n = positiveInt(id);
    const o = oneOfWords(["go", "stop"] as const, op);
    if (n === null || o === null || rest.length > 0) return null;
    return note === undefined ? { id: n, op: o } : { id: n, op: o, note };
  },
);

const press = fc.record(
  { id: fc.integer({ min: 1, max: 2 ** 40 }), op: fc.constantFrom("go" as const, "stop" as const), note: fc.stringMatching(/^[a-z0-9_-]{0,20}$/) },
  { requiredKeys: ["id", "op"] },
);

describe("a button codec", () => {
  it("decodes what it encoded, within 64 bytes", () => {
    fc.assert(
      fc.property(press, (p) => {
        const data = codec.encode(p);
        expect(new TextEncoder().encode(data).length).toBeLessThanOrEqual(MAX_BUTTON_DATA_BYTES);
        expect(codec.pattern.test(data)).toBe(true);
        expect(codec.decode(data)).toEqual(p);
      }),
    );
  });

  it("refuses garbage, other families and near misses", () => {
    for (const data of ["", "t", "t:", "t:0:go", "t:01:go", "t:1:run", "t:1:go:a:b", "u:1:go", "t:1.5:go", "t:-1:go", `t:1:go:${"x".repeat(60)}`]) {
      expect(codec.decode(data), data).toBeNull();
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (data) => {
        const value = codec.decode(data);
        if (value !== null) expect(codec.encode(value)).toBe(data);
      }),
    );
  });

  it("will not write a field with the separator, or data Telegram would refuse", () => {
    expect(() => codec.encode({ id: 1, op: "go", note: "a:b" })).toThrow(/":"/);
    expect(() => codec.encode({ id: 1, op: "go", note: "长".repeat(30) })).toThrow(/64 bytes/);
  });
});
