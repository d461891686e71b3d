// PostgreSQL cannot store U+0000 in text or jsonb (error 22021): refuse it up front, naming the field, so that it is
// the client's 400 and not a server error. Every service that writes or filters on client text calls this.
import { ValidationError } from './errors.ts';

/** Throws a ValidationError naming `path` (and the offending element below it) if `value` holds a NUL anywhere. */
export function rejectNul(value: unknown, path: readonly string[]): void {
  if (typeof value === 'string') {
    if (!value.includes('\u0000')) return;
    const field = path.join('.') || 'input';
    const message = `${field} must not contain NUL (\\u0000) characters`;
    throw new ValidationError(message, [{ path: [...path], message }]);
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => rejectNul(item, [...path, String(i)]));
  } else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    for (const [key, item] of Object.entries(value)) {
      rejectNul(key, [...path, key]);
      rejectNul(item, [...path, key]);
    }
  }
}
