/** Keeps the two locales complete, parseable and in step with the code that uses them. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LOCALES } from "../src/domain/locale";
import { EVENT_TYPES, REFUSAL_FIELDS } from "../src/domain/workflow";
import { messageIds, parseLocale, translator } from "../src/i18n";

const root = fileURLToPath(new URL("..", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "locales" ? [] : sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

describe("locales", () => {
  it.each(LOCALES)("%s parses without a Fluent error", (locale) => {
    expect(parseLocale(locale).errors).toEqual([]);
  });

  it("have the same keys", () => {
    expect(messageIds("en").sort()).toEqual(messageIds("zh-CN").sort());
  });

  it("define every key the code asks for", () => {
    const used = new Set<string>();
    for (const file of [...sourceFiles(join(root, "src")), ...sourceFiles(join(root, "handlers"))]) {
      for (const m of readFileSync(file, "utf8").matchAll(/\bt\("([a-z0-9-]+)"/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(5);
    const known = new Set(messageIds("zh-CN"));
    expect([...used].filter((key) => !known.has(key))).toEqual([]);
  });

  it("name every event type and every field a refusal can name (keys the code builds, so the scan above cannot see them)", () => {
    const known = new Set(messageIds("zh-CN"));
    const built = [...EVENT_TYPES.map((type) => `event-${type}`), ...REFUSAL_FIELDS.map((field) => `field-${field}`)];
    expect(built.filter((key) => !known.has(key))).toEqual([]);
  });

  it("fill in arguments without isolation marks, which Telegram would show", () => {
    const text = translator("zh-CN")("welcome", { name: "李雷" });
    expect(text).toContain("您好，李雷！");
    expect(text).not.toMatch(/[\u2068\u2069]/);
  });

  it("render an unknown key as the key, never throw", () => {
    expect(translator("en")("no-such-key")).toBe("no-such-key");
  });

  it("keep command descriptions within Telegram's 3-256 characters", () => {
    for (const locale of LOCALES) {
      for (const id of messageIds(locale).filter((k) => k.startsWith("command-"))) {
        const text = translator(locale)(id);
        expect(text.length, `${locale} ${id}`).toBeGreaterThanOrEqual(3);
        expect(text.length).toBeLessThanOrEqual(256);
      }
    }
  });
});
