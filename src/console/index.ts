/**
 * The office's console, mounted at /console by the app: its JSON API under /console/api
 * (credentials checked before routing; the routes in api.ts) and its page
 * (serve-page.ts). Runs on both runtimes.
 */
import { Hono } from "hono";
import { afterUpdate } from "../app";
import type { Services } from "../services";
import { refuseCrossSite } from "../web/security";
import { consoleApi } from "./api";
import { consoleAuth } from "./auth";
import { consoleLogin } from "./login";
import { consolePage, type PageReader } from "./serve-page";

export interface ConsoleDeps {
  services: Services;
  botToken: string;
  /** OFFICE_TZ: the page shows times in it. */
  officeTz: string;
  /** The page's files (src/console/page), as the entry reads them; without it only the API is served. */
  page?: PageReader;
  /** Work to start once an action is answered (the outbox drain, the archive), as after a Telegram update. */
  afterWrite?: () => Promise<unknown>;
}

export function createConsole(deps: ConsoleDeps): Hono {
  const app = new Hono();
  // A write another site's page started is refused before its credentials are even read.
  app.use("/api/*", refuseCrossSite());
  app.use("/api/*", consoleAuth(deps));
  // The cards and messages an action wrote go out right after the answer, not at the next tick.
  app.post("/api/*", afterUpdate(deps.afterWrite));
  app.route("/", consoleLogin(deps)); // GET /login (a desktop's one-time link), POST /api/logout
  app.route("/api", consoleApi(deps));
  if (deps.page !== undefined) app.route("/", consolePage(deps.page));
  return app;
}
