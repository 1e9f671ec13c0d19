/** The services handlers and entry points call, built once from explicit dependencies. */
import type { Db } from "../../db/client";
import type { Logger } from "../log";
import type { Clock } from "./clock";
import { healthService } from "./health";
import type { HotState } from "./hot-state";
import { createTick } from "./tick";
import { userService } from "./users";

export interface ServiceDeps {
  db: Db;
  kv: HotState;
  clock: Clock;
  log: Logger;
}

export function createServices(deps: ServiceDeps) {
  return {
    kv: deps.kv,
    log: deps.log,
    clock: deps.clock,
    users: userService(deps.db, deps.clock),
    health: healthService(deps.db, deps.kv),
    tick: createTick(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
