/**
 * Configuration: one pure function from an environment record to a validated config.
 * Each runtime entry (src/node.ts, src/worker.ts) hands in its own env; nothing here reads
 * process.env or any global, so the same code validates Node's and Workers' settings.
 */

import type { UserFromGetMe } from "grammy/types";
import { z } from "zod";
import { type BackupKeep, parseBackupKeep } from "./domain/backups";
import type { Pacing } from "./services/outbox";

/** Where the database and the archive are when nothing says otherwise: the server's and the scripts' one default. */
export const DEFAULT_DATABASE_URL = "file:./data/hazardline.db";
export const DEFAULT_ARCHIVE_DIR = "./data/files";

/** Telegram's own rule for secret_token: 1-256 characters, A-Z a-z 0-9 _ - */
const secretToken = z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, "must be 1-256 characters of A-Z, a-z, 0-9, _ and -");

const botInfo = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "is not valid JSON (paste the result of getMe)" });
      return z.NEVER;
    }
  })
  .pipe(
    z.looseObject({
      id: z.number().int(),
      is_bot: z.literal(true),
      first_name: z.string(),
      username: z.string(),
    }),
  );

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "is not an IANA time zone (e.g. Asia/Shanghai)");

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());

/** A positive rate; Telegram's own limits are about 30/s in all, 1/s per chat, 20/min per group. */
const rate = (what: string, fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: `must be a number of ${what}` })
      .positive(`must be a positive number of ${what}`)
      .default(fallback),
  );

const clockTime = (fallback: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time of day as HH:MM, e.g. 08:30")
      .default(fallback),
  );
const hourMinute = (hhmm: string) => hhmm.split(":").map(Number) as [hour: number, minute: number];
const TICK_SECONDS_PROBLEM = "must be a number of seconds that divides a minute: 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60";

const EnvSchema = z.object({
  BOT_TOKEN: z.preprocess(
    emptyAsUndefined,
    z
      .string({ error: "is required: the token @BotFather gave you, e.g. 123456:ABC-DEF…" })
      .regex(/^\d+:[A-Za-z0-9_-]+$/, "does not look like a bot token (digits, a colon, then letters)"),
  ),
  WEBHOOK_SECRET: optional(secretToken),
  PUBLIC_URL: optional(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })),
  CONSOLE_URL: optional(z.url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. https://office.example.org/console" })),
  SITE_URL: optional(z.url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. https://safety.example.org" })),
  TELEGRAM_API_ROOT: optional(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^(file|libsql|https?|wss?):/, "must start with file:, libsql:, http(s): or ws(s):")
      .default(DEFAULT_DATABASE_URL),
  ),
  DATABASE_AUTH_TOKEN: optional(z.string()),
  CLAIM_SECRET: optional(z.string().min(16, "must be at least 16 characters: the key claim codes are stored under")),
  ARCHIVE_DIR: z.preprocess(emptyAsUndefined, z.string().default(DEFAULT_ARCHIVE_DIR)),
  UPSTASH_REDIS_REST_URL: optional(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })),
  UPSTASH_REDIS_REST_TOKEN: optional(z.string()),
  PORT: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: "must be a port number, 1-65535" })
      .int("must be a port number, 1-65535")
      .min(1, "must be a port number, 1-65535")
      .max(65535, "must be a port number, 1-65535")
      .default(8787),
  ),
  OFFICE_TZ: z.preprocess(emptyAsUndefined, timeZone.default("Asia/Shanghai")),
  BOT_INFO: optional(botInfo),
  SEND_RATE_GLOBAL: rate("messages a second in all", 25),
  SEND_RATE_PRIVATE: rate("messages a second to one private chat", 1),
  SEND_RATE_GROUP: rate("messages a minute to one group", 20),
  NOTICE_REMIND_HOURS: rate("working hours", 4),
  DIGEST_TIME: clockTime("08:30"),
  TICK_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: TICK_SECONDS_PROBLEM })
      .int(TICK_SECONDS_PROBLEM)
      .refine((n) => n >= 1 && n <= 60 && 60 % n === 0, TICK_SECONDS_PROBLEM)
      .default(60),
  ),
  BACKUP_DIR: optional(z.string()),
  BACKUP_TIME: clockTime("02:30"),
  BACKUP_KEEP: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default("14,12")
      .transform((raw, ctx) => {
        const keep = parseBackupKeep(raw);
        if (keep === null) {
          ctx.addIssue({ code: "custom", message: "must be DAILY,MONTHLY backups to keep, e.g. 14,12 (at least one daily)" });
          return z.NEVER;
        }
        return keep;
      }),
  ),
});

export type BotMode = { mode: "polling" } | { mode: "webhook"; publicUrl: string; secret: string; webhookUrl: string };

export interface Config {
  botToken: string;
  bot: BotMode;
  /** The secret every POST /telegram must carry; set whenever one is configured. */
  webhookSecret?: string;
  apiRoot?: string;
  /**
   * The console's public address (its page at `consoleUrl + "/"`, the desktop login at
   * `consoleUrl + "/login"`): PUBLIC_URL + "/console", else CONSOLE_URL; unset, /web says the
   * console has no address, and no Mini App button is offered (Telegram also needs https).
   */
  consoleUrl?: string;
  /**
   * The public site's base address (the web report form at `siteUrl + "/report"`, which the
   * QR posters open): PUBLIC_URL, else SITE_URL; unset, no poster can be made.
   */
  siteUrl?: string;
  /**
   * The key claim codes are stored under (an HMAC, src/domain/claim-code.ts): CLAIM_SECRET, else
   * the bot token, a secret that is never in the database either. Set CLAIM_SECRET to keep the
   * codes already given working when the token is changed.
   */
  claimSecret: string;
  database: { url: string; authToken?: string };
  /** The evidence archive's folder on Node (Workers keep it in the ARCHIVE R2 bucket instead). */
  archiveDir: string;
  redis?: { url: string; token: string };
  port: number;
  officeTz: string;
  botInfo?: UserFromGetMe;
  /** How fast the outbox writes to Telegram (its lanes per process are the outbox's own). */
  pacing: Omit<Pacing, "lanes">;
  /** Working hours after a notice before those who have not read it are reminded. */
  noticeRemindHours: number;
  /** When the leaders' digest goes out on working days, office time. */
  digestTime: [hour: number, minute: number];
  /**
   * How often the Node server runs the tick, at the same seconds of every minute in every
   * process (Workers: wrangler.toml's cron, every minute). Every job the tick runs is claimed,
   * so more ticks a minute do nothing twice; the tests tick every few seconds so as not to wait for minutes.
   */
  tickSeconds: number;
  /** The nightly backup (Node only): off unless BACKUP_DIR is set. */
  backup?: { dir: string; time: [hour: number, minute: number]; keep: BackupKeep };
}

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, "");
/** A variable as given, without its trailing slashes; unset or empty, undefined. */
const given = (value: unknown) => (typeof value === "string" && value !== "" ? withoutTrailingSlash(value) : undefined);

/**
 * Where the console is reached from outside: under PUBLIC_URL when the bot has one, else at
 * CONSOLE_URL (an office on long polling that still serves HTTP). The directory script reads
 * it too, for the staff's menu buttons it queues. Takes the raw variables; checks nothing.
 */
export function consoleUrlOf(env: { PUBLIC_URL?: unknown; CONSOLE_URL?: unknown }): string | undefined {
  const publicUrl = given(env.PUBLIC_URL);
  return publicUrl !== undefined ? `${publicUrl}/console` : given(env.CONSOLE_URL);
}

/**
 * The public site's base address, for the QR posters' links to its report form: PUBLIC_URL
 * when the bot has one (the same server), else SITE_URL. The poster script reads it too.
 * Takes the raw variables; checks nothing.
 */
export function siteUrlOf(env: { PUBLIC_URL?: unknown; SITE_URL?: unknown }): string | undefined {
  return given(env.PUBLIC_URL) ?? given(env.SITE_URL);
}

/** Validates an environment record; throws ConfigError naming each bad variable and why. */
export function createConfig(env: Record<string, unknown>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.length === 0 ? "environment" : issue.path.map(String).join(".");
        return `${name} ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];

  let bot: BotMode = { mode: "polling" };
  if (e.PUBLIC_URL !== undefined) {
    if (e.WEBHOOK_SECRET === undefined) {
      problems.push("WEBHOOK_SECRET is required when PUBLIC_URL is set (webhook mode)");
    } else {
      const publicUrl = e.PUBLIC_URL.replace(/\/+$/, "");
      bot = { mode: "webhook", publicUrl, secret: e.WEBHOOK_SECRET, webhookUrl: `${publicUrl}/telegram` };
    }
  }
  if ((e.UPSTASH_REDIS_REST_URL === undefined) !== (e.UPSTASH_REDIS_REST_TOKEN === undefined)) {
    problems.push("UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN must be set together");
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    botToken: e.BOT_TOKEN,
    bot,
    webhookSecret: e.WEBHOOK_SECRET,
    apiRoot: e.TELEGRAM_API_ROOT?.replace(/\/+$/, ""),
    consoleUrl: consoleUrlOf(e),
    siteUrl: siteUrlOf(e),
    claimSecret: e.CLAIM_SECRET ?? e.BOT_TOKEN,
    database: { url: e.DATABASE_URL, authToken: e.DATABASE_AUTH_TOKEN },
    archiveDir: e.ARCHIVE_DIR,
    redis:
      e.UPSTASH_REDIS_REST_URL !== undefined && e.UPSTASH_REDIS_REST_TOKEN !== undefined
        ? { url: e.UPSTASH_REDIS_REST_URL, token: e.UPSTASH_REDIS_REST_TOKEN }
        : undefined,
    port: e.PORT,
    officeTz: e.OFFICE_TZ,
    botInfo: e.BOT_INFO as UserFromGetMe | undefined,
    pacing: {
      globalPerSecond: e.SEND_RATE_GLOBAL,
      privateGapMs: Math.round(1000 / e.SEND_RATE_PRIVATE),
      groupGapMs: Math.round(60_000 / e.SEND_RATE_GROUP),
    },
    noticeRemindHours: e.NOTICE_REMIND_HOURS,
    digestTime: hourMinute(e.DIGEST_TIME),
    tickSeconds: e.TICK_SECONDS,
    backup: e.BACKUP_DIR === undefined ? undefined : { dir: e.BACKUP_DIR, time: hourMinute(e.BACKUP_TIME), keep: e.BACKUP_KEEP },
  };
}
