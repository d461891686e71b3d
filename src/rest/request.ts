import type { Context as HonoContext } from 'hono';
import { bodyText } from './body.ts';
import { DEFAULT_MESSAGES, invalidParam, RestError } from './errors.ts';
import { rejectNul } from './fields.ts';

/** Reads a JSON object body the way Dify (Flask) does: wrong content type 415, empty or broken JSON 400. */
export async function readJsonObject(c: HonoContext): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new RestError(415, 'unsupported_media_type', DEFAULT_MESSAGES.unsupported_media_type);
  }
  const text = await bodyText(c);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RestError(400, 'bad_request', DEFAULT_MESSAGES.bad_json);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidParam('The request body must be a JSON object.');
  }
  rejectNul(body, '');
  return body as Record<string, unknown>;
}

const positiveInt = (value: string | undefined) => {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  const n = Number.parseInt(value, 10);
  return n >= 1 ? n : undefined;
};

export const MAX_LIMIT = 100;

/** Lenient page/limit (decisions.md): empty or not a positive integer → default; limit above 100 → 100. */
export function pageParams(c: HonoContext, defaults = { page: 1, limit: 20 }) {
  const page = positiveInt(c.req.query('page')) ?? defaults.page;
  const limit = Math.min(positiveInt(c.req.query('limit')) ?? defaults.limit, MAX_LIMIT);
  return { page, limit, offset: (page - 1) * limit };
}

/** Query strings carry booleans as text; Dify treats "true" in any case as true. */
export const queryFlag = (value: string | undefined) => value?.toLowerCase() === 'true';
