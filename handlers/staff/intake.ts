/**
 * /new: a dispatcher or admin records a case that reached the office another way (a phone
 * call, a letter, a visit, a 12345 work order, an assignment from above). It is the report
 * flow's intake draft (src/domain/report-draft.ts), asked step by step in handlers/citizen/report.ts,
 * which reads the sender's roles again at every step and submits through the same intake
 * service as every other door.
 */
import { Composer } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { startFlow } from "../citizen/report";
import { asStaff } from "../commands";

export const intakeFeature = new Composer<BotContext>();

intakeFeature.chatType("private").command(
  "new",
  asStaff("new", (ctx) => startFlow(ctx, "intake")),
);
