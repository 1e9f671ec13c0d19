import { describe, expect, it } from "vitest";
import { normalizeText, textSimilarity } from "../../src/domain/similarity";

describe("normalizeText", () => {
  it("makes a report with a space and an exclamation mark equal to the bare one", () => {
    expect(normalizeText("有人在仓库里 违规存放烟花爆竹！")).toBe(normalizeText("有人在仓库里违规存放烟花爆竹"));
    expect(normalizeText("有人在仓库里违规存放烟花爆竹")).toBe("有人在仓库里违规存放烟花爆竹");
  });

  it("strips CJK punctuation", () => {
    expect(normalizeText("“消防通道”被堵，（三楼）【紧急】《通知》：快！来？；、…—‘’。")).toBe("消防通道被堵三楼紧急通知快来");
  });

  it("strips ASCII punctuation and symbols", () => {
    expect(normalizeText(`a!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~b`)).toBe("ab");
  });

  it("strips every kind of whitespace, including full-width and non-breaking spaces and newlines", () => {
    expect(normalizeText(" 仓库\u3000起火\u00a0了\n\t快 ")).toBe("仓库起火了快");
  });

  it("folds full-width letters and digits to lower-case ASCII", () => {
    expect(normalizeText("ＡＢＣ仓库１２３号")).toBe("abc仓库123号");
  });

  it("lower-cases Latin text", () => {
    expect(normalizeText("Warehouse FIRE")).toBe("warehousefire");
  });

  it("drops emoji and invisible characters", () => {
    expect(normalizeText("着火了🔥\u200b")).toBe("着火了");
  });

  it("leaves nothing of punctuation-only text", () => {
    expect(normalizeText("！？。…  ")).toBe("");
  });
});

describe("textSimilarity", () => {
  it("identical texts score 1", () => {
    expect(textSimilarity("仓库违规存放烟花爆竹", "仓库违规存放烟花爆竹")).toBe(1);
  });

  it("texts that differ only in spacing and punctuation score 1", () => {
    expect(textSimilarity("有人在仓库里 违规存放烟花爆竹！", "有人在仓库里违规存放烟花爆竹")).toBe(1);
  });

  it("an empty text scores 0 against anything, even another empty text", () => {
    expect(textSimilarity("", "仓库起火")).toBe(0);
    expect(textSimilarity("仓库起火", "")).toBe(0);
    expect(textSimilarity("", "")).toBe(0);
    expect(textSimilarity("！！", "。。")).toBe(0);
  });

  it("texts with nothing in common score 0", () => {
    expect(textSimilarity("仓库起火", "道路塌陷")).toBe(0);
  });

  it("is symmetric", () => {
    const a = "村东头的仓库里堆放了大量烟花爆竹";
    const b = "仓库里存放烟花爆竹，很危险";
    expect(textSimilarity(a, b)).toBe(textSimilarity(b, a));
  });

  it("stays within [0, 1]", () => {
    for (const [a, b] of [
      ["哈哈哈哈", "哈哈"],
      ["ab", "abab"],
      ["仓库", "仓库仓库仓库"],
    ] as const) {
      const s = textSimilarity(a, b);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
  });

  it("computes the Dice coefficient over character bigrams", () => {
    // 仓库起火: 仓库 库起 起火; 仓库失火: 仓库 库失 失火 → 2·1 / (3 + 3)
    expect(textSimilarity("仓库起火", "仓库失火")).toBeCloseTo(1 / 3, 10);
    // night/nacht: ni ig gh ht / na ac ch ht → 2·1 / 8
    expect(textSimilarity("night", "nacht")).toBeCloseTo(0.25, 10);
  });

  it("counts repeated bigrams as a multiset, not a set", () => {
    // 哈哈哈哈 has 哈哈 ×3, 哈哈 has it ×1 → 2·1 / (3 + 1)
    expect(textSimilarity("哈哈哈哈", "哈哈")).toBeCloseTo(0.5, 10);
  });

  it("two reports of the same fireworks in different words score at least 0.6", () => {
    expect(textSimilarity("仓库里违规存放烟花爆竹", "有人在仓库里违规存放烟花爆竹！")).toBeGreaterThanOrEqual(0.6);
    expect(textSimilarity("村口加油站旁边有人私自卖散装汽油", "加油站旁边有人私自卖散装汽油")).toBeGreaterThanOrEqual(0.6);
  });

  it("different hazards at similar places score below 0.6", () => {
    expect(textSimilarity("仓库里违规存放烟花爆竹", "仓库的消防通道被货物堵死了")).toBeLessThan(0.6);
    expect(textSimilarity("工地塔吊作业人员没有持证上岗", "饭店后厨液化气罐没有安全阀")).toBeLessThan(0.6);
  });

  it("a one-character text is compared character by character", () => {
    expect(textSimilarity("火", "火")).toBe(1);
    // 火 vs 火灾 by unigrams: 2·1 / (1 + 2)
    expect(textSimilarity("火", "火灾")).toBeCloseTo(2 / 3, 10);
    expect(textSimilarity("火灾", "火")).toBeCloseTo(2 / 3, 10);
    expect(textSimilarity("火", "水")).toBe(0);
  });

  it("a one-character text after normalising is compared character by character", () => {
    expect(textSimilarity("火！", "火灾")).toBeCloseTo(2 / 3, 10);
  });

  it("keeps characters outside the Basic Multilingual Plane whole", () => {
    // 𠀀 is one code point but two UTF-16 units; alone it is a one-character text.
    expect(textSimilarity("𠀀", "𠀀库")).toBeCloseTo(2 / 3, 10);
  });

  it("full-width and half-width forms of the same text score 1", () => {
    expect(textSimilarity("３号仓库ＡＢ区", "3号仓库ab区")).toBe(1);
  });
});
