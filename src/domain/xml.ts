/**
 * Text put into XML (the posters' SVG, Open311's XML answers). XML 1.0 cannot hold most
 * control characters (not even escaped) or lone surrogates, and the text is whatever someone
 * typed, so those go; the five special characters are escaped.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding the control characters is the point
const NON_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const withoutNonXml = (text: string) => text.replace(NON_XML, "");

const XML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
export const escapeXml = (text: string) => withoutNonXml(text).replace(/[&<>"']/g, (ch) => XML_ENTITIES[ch]!);
