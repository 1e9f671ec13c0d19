import { describe, expect, it } from "vitest";
import { isLocale, negotiateLocale } from "../../src/domain/locale";

describe("negotiateLocale", () => {
  it.each([
    ["zh-hans", "zh-CN"],
    ["zh", "zh-CN"],
    ["zh-TW", "zh-CN"],
    ["en", "en"],
    ["en-US", "en"],
    ["EN_gb", "en"],
    ["ru", "zh-CN"],
    ["", "zh-CN"],
    [undefined, "zh-CN"],
  ])("maps Telegram's language_code %j to %s", (code, locale) => {
    expect(negotiateLocale(code)).toBe(locale);
  });

  it("knows which strings are locales", () => {
    expect(isLocale("zh-CN")).toBe(true);
    expect(isLocale("en")).toBe(true);
    expect(isLocale("fr")).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });
});
