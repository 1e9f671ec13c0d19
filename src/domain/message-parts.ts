/**
 * Telegram refuses a text longer than 4096 characters and a caption longer than 1024. A
 * message the office writes (a long notice, a ranking of sixty units, a case with a long
 * description) is sent in parts instead: cut at a paragraph, else a line, else a space, else
 * anywhere but inside a surrogate pair, each part within the limit, in order. The buttons go
 * with the last part, under the whole text; a photo or file keeps the first part of its
 * caption and the rest follows as messages. Pure.
 */

export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;

/** A cut falls at the last break of this kind in the window, unless that leaves too small a part. */
const BREAKS = ["\n\n", "\n", " "] as const;
const MIN_PART_SHARE = 0.5;

/**
 * `text` in parts of at most `max` UTF-16 code units (Telegram's count is no higher), in
 * order, none empty, their concatenation equal to `text` except for the breaks cut at.
 */
export function splitText(text: string, max: number): string[] {
  if (max < 2) throw new RangeError("max must be at least 2");
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = -1;
    let skip = 0;
    for (const brk of BREAKS) {
      const at = window.lastIndexOf(brk, max - brk.length + 1);
      if (at >= max * MIN_PART_SHARE) {
        cut = at;
        skip = brk.length;
        break;
      }
    }
    if (cut < 0) {
      cut = max;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut--; // never split a surrogate pair
    }
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut + skip);
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

export interface MessagePart {
  method: string;
  payload: Record<string, unknown>;
}

/** The calls that deliver one outbox message: itself when it fits, else its parts in order. */
export function messageParts(method: string, payload: Record<string, unknown>): MessagePart[] {
  if (method === "sendMessage" && typeof payload.text === "string" && payload.text.length > MAX_TEXT) {
    const { reply_markup, ...rest } = payload;
    const texts = splitText(payload.text, MAX_TEXT);
    return texts.map((text, i) => ({
      method,
      payload: { ...rest, text, ...(i === texts.length - 1 && reply_markup !== undefined ? { reply_markup } : {}) },
    }));
  }
  if ((method === "sendPhoto" || method === "sendDocument") && typeof payload.caption === "string" && payload.caption.length > MAX_CAPTION) {
    const { reply_markup, caption, ...rest } = payload;
    const [first, ...more] = splitText(caption, MAX_CAPTION);
    // The follow-up text goes in message-sized parts; the media keeps the first caption part.
    const follow = splitText(more.join("\n"), MAX_TEXT);
    const parts: MessagePart[] = [{ method, payload: { ...rest, caption: first } }];
    for (const [i, text] of follow.entries()) {
      parts.push({
        method: "sendMessage",
        payload: { chat_id: payload.chat_id, text, ...(i === follow.length - 1 && reply_markup !== undefined ? { reply_markup } : {}) },
      });
    }
    return parts;
  }
  return [{ method, payload }];
}
