import { offsetToCursor } from '@pothos/plugin-relay';
import type { Context as HonoContext, Handler, Hono } from 'hono';
import type { Context } from '../graphql/context.ts';
import { DEFAULT_MESSAGES, RestError, forbidden, invalidParam, notFound } from './errors.ts';
import { withDifyFieldNames } from './coercion.ts';
import { rejectNulInParams } from './fields.ts';

export interface RestEnv {
  /** `readBody`: set by jsonBodyLimit (src/rest/body.ts), reads the body once when first called. */
  Variables: { gql: Context; requestId: string; readBody?: () => Promise<string> };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type RestHandler = (c: HonoContext<RestEnv>) => Promise<Response>;

/** Path parameters that Dify types as uuid: anything else is a plain 404, as Flask's converter answers. */
export const UUID_PARAM = '{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}';

export interface RestRouter {
  /** Registers handlers for one path; other methods on it answer 405 as Flask does. */
  route(path: string, handlers: Partial<Record<Method, RestHandler>>): void;
}

export function createRouter(app: Hono<RestEnv>, authenticate: (c: HonoContext<RestEnv>) => Promise<void>): RestRouter {
  return {
    route(path, handlers) {
      for (const [method, handler] of Object.entries(handlers)) {
        const authenticated: Handler<RestEnv> = async (c) => {
          await authenticate(c);
          rejectNulInParams(c.req.queries());
          rejectNulInParams(c.req.param());
          return handler(c);
        };
        app.on(method, path, authenticated);
      }
      app.all(path, () => {
        throw new RestError(405, 'method_not_allowed', DEFAULT_MESSAGES.method_not_allowed, {
          Allow: Object.keys(handlers).join(', '),
        });
      });
    },
  };
}

/** A path parameter; the route pattern guarantees it, so a missing one is a plain 404. */
export function pathParam(c: HonoContext<RestEnv>, name: string): string {
  const value = c.req.param(name);
  if (!value) throw notFound();
  return value;
}

/** Relay cursor for "after the first `offset` rows" (the offset connections of src/graphql use these). */
export const offsetCursor = (offset: number) => (offset > 0 ? offsetToCursor(offset - 1) : null);

interface WriteError {
  __typename: string;
  message: string;
}

/** A mutation's payload out of its `<Name>Result`; anything else is its typed error, thrown in Dify's envelope. */
export function payloadOf<R extends { __typename: string }, N extends R['__typename']>(result: R, payloadType: N) {
  if (result.__typename === payloadType) return result as Extract<R, { __typename: N }>;
  throw writeErrorToRest(result as unknown as WriteError);
}

/**
 * An object of a payload. Payload fields are nullable so that a failure after a committed write nulls only them;
 * runOperation has already turned any such failure into an error, so null here is a bug.
 */
export function written<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new RestError(500, 'internal_server_error', DEFAULT_MESSAGES.internal_server_error);
  return value;
}

/** A typed GraphQL error (src/graphql/errors.ts) in Dify's envelope. */
export function writeErrorToRest(error: WriteError): RestError {
  switch (error.__typename) {
    case 'NotFoundError':
      return notFound(error.message);
    case 'ForbiddenError':
      return forbidden(error.message);
    case 'ArchivedDocument':
      return new RestError(403, 'archived_document_immutable', error.message);
    case 'DocumentIndexing':
      return new RestError(400, 'document_indexing', error.message);
    case 'InvalidAction':
      return new RestError(400, 'invalid_action', error.message);
    case 'FileTooLarge':
      return new RestError(413, 'file_too_large', error.message);
    case 'UnsupportedFileType':
      return new RestError(415, 'unsupported_file_type', error.message);
    case 'ProviderNotInitialized':
      return new RestError(400, 'provider_not_initialize', error.message);
    default:
      return invalidParam(withDifyFieldNames(error.message));
  }
}
