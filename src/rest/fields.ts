// Request-field checks in Dify's (pydantic's) words: a missing field and a field of the wrong type are different
// errors, and both name the field as the client sent it.
import { invalidParam } from './errors.ts';

export const fieldRequired = (path: string) => invalidParam(`${path}: Field required`);
export const notAString = (path: string) => invalidParam(`${path}: Input should be a valid string`);

/** The string at `body[name]`; absent or null → "Field required", another type → "Input should be a valid string". */
export function requiredString(body: Record<string, unknown>, name: string, path = name): string {
  const value = body[name];
  if (value === undefined || value === null) throw fieldRequired(path);
  if (typeof value !== 'string') throw notAString(path);
  return value;
}

/** The object at `value`, or the "valid dictionary" error for `path`. */
export function dictionary(value: unknown, path: string): Record<string, unknown> {
  if (value === undefined || value === null) throw fieldRequired(path);
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidParam(`${path}: Input should be a valid dictionary`);
  return value as Record<string, unknown>;
}

/** The list at `value`, or the "valid list" error for `path`. */
export function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) throw fieldRequired(path);
  if (!Array.isArray(value)) throw invalidParam(`${path}: Input should be a valid list`);
  return value;
}

/** `\u0000` cannot be stored by PostgreSQL in text or jsonb: refuse it where the client sent it. */
export function rejectNul(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw invalidParam(`${path || 'body'}: Input should not contain NUL (\\u0000) characters`);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => rejectNul(item, path ? `${path}.${i}` : String(i)));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      rejectNul(key, at);
      rejectNul(item, at);
    }
  }
}

/** Query-string or path parameters: each is named by itself (`keyword: …`). */
export function rejectNulInParams(params: Record<string, string | string[]>): void {
  for (const [name, value] of Object.entries(params)) {
    rejectNul(name, name);
    for (const item of Array.isArray(value) ? value : [value]) rejectNul(item, name);
  }
}
