import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { cursorToOffset } from '@pothos/plugin-relay';
import { type DocumentNode, execute, type GraphQLError, Kind } from 'graphql';
import type { Context } from '../graphql/context.ts';
import { schema } from '../graphql/schema.ts';
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
 * a number belongs, an unknown enum value) become 400 invalid_param, as Dify's request validation would.
 */
export async function runOperation<TData, TVariables extends Record<string, unknown>>(
  context: Context,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Promise<TData> {
  const result = await execute({ schema, document, variableValues: pageVariables(document, variables), contextValue: context });
  const [error] = result.errors ?? [];
  if (error) {
    if (!result.data && !error.path) throw new RestError(400, 'invalid_param', cleanVariableMessage(error));
    const code = typeof error.extensions?.code === 'string' ? error.extensions.code : undefined;
    const mapped = code ? CODE_TO_REST[code] : undefined;
    if (mapped) throw new RestError(mapped[0], mapped[1], error.message);
    context.logger.error({ err: error.originalError ?? error }, 'REST operation failed');
    throw new RestError(500, 'internal_server_error', DEFAULT_MESSAGES.internal_server_error);
  }
  return result.data as TData;
}

/**
 * REST routes page by Dify's page/limit and hand over the position as an offset cursor (`offsetCursor` in
 * router.ts); GraphQL connections are keyset-paged and refuse such cursors, so list operations that declare
 * `$offset` get the position there instead.
 */
function pageVariables(document: DocumentNode, variables: Record<string, unknown>) {
  const takesOffset = document.definitions.some(
    (d) => d.kind === Kind.OPERATION_DEFINITION && d.variableDefinitions?.some((v) => v.variable.name.value === 'offset'),
  );
  if (!takesOffset || typeof variables.after !== 'string') return variables;
  return { ...variables, after: null, offset: cursorToOffset(variables.after) + 1 };
}

/**
 * GraphQL's coercion messages in REST terms: `Variable "$input" got invalid value … at "input.retrievalModel";
 * Field "topK" of required type "Int!" was not provided.` → `retrieval_model.top_k: Field required`.
 */
function cleanVariableMessage(error: GraphQLError): string {
  const match = /got invalid value .*? at "[^".]+\.?([^"]*)"; (.*)$/s.exec(error.message);
  if (!match) return error.message;
  const path = (match[1] ?? '').split('.').filter(Boolean).map(snakeCase);
  let reason = match[2] ?? error.message;
  const missing = /^Field "(\w+)" of required type "[^"]+" was not provided\.$/.exec(reason);
  if (missing?.[1]) {
    path.push(snakeCase(missing[1]));
    reason = 'Field required';
  }
  const badEnum = /^Value "(\w+)" does not exist in "\w+" enum\./.exec(reason);
  if (badEnum?.[1]) reason = `Input "${badEnum[1].toLowerCase()}" is not one of the allowed values`;
  reason = reason.replace(
    /Field "(\w+)" is not defined by type "\w+"\./,
    (_m, name: string) => `Unknown field ${snakeCase(name)}`,
  );
  return path.length ? `${path.join('.')}: ${reason}` : reason;
}

export const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
