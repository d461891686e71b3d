/** Dify's enum strings (`high_quality`) ↔ the GraphQL enum names (`HIGH_QUALITY`). */
export const toGraphQLEnum = (value: unknown) =>
  typeof value === 'string' ? value.toUpperCase().replace(/-/g, '_') : value;
export const fromGraphQLEnum = <T extends string | null | undefined>(value: T) =>
  (typeof value === 'string' ? value.toLowerCase() : value) as T;

/** ISO instant → Dify's integer Unix seconds. */
export const unixSeconds = (iso: string | null | undefined) =>
  iso ? Math.floor(new Date(iso).getTime() / 1000) : null;

type Mapping = Record<string, readonly [target: string, convert?: (value: unknown) => unknown]>;

/**
 * Copies the keys of `body` that `mapping` names, renamed and converted; absent keys stay absent (Dify tells
 * "absent" from "null" on updates) and unknown keys are ignored, as Dify's request models ignore them.
 */
export function pick(body: unknown, mapping: Mapping): Record<string, unknown> | unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = {};
  for (const [source, [target, convert]] of Object.entries(mapping)) {
    if (!(source in body)) continue;
    const value = (body as Record<string, unknown>)[source];
    out[target] = value === null ? null : convert ? convert(value) : value;
  }
  return out;
}
