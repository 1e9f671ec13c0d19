/**
 * Local mode: Hazardline with no Telegram account. One HTTP app serves the Bot API stand-in
 * (which grammY is pointed at instead of Telegram), the bot's own app (its webhook and
 * /healthz) and the playground page with its API. Everything a person does on the page
 * becomes an update posted to the real webhook; nothing here decides anything a case
 * depends on. Web-standard only: src/node.ts opens the files and the port.
 */
import type { Client } from "@libsql/client";
import { Hono } from "hono";
import { z } from "zod";
import { listRegions } from "../../db/queries/directory";
import { addDays, addWorkingTime, isWorkday, officeDate, officeDayMs } from "../domain/calendar";
import { parseRegionArea } from "../domain/geo";
import { LOCALES, type Locale } from "../domain/locale";
import { zonedTime } from "../domain/office-time";
import type { Hazardline } from "../hazardline";
import { messageIds, translator } from "../i18n";
import type { Clock } from "../services/clock";
import { SITE_HEADERS } from "../web";
import { refuseCrossSite, securityHeaders } from "../web/security";
import { botIdentity, LocalBotApi } from "./bot-api";
import { type Cast, emptyDatabase, loadCounty } from "./cast";
import { Playground, PlaygroundError } from "./playground";
import { runScenario, ScenarioError } from "./scenario";

/** The token local mode's bot uses: it never leaves the process. */
export const LOCAL_TOKEN = "1000000001:local-mode-playground";

export const LOCAL_BOT_INFO = botIdentity(1000000001, "hazardline_local_bot");

/** The office clock of local mode: the real one, moved forward by the page's clock control. */
export class MovableClock implements Clock {
  private offsetMs = 0;
  now = () => Date.now() + this.offsetMs;
  sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
  moveTo(atMs: number): void {
    this.offsetMs += Math.max(0, atMs - this.now());
  }
  reset(): void {
    this.offsetMs = 0;
  }
}

/** The page: its HTML, script and style, as src/node.ts read them from src/local/page. */
export interface PageAssets {
  html: string;
  script: string;
  style: string;
}

export interface LocalModeDeps {
  hazardline: Hazardline;
  botApi: LocalBotApi;
  client: Client;
  clock: MovableClock;
  cast: Cast;
  page: PageAssets;
  webhookSecret: string;
  officeTz: string;
  /** The office time of the daily digest, where "tomorrow morning" moves the clock. */
  digestTime: [hour: number, minute: number];
}

export function createBotApi(): LocalBotApi {
  return new LocalBotApi({ token: LOCAL_TOKEN, botInfo: LOCAL_BOT_INFO, keepCalls: false });
}

const ClockMove = z.discriminatedUnion("to", [
  z.object({ to: z.literal("morning") }),
  z.object({ to: z.literal("workday") }),
  z.object({
    to: z.literal("hours"),
    hours: z
      .number()
      .positive()
      .max(24 * 60),
  }),
]);
const Speaker = { as: z.number().int(), chat: z.number().int() };
const SendText = z.object({ ...Speaker, text: z.string().max(10_000) });
const Press = z.object({ ...Speaker, message: z.number().int(), data: z.string().max(64) });
const Pin = z.object({ ...Speaker, lat: z.number(), lng: z.number() });
const Contact = z.object(Speaker);

/** Telegram takes files up to 50 MB from a person; the bot can download 20 MB of them. */
const MAX_UPLOAD = 50 * 1024 * 1024;

export function createLocalMode(deps: LocalModeDeps) {
  const { hazardline, botApi, clock, cast } = deps;
  const postUpdate = async (update: unknown) => {
    const response = await hazardline.app.fetch(
      new Request("http://local/telegram", {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": deps.webhookSecret },
        body: JSON.stringify(update),
      }),
    );
    await response.arrayBuffer();
    return response.status;
  };
  const playground = new Playground({ botApi, people: cast.people, groups: cast.groups, postUpdate, now: clock.now });

  /**
   * The tick, as the minute's cron runs it, on the moved clock. The tick drains the outbox for a
   * bounded time; what is left goes now, not at the next minute, since a visitor is watching.
   */
  const tick = async () => {
    const result = await hazardline.tick(clock.now());
    await hazardline.services.outbox.drainSoon();
    return result;
  };

  const load = () => loadCounty(hazardline.db, cast, { timeZone: deps.officeTz, now: clock.now() });

  async function moveClock(move: z.infer<typeof ClockMove>): Promise<number> {
    const now = clock.now();
    const calendar = await hazardline.services.calendar();
    if (move.to === "hours") clock.moveTo(now + move.hours * 3_600_000);
    else if (move.to === "workday") clock.moveTo(addWorkingTime(calendar, now, officeDayMs(calendar)));
    else {
      // The next working day's digest time: what a visitor wants to see is the morning's digest.
      let date = addDays(officeDate(calendar, now), 1);
      while (!isWorkday(calendar, date)) date = addDays(date, 1);
      const [y, m, d] = date.split("-").map(Number) as [number, number, number];
      clock.moveTo(zonedTime(y, m, d, deps.digestTime[0], deps.digestTime[1], deps.officeTz));
    }
    playground.clockMoved();
    await tick();
    return clock.now();
  }

  const app = new Hono();
  // The same headers as the bot's own app (nosniff everywhere), and no other site's page may drive the playground.
  app.use("*", securityHeaders());
  app.use("/play/api/*", refuseCrossSite());

  // The Bot API stand-in, where grammY's apiRoot points.
  app.use("*", async (c, next) => {
    const path = c.req.path;
    if (path.startsWith("/bot") || path.startsWith("/file/bot")) return botApi.fetch(c.req.raw);
    await next();
  });

  // The playground page loads only its own files (and the console's map script), as the site's pages do.
  app.get("/", (c) => c.html(deps.page.html, 200, SITE_HEADERS));
  app.get("/favicon.ico", (c) => c.body(null, 204));
  app.get("/play/play.js", (c) => c.body(deps.page.script, 200, { "content-type": "text/javascript; charset=utf-8" }));
  app.get("/play/play.css", (c) => c.body(deps.page.style, 200, { "content-type": "text/css; charset=utf-8" }));

  app.get("/play/api/state", (c) => c.json(playground.state()));
  app.get("/play/api/events", async (c) => {
    const after = Number(c.req.query("after") ?? 0);
    const wait = Math.min(Number(c.req.query("wait") ?? 25), 25) * 1000;
    const events = await playground.eventsAfter(Number.isFinite(after) ? after : 0, Number.isFinite(wait) ? wait : 0, c.req.raw.signal);
    return events === null ? c.json({ reload: true }) : c.json({ events });
  });
  app.get("/play/api/strings", (c) => {
    const wanted = c.req.query("lang");
    const locale: Locale = LOCALES.includes(wanted as Locale) ? (wanted as Locale) : "zh-CN";
    const t = translator(locale);
    return c.json(
      Object.fromEntries(
        messageIds(locale)
          .filter((id) => id.startsWith("play-"))
          .map((id) => [id, t(id)]),
      ),
    );
  });
  app.get("/play/api/map", async (c) => {
    const rows = await listRegions(hazardline.db);
    return c.json(
      rows.flatMap((r) => {
        const area = parseRegionArea(r.area);
        return area ? [{ id: r.id, parentId: r.parentId, level: r.level, nameZh: r.nameZh, nameEn: r.nameEn, area }] : [];
      }),
    );
  });
  app.get("/play/files/:key", (c) => {
    const file = playground.file(c.req.param("key"));
    if (file === undefined) return c.json({ error: "no such file" }, 404);
    const disposition = c.req.query("download") !== undefined ? `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}` : "inline";
    return c.body(file.bytes.slice().buffer, 200, { "content-type": file.type, "content-disposition": disposition });
  });

  const body = async <T>(c: { req: { json(): Promise<unknown> } }, schema: z.ZodType<T>): Promise<T> => {
    const parsed = schema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) throw new PlaygroundError(400, parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
    return parsed.data;
  };

  app.post("/play/api/send", async (c) => {
    const { as, chat, text } = await body(c, SendText);
    return c.json(await playground.sendText(as, chat, text));
  });
  app.post("/play/api/press", async (c) => {
    const { as, chat, message, data } = await body(c, Press);
    await playground.press(as, chat, message, data);
    return c.json({ ok: true });
  });
  app.post("/play/api/location", async (c) => {
    const { as, chat, lat, lng } = await body(c, Pin);
    return c.json(await playground.sendLocation(as, chat, lat, lng));
  });
  app.post("/play/api/contact", async (c) => {
    const { as, chat } = await body(c, Contact);
    return c.json(await playground.shareContact(as, chat));
  });
  app.post("/play/api/upload", async (c) => {
    const length = Number(c.req.header("content-length") ?? 0);
    if (length > MAX_UPLOAD + 64 * 1024) throw new PlaygroundError(400, "a file may be at most 50 MB");
    const form = await c.req.formData().catch(() => undefined);
    const file = form?.get("file");
    const as = Number(form?.get("as"));
    const chat = Number(form?.get("chat"));
    if (!(file instanceof File) || !Number.isInteger(as) || !Number.isInteger(chat)) {
      throw new PlaygroundError(400, "send multipart form data with as, chat and file");
    }
    if (file.size > MAX_UPLOAD) throw new PlaygroundError(400, "a file may be at most 50 MB");
    const caption = form?.get("caption");
    const bytes = new Uint8Array(await file.arrayBuffer());
    return c.json(
      await playground.sendFile(as, chat, { bytes, name: file.name || "file", type: file.type }, typeof caption === "string" ? caption : undefined),
    );
  });
  app.post("/play/api/clock", async (c) => {
    const move = await body(c, ClockMove);
    return c.json({ now: await moveClock(move) });
  });
  app.post("/play/api/tick", async (c) => c.json(await tick()));
  app.post("/play/api/reset", async (c) => {
    await emptyDatabase(deps.client);
    clock.reset();
    await load();
    playground.reset();
    return c.json({ ok: true });
  });
  app.post("/play/api/scenario", async (c) => {
    const number = await runScenario({ playground, cast, tick });
    return c.json({ ok: true, number });
  });

  // The bot's own app: the webhook the playground posts to, and /healthz.
  app.all("*", (c) => hazardline.app.fetch(c.req.raw));

  app.onError((err, c) => {
    if (err instanceof PlaygroundError) return c.json({ error: err.message }, err.status);
    if (err instanceof ScenarioError) return c.json({ error: err.message }, 409);
    throw err;
  });

  return { app, playground, load, tick, moveClock };
}

export type LocalMode = ReturnType<typeof createLocalMode>;
