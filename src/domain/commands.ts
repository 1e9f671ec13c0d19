/**
 * Every command the bot answers, written once: who may use it and in which kind of chat.
 * The command menus Telegram shows, /help, the welcome after joining, the role check in front
 * of every staff handler and the answer to a command sent in the wrong kind of chat are all
 * read from here (src/services/command-menus.ts, src/bot/commands.ts), and the tests walk
 * this table to prove each refusal. A command's help line is the locale key `command-NAME`.
 */
import { ROLES, type Role } from "./workflow";

/** A private chat with the bot, or a group (basic or super). */
export type Place = "private" | "group";

/** Anyone, staff or not. */
export const EVERYONE = "everyone";

export interface CommandRule {
  readonly who: typeof EVERYONE | readonly Role[];
  readonly where: readonly Place[];
}

const PRIVATE = ["private"] as const;
const GROUP = ["group"] as const;
const STAFF = ROLES;
/** The office-wide readers: figures, lists, notices and the ledger. */
const OFFICE = ["dispatcher", "leader", "admin"] as const;
const DISPATCH = ["dispatcher", "admin"] as const;

/** In menu and help order: a person's staff commands come before the citizen's. */
export const COMMANDS = {
  queue: { who: DISPATCH, where: PRIVATE },
  /** Record a case that reached the office another way: a call, a letter, a visit, a 12345 work order, an assignment from above. */
  new: { who: DISPATCH, where: PRIVATE },
  mine: { who: ["liaison"], where: PRIVATE },
  case: { who: STAFF, where: PRIVATE },
  supervised: { who: OFFICE, where: PRIVATE },
  ranking: { who: OFFICE, where: PRIVATE },
  stats: { who: OFFICE, where: PRIVATE },
  export: { who: OFFICE, where: PRIVATE },
  notice: { who: OFFICE, where: PRIVATE },
  receipts: { who: OFFICE, where: PRIVATE },
  publish: { who: DISPATCH, where: PRIVATE },
  /** A QR poster that opens the public web report form for a town (and sector). */
  poster: { who: DISPATCH, where: PRIVATE },
  units: { who: STAFF, where: PRIVATE },
  /** A one-time login link to the console for a desktop browser. */
  web: { who: STAFF, where: PRIVATE },
  invite: { who: ["admin"], where: PRIVATE },
  schedule: { who: DISPATCH, where: GROUP },
  bind: { who: DISPATCH, where: GROUP },
  report: { who: EVERYONE, where: PRIVATE },
  ask: { who: EVERYONE, where: PRIVATE },
  my: { who: EVERYONE, where: PRIVATE },
  status: { who: EVERYONE, where: PRIVATE },
  cancel: { who: EVERYONE, where: PRIVATE },
  start: { who: EVERYONE, where: ["private", "group"] },
  lang: { who: EVERYONE, where: PRIVATE },
  help: { who: EVERYONE, where: PRIVATE },
} as const satisfies Record<string, CommandRule>;

export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

const rule = (name: CommandName): CommandRule => COMMANDS[name];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** Whether the command is for staff only (some roles), not for everyone. */
export function isStaffCommand(name: CommandName): boolean {
  return rule(name).who !== EVERYONE;
}

/** Whether someone holding these roles (none for a citizen) may use the command. */
export function mayUse(name: CommandName, roles: readonly Role[]): boolean {
  const { who } = rule(name);
  return who === EVERYONE || who.some((role) => roles.includes(role));
}

export function usableIn(name: CommandName, place: Place): boolean {
  return rule(name).where.includes(place);
}

/** The roles that may use a staff command, in the roles' own order (none for a command anyone may use). */
export function rolesFor(name: CommandName): Role[] {
  const { who } = rule(name);
  return who === EVERYONE ? [] : ROLES.filter((role) => who.includes(role));
}

/**
 * The commands someone holding these roles may use in a kind of chat, in menu order;
 * `staffOnly` leaves out the ones everyone has.
 */
export function commandsFor(roles: readonly Role[], place: Place, staffOnly = false): CommandName[] {
  return COMMAND_NAMES.filter((name) => usableIn(name, place) && mayUse(name, roles) && (!staffOnly || isStaffCommand(name)));
}

/** The citizen's commands: the ones everyone may use in a private chat with the bot. */
export const CITIZEN_COMMANDS = commandsFor([], "private");
