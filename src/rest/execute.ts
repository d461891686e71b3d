import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { execute } from 'graphql';
import type { Context } from '../graphql/context.ts';
import { schema } from '../graphql/schema.ts';
import { firstCoercionError, withDifyFieldNames } from './coercion.ts';
import { DEFAULT_MESSAGES, RestError } from './errors.ts';

/** GraphQL codes (see src/graphql/errors.ts) and the Dify envelope each becomes. */
const CODE_TO_REST: Record<string, [number, string]> = {
  NOT_FOUND: [404, 'not_found'],
  FORBIDDEN: [403, 'forbidden'],
  BAD_USER_INPUT: [400, 'invalid_param'],
  BAD_REQUEST: [400, 'invalid_param'],
};

/**
 * Runs one of the project's own typed operations in-process, on the same schema and context as /graphql, so a
 * REST route goes through exactly the resolvers a GraphQL client does. Variable coercion failures (a string where
 * a number belongs, an unknown enum value) become 400 invalid_param in Dify's field names (src/rest/coercion.ts).
 */
export async function runOperation<TData, TVariables extends Record<string, unknown>>(
  context: Context,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Promise<TData> {
  const invalid = firstCoercionError(schema, document, variables);
  if (invalid) throw new RestError(400, 'invalid_param', invalid);
  const result = await execute({ schema, document, variableValues: variables, contextValue: context });
  const [error] = result.errors ?? [];
  if (error) {
    if (!result.data && !error.path) {
      // Coercion was checked above; whatever else fails before execution is logged, and the client gets no internals.
      context.logger.warn({ err: error }, 'REST operation refused before execution');
      throw new RestError(400, 'invalid_param', 'The request is invalid.');
    }
    const code = typeof error.extensions?.code === 'string' ? error.extensions.code : undefined;
    const mapped = code ? CODE_TO_REST[code] : undefined;
    if (mapped) throw new RestError(mapped[0], mapped[1], code === 'BAD_USER_INPUT' ? withDifyFieldNames(error.message) : error.message);
    context.logger.error({ err: error.originalError ?? error }, 'REST operation failed');
    throw new RestError(500, 'internal_server_error', DEFAULT_MESSAGES.internal_server_error);
  }
  return result.data as TData;
}

