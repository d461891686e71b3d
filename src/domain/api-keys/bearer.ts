import type { Viewer } from '../viewer.ts';
import type { Authenticate } from './key-cache.ts';

/** Dify's exact messages, so that clients which show them keep showing the same text. */
export const AUTH_MESSAGES = {
  missing: "Authorization header must be provided and start with 'Bearer'",
  scheme: "Authorization scheme must be 'Bearer'",
  invalid: 'Access token is invalid',
} as const;

export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

/** Resolves an `Authorization` header (or a graphql-ws connectionParams value) to a viewer, Dify's way. */
export async function viewerFromAuthorization(authenticate: Authenticate, header: string | null | undefined): Promise<Viewer> {
  const value = header?.trim() ?? '';
  const space = value.indexOf(' ');
  if (!value || space === -1) throw new AuthenticationError(AUTH_MESSAGES.missing);
  const scheme = value.slice(0, space);
  const token = value.slice(space + 1).trim();
  if (scheme.toLowerCase() !== 'bearer') throw new AuthenticationError(AUTH_MESSAGES.scheme);
  const viewer = await authenticate(token);
  if (!viewer) throw new AuthenticationError(AUTH_MESSAGES.invalid);
  return viewer;
}
