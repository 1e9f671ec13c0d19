/**
 * The shape of a region, sector or unit id in the directory file. Ids travel in button data
 * (a unit to bind a group to, a region or sector chosen in a report), so they are short and
 * plain: 1-40 characters of a-z, 0-9, _ and -, starting with a letter or digit.
 */
export const DIRECTORY_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export const isDirectoryId = (value: string | undefined): value is string => value !== undefined && DIRECTORY_ID.test(value);
