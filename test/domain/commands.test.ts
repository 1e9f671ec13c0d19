/** The command catalog's table, written out: a change of who may do what is a change here too. */
import { describe, expect, it } from "vitest";
import { CITIZEN_COMMANDS, COMMAND_NAMES, commandsFor, isCommandName, rolesFor, usableIn } from "../../src/domain/commands";
import { LOCALES } from "../../src/domain/locale";
import { messageIds } from "../../src/i18n";

describe("the command catalog", () => {
  it("gives each staff command the roles the office expects", () => {
    const table = Object.fromEntries(COMMAND_NAMES.map((name) => [name, rolesFor(name).join(",")]).filter(([, roles]) => roles !== ""));
    expect(table).toEqual({
      queue: "dispatcher,admin",
      new: "dispatcher,admin",
      mine: "liaison",
      case: "liaison,dispatcher,leader,admin",
      supervised: "dispatcher,leader,admin",
      ranking: "dispatcher,leader,admin",
      stats: "dispatcher,leader,admin",
      export: "dispatcher,leader,admin",
      notice: "dispatcher,leader,admin",
      receipts: "dispatcher,leader,admin",
      publish: "dispatcher,admin",
      poster: "dispatcher,admin",
      units: "liaison,dispatcher,leader,admin",
      web: "liaison,dispatcher,leader,admin",
      invite: "admin",
      schedule: "dispatcher,admin",
      bind: "dispatcher,admin",
    });
  });

  it("keeps the group commands to groups and everything else to private chats (but /start)", () => {
    expect(COMMAND_NAMES.filter((n) => usableIn(n, "group"))).toEqual(["schedule", "bind", "start"]);
    expect(COMMAND_NAMES.filter((n) => !usableIn(n, "private"))).toEqual(["schedule", "bind"]);
  });

  it("lists the citizen's commands in menu order, and a person's by their roles", () => {
    expect(CITIZEN_COMMANDS).toEqual(["report", "ask", "my", "status", "cancel", "start", "lang", "help"]);
    expect(commandsFor(["liaison"], "private", true)).toEqual(["mine", "case", "units", "web"]);
    expect(commandsFor(["liaison", "admin"], "group", true)).toEqual(["schedule", "bind"]);
    expect(commandsFor([], "group")).toEqual(["start"]);
  });

  it("knows its own names and nothing else (not even Object's)", () => {
    expect(isCommandName("queue")).toBe(true);
    expect(isCommandName("Queue")).toBe(false);
    expect(isCommandName("toString")).toBe(false);
    expect(isCommandName("constructor")).toBe(false);
  });

  it.each(LOCALES)("has a menu line and a help line for every command in %s", (locale) => {
    const ids = new Set(messageIds(locale));
    const missing = COMMAND_NAMES.flatMap((n) => [`command-${n}`, `help-${n}`]).filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
  });
});
