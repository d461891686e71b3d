// Small helpers for values that reach SQL.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** uuid columns reject anything else with an error, so ids from requests are checked first. */
export const isUuid = (value: string) => UUID.test(value);

/** LIKE patterns (Prisma's `contains` included) treat `%`, `_` and `\` specially: escape them to match literally. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');
