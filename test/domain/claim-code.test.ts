import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  CLAIM_CODE_ALPHABET,
  claimCodeHashes,
  generateClaimCode,
  hashClaimCode,
  looksLikeClaimCode,
  normalizeClaimCode,
} from "../../src/domain/claim-code";

const FORMAT = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/;

/** A random source that hands out the given bytes in order and records each request. */
function scripted(bytes: number[]) {
  const requests: number[] = [];
  let next = 0;
  const random = (n: number) => {
    requests.push(n);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = bytes[next++] ?? 0;
    return out;
  };
  return { random, requests };
}

describe("CLAIM_CODE_ALPHABET", () => {
  it("has 31 distinct symbols without 0, O, 1, I or L", () => {
    expect(CLAIM_CODE_ALPHABET).toBe("23456789ABCDEFGHJKMNPQRSTUVWXYZ");
    expect(new Set(CLAIM_CODE_ALPHABET).size).toBe(31);
    for (const lookAlike of "0O1IL") expect(CLAIM_CODE_ALPHABET).not.toContain(lookAlike);
  });
});

describe("generateClaimCode", () => {
  it("makes codes of three dash-separated groups of four alphabet symbols", () => {
    for (let i = 0; i < 200; i++) expect(generateClaimCode()).toMatch(FORMAT);
  });

  it("makes a different code each time with the real random source", () => {
    const codes = new Set(Array.from({ length: 1000 }, () => generateClaimCode()));
    expect(codes.size).toBe(1000);
  });

  it("maps each byte below 248 to the symbol at byte mod 31", () => {
    const { random } = scripted([0, 1, 2, 3, 30, 31, 32, 61, 62, 93, 216, 247]);
    expect(generateClaimCode(random)).toBe("2345-Z23Z-22ZZ");
  });

  it("throws away bytes of 248 and above instead of biasing towards the first symbols", () => {
    // 248 % 31 = 0 and 255 % 31 = 7: taking them would favour "2".."9".
    const { random, requests } = scripted([248, 255, 0, 250, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(generateClaimCode(random)).toBe("2345-6789-ABCD");
    // First request for 12 bytes (3 rejected), then one more for the 3 still missing.
    expect(requests).toEqual([12, 3]);
  });

  it("asks for no more bytes than it still needs", () => {
    const { random, requests } = scripted(Array.from({ length: 12 }, (_, i) => i));
    generateClaimCode(random);
    expect(requests).toEqual([12]);
  });

  it("gives up loudly rather than loop forever on a broken random source", () => {
    expect(() => generateClaimCode((n) => new Uint8Array(n).fill(255))).toThrow(/random/);
  });

  it("uses every symbol about equally often", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      for (const c of generateClaimCode().replaceAll("-", "")) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(31);
    // 36 000 symbols / 31 ≈ 1161 each; ±25% is far beyond chance.
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(1161 * 0.75);
      expect(count).toBeLessThan(1161 * 1.25);
    }
  });
});

describe("normalizeClaimCode", () => {
  it.each([
    ["7KQM-ZC4H-W9TB", "7KQM-ZC4H-W9TB"],
    ["7kqm-zc4h-w9tb", "7KQM-ZC4H-W9TB"],
    ["  7KQM ZC4H W9TB  ", "7KQM-ZC4H-W9TB"],
    ["7KQMZC4HW9TB", "7KQM-ZC4H-W9TB"],
    ["7K QM-ZC 4H-W9 TB", "7KQM-ZC4H-W9TB"],
    ["７ＫＱＭ－ＺＣ４Ｈ－Ｗ９ＴＢ", "7KQM-ZC4H-W9TB"],
    ["7KQM—ZC4H—W9TB", "7KQM-ZC4H-W9TB"],
    ["7KQM_ZC4H_W9TB", "7KQM-ZC4H-W9TB"],
    ["7KQM\u3000ZC4H\u3000W9TB", "7KQM-ZC4H-W9TB"],
  ])("reads %j as %s", (input, expected) => {
    expect(normalizeClaimCode(input)).toBe(expected);
  });

  it.each([
    ["an empty string", ""],
    ["eleven symbols", "7KQM-ZC4H-W9T"],
    ["thirteen symbols", "7KQM-ZC4H-W9TBB"],
    ["a zero", "7KQM-ZC4H-W90B"],
    ["a letter O", "7KQM-ZC4H-W9OB"],
    ["a one", "7KQM-ZC4H-W91B"],
    ["a letter I", "7KQM-ZC4H-W9IB"],
    ["a letter L", "7KQM-ZC4H-W9LB"],
    ["a lower-case l", "7kqm-zc4h-w9lb"],
    ["other punctuation", "7KQM.ZC4H.W9TB"],
    ["Chinese text", "认领码7KQM-ZC4H-W9TB"],
    ["a case number", "YH-20261125-0042"],
  ])("rejects %s", (_what, input) => {
    expect(normalizeClaimCode(input)).toBeNull();
  });

  it("accepts every code it generates, unchanged", () => {
    for (let i = 0; i < 100; i++) {
      const code = generateClaimCode();
      expect(normalizeClaimCode(code)).toBe(code);
      expect(normalizeClaimCode(code.toLowerCase().replaceAll("-", " "))).toBe(code);
    }
  });
});

describe("looksLikeClaimCode", () => {
  it("says yes to a code typed loosely and no to anything else", () => {
    expect(looksLikeClaimCode("7kqm zc4h w9tb")).toBe(true);
    expect(looksLikeClaimCode("7KQM-ZC4H-W90B")).toBe(false);
    expect(looksLikeClaimCode("hello")).toBe(false);
  });
});

describe("hashClaimCode", () => {
  const SECRET = "office-claim-secret-0123";

  it("is the lower-case hex HMAC-SHA-256 of the canonical form under the office's secret", async () => {
    const expected = createHmac("sha256", SECRET).update("7KQM-ZC4H-W9TB").digest("hex");
    expect(await hashClaimCode("7KQM-ZC4H-W9TB", SECRET)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it("differs under another secret, so a copy of the database alone cannot be tried against codes", async () => {
    expect(await hashClaimCode("7KQM-ZC4H-W9TB", SECRET)).not.toBe(await hashClaimCode("7KQM-ZC4H-W9TB", "another-secret-0123456"));
  });

  it("hashes a loosely typed code the same as its canonical form", async () => {
    const canonical = await hashClaimCode("7KQM-ZC4H-W9TB", SECRET);
    expect(await hashClaimCode(" 7kqm zc4h w9tb ", SECRET)).toBe(canonical);
    expect(await hashClaimCode("７ＫＱＭＺＣ４ＨＷ９ＴＢ", SECRET)).toBe(canonical);
  });

  it("gives different codes different hashes", async () => {
    expect(await hashClaimCode("7KQM-ZC4H-W9TB", SECRET)).not.toBe(await hashClaimCode("7KQM-ZC4H-W9TC", SECRET));
  });

  it("refuses to hash something that is not a claim code", async () => {
    await expect(hashClaimCode("7KQM-ZC4H-W90B", SECRET)).rejects.toThrow(TypeError);
    await expect(hashClaimCode("", SECRET)).rejects.toThrow(TypeError);
  });

  it("looks a code up under its HMAC and under the bare SHA-256 codes were stored as before", async () => {
    expect(await claimCodeHashes("7kqm zc4h w9tb", SECRET)).toEqual([
      await hashClaimCode("7KQM-ZC4H-W9TB", SECRET),
      createHash("sha256").update("7KQM-ZC4H-W9TB").digest("hex"),
    ]);
  });
});
