import { describe, expect, it } from "vitest";
import { ConfigError, createConfig } from "../src/config";

const TOKEN = "123456:ABC-def_ghi";
const problemsOf = (env: Record<string, unknown>): string[] => {
  try {
    createConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe("createConfig", () => {
  it("needs only BOT_TOKEN and defaults to long polling on the embedded database", () => {
    const config = createConfig({ BOT_TOKEN: TOKEN });
    expect(config).toMatchObject({
      botToken: TOKEN,
      bot: { mode: "polling" },
      database: { url: "file:./data/hazardline.db" },
      port: 8787,
      officeTz: "Asia/Shanghai",
    });
    expect(config.redis).toBeUndefined();
    expect(config.webhookSecret).toBeUndefined();
  });

  it("treats empty variables as unset, as shells and .env files produce them", () => {
    expect(createConfig({ BOT_TOKEN: TOKEN, PUBLIC_URL: "", PORT: "", DATABASE_URL: "" }).bot.mode).toBe("polling");
  });

  it("says what BOT_TOKEN is when it is missing or malformed", () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^BOT_TOKEN is required/)]);
    expect(problemsOf({ BOT_TOKEN: "not-a-token" })).toEqual([expect.stringMatching(/^BOT_TOKEN does not look like a bot token/)]);
  });

  it("switches to webhook mode with PUBLIC_URL, and then requires a valid WEBHOOK_SECRET", () => {
    expect(problemsOf({ BOT_TOKEN: TOKEN, PUBLIC_URL: "https://bot.example.org" })).toEqual([
      "WEBHOOK_SECRET is required when PUBLIC_URL is set (webhook mode)",
    ]);
    expect(problemsOf({ BOT_TOKEN: TOKEN, PUBLIC_URL: "https://bot.example.org", WEBHOOK_SECRET: "has spaces" })).toEqual([
      expect.stringMatching(/^WEBHOOK_SECRET must be 1-256 characters/),
    ]);
    const config = createConfig({ BOT_TOKEN: TOKEN, PUBLIC_URL: "https://bot.example.org/base/", WEBHOOK_SECRET: "abc_DEF-1" });
    expect(config.bot).toEqual({
      mode: "webhook",
      publicUrl: "https://bot.example.org/base",
      secret: "abc_DEF-1",
      webhookUrl: "https://bot.example.org/base/telegram",
    });
  });

  it("names every bad variable at once, with why", () => {
    const problems = problemsOf({
      BOT_TOKEN: TOKEN,
      PUBLIC_URL: "ftp://x",
      PORT: "99999",
      OFFICE_TZ: "China/Beijing",
      DATABASE_URL: "postgres://x",
      TELEGRAM_API_ROOT: "nope",
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        "PUBLIC_URL must be an http(s) URL",
        "PORT must be a port number, 1-65535",
        expect.stringMatching(/^OFFICE_TZ is not an IANA time zone/),
        expect.stringMatching(/^DATABASE_URL must start with file:, libsql:/),
        "TELEGRAM_API_ROOT must be an http(s) URL",
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it("requires the two Upstash variables together", () => {
    expect(problemsOf({ BOT_TOKEN: TOKEN, UPSTASH_REDIS_REST_URL: "https://r.example.org" })).toEqual([
      "UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN must be set together",
    ]);
    expect(createConfig({ BOT_TOKEN: TOKEN, UPSTASH_REDIS_REST_URL: "https://r.example.org", UPSTASH_REDIS_REST_TOKEN: "t" }).redis).toEqual({
      url: "https://r.example.org",
      token: "t",
    });
  });

  it("reads BOT_INFO as getMe's JSON and explains a bad one", () => {
    const info = { id: 1, is_bot: true, first_name: "H", username: "h_bot", can_join_groups: true };
    expect(createConfig({ BOT_TOKEN: TOKEN, BOT_INFO: JSON.stringify(info) }).botInfo).toEqual(info);
    expect(problemsOf({ BOT_TOKEN: TOKEN, BOT_INFO: "{oops" })).toEqual(["BOT_INFO is not valid JSON (paste the result of getMe)"]);
    expect(problemsOf({ BOT_TOKEN: TOKEN, BOT_INFO: '{"id":1,"is_bot":true,"first_name":"H"}' })).toEqual([
      expect.stringMatching(/^BOT_INFO\.username /),
    ]);
  });

  it("puts the console under PUBLIC_URL, else at CONSOLE_URL, else nowhere", () => {
    const webhook = { BOT_TOKEN: TOKEN, WEBHOOK_SECRET: "s", PUBLIC_URL: "https://bot.example.org/" };
    expect(createConfig(webhook).consoleUrl).toBe("https://bot.example.org/console");
    expect(createConfig({ ...webhook, CONSOLE_URL: "https://elsewhere.example.org/console" }).consoleUrl).toBe("https://bot.example.org/console");
    expect(createConfig({ BOT_TOKEN: TOKEN, CONSOLE_URL: "http://10.0.0.5:8787/console/" }).consoleUrl).toBe("http://10.0.0.5:8787/console");
    expect(createConfig({ BOT_TOKEN: TOKEN, CONSOLE_URL: "" }).consoleUrl).toBeUndefined();
    expect(problemsOf({ BOT_TOKEN: TOKEN, CONSOLE_URL: "ftp://x" })).toEqual([expect.stringMatching(/^CONSOLE_URL must be an http\(s\) URL/)]);
  });

  it("puts the public site at PUBLIC_URL, else at SITE_URL, else nowhere", () => {
    const webhook = { BOT_TOKEN: TOKEN, WEBHOOK_SECRET: "s", PUBLIC_URL: "https://bot.example.org/" };
    expect(createConfig(webhook).siteUrl).toBe("https://bot.example.org");
    expect(createConfig({ ...webhook, SITE_URL: "https://elsewhere.example.org" }).siteUrl).toBe("https://bot.example.org");
    expect(createConfig({ BOT_TOKEN: TOKEN, SITE_URL: "http://10.0.0.5:8787//" }).siteUrl).toBe("http://10.0.0.5:8787");
    expect(createConfig({ BOT_TOKEN: TOKEN, SITE_URL: "" }).siteUrl).toBeUndefined();
    expect(problemsOf({ BOT_TOKEN: TOKEN, SITE_URL: "ftp://x" })).toEqual([expect.stringMatching(/^SITE_URL must be an http\(s\) URL/)]);
  });

  it("accepts any IANA zone and trims a trailing slash from the API root", () => {
    const config = createConfig({ BOT_TOKEN: TOKEN, OFFICE_TZ: "Asia/Urumqi", TELEGRAM_API_ROOT: "http://127.0.0.1:8081/" });
    expect(config.officeTz).toBe("Asia/Urumqi");
    expect(config.apiRoot).toBe("http://127.0.0.1:8081");
  });

  it("takes no nightly backup unless BACKUP_DIR is set; then at 02:30, keeping 14 daily and 12 monthly", () => {
    expect(createConfig({ BOT_TOKEN: TOKEN }).backup).toBeUndefined();
    expect(createConfig({ BOT_TOKEN: TOKEN, BACKUP_DIR: "", BACKUP_TIME: "03:00" }).backup).toBeUndefined();
    expect(createConfig({ BOT_TOKEN: TOKEN, BACKUP_DIR: "/backups" }).backup).toEqual({
      dir: "/backups",
      time: [2, 30],
      keep: { daily: 14, monthly: 12 },
    });
    expect(createConfig({ BOT_TOKEN: TOKEN, BACKUP_DIR: "/backups", BACKUP_TIME: "23:05", BACKUP_KEEP: "7,24" }).backup).toEqual({
      dir: "/backups",
      time: [23, 5],
      keep: { daily: 7, monthly: 24 },
    });
  });

  it("says what is wrong with BACKUP_TIME and BACKUP_KEEP", () => {
    expect(problemsOf({ BOT_TOKEN: TOKEN, BACKUP_DIR: "/b", BACKUP_TIME: "2:30", BACKUP_KEEP: "14 daily" })).toEqual([
      expect.stringMatching(/^BACKUP_TIME must be a time of day as HH:MM/),
      expect.stringMatching(/^BACKUP_KEEP must be DAILY,MONTHLY backups to keep, e\.g\. 14,12/),
    ]);
  });

  it("ticks every minute unless TICK_SECONDS gives a number of seconds that divides one", () => {
    expect(createConfig({ BOT_TOKEN: TOKEN }).tickSeconds).toBe(60);
    expect(createConfig({ BOT_TOKEN: TOKEN, TICK_SECONDS: "5" }).tickSeconds).toBe(5);
    for (const bad of ["7", "0", "90", "2.5", "soon"]) {
      expect(problemsOf({ BOT_TOKEN: TOKEN, TICK_SECONDS: bad })).toEqual([
        expect.stringMatching(/^TICK_SECONDS must be a number of seconds that divides a minute/),
      ]);
    }
  });
});
