/**
 * The doors a case comes in by, written once: the bot's chat, the public web form, a partner
 * system through Open311, and the office's own staff recording what reached them another way
 * (a phone call, a letter, a visit, a 12345 work order, an assignment from above). Every door
 * hands the same intake service (src/services/reports.ts) a draft; the door decides only who
 * the reporter is, how they are kept from flooding it, and how they hear back. The case keeps
 * its door as `cases.source`, shown in the ledger and counted in the figures; a door's name is
 * the locale key `source-NAME`.
 */

export const SOURCES = ["telegram", "web", "open311", "phone", "letter", "walk_in", "hotline", "superior"] as const;
export type Source = (typeof SOURCES)[number];

/** The doors a dispatcher records by hand, in the order the chat and the console offer them. */
export const STAFF_SOURCES = ["phone", "hotline", "letter", "walk_in", "superior"] as const satisfies readonly Source[];
export type StaffSource = (typeof STAFF_SOURCES)[number];

export const isSource = (v: unknown): v is Source => typeof v === "string" && (SOURCES as readonly string[]).includes(v);
export const isStaffSource = (v: unknown): v is StaffSource => typeof v === "string" && (STAFF_SOURCES as readonly string[]).includes(v);

/**
 * How each door behaves:
 * - `reference`: whether the case keeps the sender's own number for it (a 12345 work order's
 *   number, a partner system's request id), and whether a dispatcher must give it;
 * - `lookupCode`: whether an anonymous reporter is given a code to follow the case with even
 *   without a reward claim (the web has no chat to tell them in; in chat the bot tells them).
 */
export const DOORS: Record<Source, { reference: "none" | "optional" | "required"; lookupCode: boolean }> = {
  telegram: { reference: "none", lookupCode: false },
  web: { reference: "none", lookupCode: true },
  open311: { reference: "optional", lookupCode: true },
  phone: { reference: "none", lookupCode: false },
  letter: { reference: "optional", lookupCode: false },
  walk_in: { reference: "none", lookupCode: false },
  hotline: { reference: "required", lookupCode: false },
  superior: { reference: "optional", lookupCode: false },
};

/** A partner's or a work order's own number: printable, short, nothing that could be markup. */
export const MAX_REFERENCE = 64;
export function parseReference(input: string): string | null {
  const ref = input.normalize("NFKC").trim();
  return ref.length > 0 && ref.length <= MAX_REFERENCE && /^[\p{L}\p{N}_./:#-]+$/u.test(ref) ? ref : null;
}
