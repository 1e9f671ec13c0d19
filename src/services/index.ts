/** The services handlers and entry points call, built once from explicit dependencies. */
import type { Db } from "../../db/client";
import type { Logger } from "../log";
import type { Clock } from "./clock";
import { healthService } from "./health";
import type { HotState } from "./hot-state";
import { citizenCaseService } from "./citizen-cases";
import { directoryService } from "./directory";
import { draftService } from "./drafts";
import { reportService } from "./reports";
import { createTick } from "./tick";
import { userService } from "./users";

export interface ServiceDeps {
  db: Db;
  kv: HotState;
  clock: Clock;
  log: Logger;
  /** The office's IANA time zone: tracking numbers follow its calendar day. */
  officeTz: string;
}

export function createServices(deps: ServiceDeps) {
  return {
    kv: deps.kv,
    officeTz: deps.officeTz,
    log: deps.log,
    clock: deps.clock,
    users: userService(deps.db, deps.clock),
    health: healthService(deps.db, deps.kv),
    tick: createTick(deps),
    directory: directoryService(deps.db),
    drafts: draftService(deps.kv),
    reports: reportService(deps),
    citizenCases: citizenCaseService(deps.db),
  };
}

export type Services = ReturnType<typeof createServices>;
