/** Small rendering helpers the citizen features share: names in the person's language, times. */

export { localName } from "../../src/domain/locale";

/** "2026-11-25 14:30" in the office's time zone. */
export { formatOfficeTime as formatTime } from "../../src/domain/office-time";

export const privateLink = (username: string) => `https://t.me/${username}`;
