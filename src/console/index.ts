/**
 * The office's console, mounted at /console by the app: its JSON API under /console/api
 * (credentials checked before routing) and, later, its page. Runs on both runtimes.
 */
import { Hono } from "hono";
import { localName } from "../domain/locale";
import type { Services } from "../services";
import { type ConsoleEnv, consoleAuth } from "./auth";
import type { MeResponse } from "./contract";
import { consolePage, type PageReader } from "./serve-page";

export interface ConsoleDeps {
  services: Services;
  botToken: string;
  /** The page's files (src/console/page), as the entry reads them; without it only the API is served. */
  page?: PageReader;
}

function consoleApi(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const api = new Hono<ConsoleEnv>();
  api.get("/me", async (c) => {
    const viewer = c.get("viewer");
    const units = (await deps.services.caseActions.units()).filter((u) => viewer.unitIds.includes(u.id));
    const body: MeResponse = {
      name: viewer.name,
      locale: viewer.locale,
      roles: viewer.roles,
      units: units.map((u) => ({ id: u.id, name: localName(viewer.locale, u) })),
    };
    return c.json(body);
  });
  api.notFound((c) => c.json({ ok: false, error: "not found" }, 404));
  return api;
}

export function createConsole(deps: ConsoleDeps): Hono {
  const app = new Hono();
  app.use("/api/*", consoleAuth(deps));
  app.route("/api", consoleApi(deps));
  if (deps.page !== undefined) app.route("/", consolePage(deps.page));
  return app;
}
