/**
 * Callback data, typed. Each family of buttons has one codec: a short prefix and the fields
 * after it, joined by ":". `encode` is how a keyboard writes a button and `decode` how a
 * handler reads one back; whatever the client sends that the family's `decode` does not
 * accept (stale, forged, truncated) comes back as null and is answered as a stale button.
 * Decoding proves only the shape: who may press it is checked on the server every time.
 *
 * Written here rather than taken from a plugin: grammY's callback-data helpers build strings
 * but do not type or validate what comes back, which is the part that matters.
 */

/** Telegram's limit on callback_data, in bytes. */
export const MAX_BUTTON_DATA_BYTES = 64;

export interface ButtonCodec<T> {
  readonly prefix: string;
  /** Matches every button of the family, for `composer.callbackQuery`. */
  readonly pattern: RegExp;
  encode(value: T): string;
  decode(data: string): T | null;
}

/** What a family's buttons carry, read from its codec. */
export type Pressed<C> = C extends ButtonCodec<infer T> ? T : never;

const bytes = (text: string) => new TextEncoder().encode(text).length;

/**
 * A codec from a prefix and two functions: `write` turns a value into fields (none may hold
 * ":"), `read` turns fields back into a value or null. Encoding data longer than Telegram takes
 * is a programming error and throws, so a keyboard never silently loses a button.
 */
export function buttonCodec<T>(
  prefix: string,
  write: (value: T) => readonly (string | number)[],
  read: (fields: string[]) => T | null,
): ButtonCodec<T> {
  const head = `${prefix}:`;
  return {
    prefix,
    pattern: new RegExp(`^${prefix}:`),
    encode(value) {
      const fields = write(value).map(String);
      if (fields.some((f) => f.includes(":"))) throw new Error(`button data field with ":" in ${prefix}: ${fields.join("|")}`);
      const data = head + fields.join(":");
      if (bytes(data) > MAX_BUTTON_DATA_BYTES) throw new Error(`button data over ${MAX_BUTTON_DATA_BYTES} bytes: ${data}`);
      return data;
    },
    decode(data) {
      if (!data.startsWith(head) || bytes(data) > MAX_BUTTON_DATA_BYTES) return null;
      return read(data.slice(head.length).split(":"));
    },
  };
}

/** A positive whole number written in decimal (an id or a version), or null. */
export function positiveInt(field: string | undefined): number | null {
  if (field === undefined || !/^[1-9]\d{0,14}$/.test(field)) return null;
  return Number(field);
}

/** A whole number from 0 written in decimal (a version), or null. */
export function wholeNumber(field: string | undefined): number | null {
  return field === "0" ? 0 : positiveInt(field);
}

/** One of a fixed set of words, or null. */
export function oneOfWords<const W extends string>(words: readonly W[], field: string | undefined): W | null {
  return words.find((w) => w === field) ?? null;
}
