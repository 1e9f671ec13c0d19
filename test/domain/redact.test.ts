/** What the office publishes never carries a phone or ID number a citizen wrote in. */
import { describe, expect, it } from "vitest";
import { maskPersonalData } from "../../src/domain/redact";

describe("maskPersonalData", () => {
  it("masks a mobile number, keeping its first three and last four digits", () => {
    expect(maskPersonalData("有事打我电话13812345678，谢谢")).toBe("有事打我电话138****5678，谢谢");
  });

  it("masks an ID card number, and a landline after its area code", () => {
    expect(maskPersonalData("身份证110105199001011234，座机 010-62345678")).toBe("身份证110105********1234，座机 010-********");
    expect(maskPersonalData("身份证11010519900101123X")).toBe("身份证110105********123X");
  });

  it("leaves other numbers alone: counts, dates, case numbers, longer digit runs", () => {
    const text = "3 台塔吊、2026-11-25、YH-20261125-0042、编号 123456789012345678901";
    expect(maskPersonalData(text)).toBe(text);
  });
});
