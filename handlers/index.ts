/** Every feature, registered in one place and in order; the unhandled feature stays last. */
import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context";
import { helpFeature } from "./citizen/help";
import { languageFeature } from "./citizen/language";
import { materialFeature } from "./citizen/material";
import { ratingFeature } from "./citizen/rating";
import { reportFeature } from "./citizen/report";
import { startFeature } from "./citizen/start";
import { statusFeature } from "./citizen/status";
import { commandGate } from "./commands";
import { conversationFeature } from "./conversation";
import { staffCasesFeature } from "./staff/cases";
import { consoleFeature } from "./staff/console";
import { exportFeature } from "./staff/export";
import { intakeFeature } from "./staff/intake";
import { joinFeature } from "./staff/join";
import { noticesFeature } from "./staff/notices";
import { posterFeature } from "./staff/poster";
import { publishFeature } from "./staff/publish";
import { staffReportsFeature } from "./staff/reports";
import { scheduleFeature } from "./staff/schedule";
import { unhandledFeature } from "./unhandled";

export function features(): Composer<BotContext> {
  return new Composer<BotContext>(
    commandGate, // a command in the wrong kind of chat is answered here, before any feature
    conversationFeature, // what a person types goes to the flow they have open; /cancel ends it
    joinFeature, // before /start: an invite link is a /start with a payload
    scheduleFeature, // group commands of the office, before any citizen feature
    startFeature,
    languageFeature,
    helpFeature,
    noticesFeature,
    publishFeature,
    staffCasesFeature,
    intakeFeature,
    consoleFeature,
    staffReportsFeature,
    exportFeature,
    posterFeature,
    statusFeature,
    materialFeature,
    reportFeature,
    ratingFeature,
    unhandledFeature,
  );
}
