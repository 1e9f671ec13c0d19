/**
 * The office's console, mounted at /console by the app: its JSON API under /console/api
 * (credentials checked before routing; the routes in api.ts) and, later, its page. Runs on
 * both runtimes.
 */
import { Hono } from "hono";
import type { Services } from "../services";
import { consoleApi } from "./api";
import { consoleAuth } from "./auth";
import { consoleLogin } from "./login";

export interface ConsoleDeps {
  services: Services;
  botToken: string;
}

export function createConsole(deps: ConsoleDeps): Hono {
  const app = new Hono();
  app.use("/api/*", consoleAuth(deps));
  app.route("/", consoleLogin(deps)); // GET /login (a desktop's one-time link), POST /api/logout
  app.route("/api", consoleApi(deps));
  return app;
}
