/**
 * Masks what identifies a person in text the office publishes (a citizen's own description
 * of a hazard may carry their phone or ID number): mainland mobile numbers keep their first
 * three and last four digits (138****5678), landlines their area code, ID card numbers their
 * first six and last four. Pure; applied to public posts, never to the office's own records.
 */

const ID_CARD = /(?<![0-9])([1-9]\d{5})\d{8}(\d{3}[\dXx])(?![0-9])/g;
const MOBILE = /(?<![0-9])(1[3-9]\d)\d{4}(\d{4})(?![0-9])/g;
const LANDLINE = /(?<![0-9])(0\d{2,3})[-\s]?\d{7,8}(?![0-9])/g;

export function maskPersonalData(text: string): string {
  return text
    .replace(ID_CARD, (_, head: string, tail: string) => `${head}********${tail}`)
    .replace(MOBILE, (_, head: string, tail: string) => `${head}****${tail}`)
    .replace(LANDLINE, (_, area: string) => `${area}-********`);
}
