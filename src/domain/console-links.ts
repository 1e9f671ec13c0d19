/**
 * The console's addresses as the bot hands them out: the Mini App (the staff's menu button,
 * a card's "open in console"), a case inside it, and the desktop login link. Pure: the base
 * is the config's `consoleUrl`.
 */

/** The login link's path under the console, and how long a link lasts. */
export const LOGIN_PATH = "/login";
export const LOGIN_LINK_TTL_MS = 10 * 60_000;

/**
 * The console as a Mini App, or null when Telegram would not open it as one: `web_app`
 * buttons (the menu button, a card's) take https URLs only.
 */
export function miniAppBase(consoleUrl: string | undefined): string | null {
  return consoleUrl?.startsWith("https://") ? consoleUrl : null;
}

/** The page itself: the Mini App's address. */
export const consolePage = (base: string) => `${base}/`;

/** A case opened in the console; the page reads the fragment, so the server never sees which case. */
export const consoleCase = (base: string, caseId: number) => `${base}/#case=${caseId}`;

/** The one-time desktop login link. */
export const loginLink = (consoleUrl: string, token: string) => `${consoleUrl}${LOGIN_PATH}?token=${encodeURIComponent(token)}`;
