import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { cursorToOffset } from '@pothos/plugin-relay';
import { type DocumentNode, execute, Kind } from 'graphql';
import { isStorageFull, isUnstorableText, STORAGE_FULL_MESSAGE, UNSTORABLE_TEXT_MESSAGE } from '../db/sql-errors.ts';
import { STATUS_ACTIONS } from '../domain/documents/service.ts';
import { METADATA_TYPES } from '../domain/metadata/service.ts';
import { COMPARISON_OPERATORS } from '../domain/retrieval/metadata-filter.ts';
import type { Context } from '../graphql/context.ts';
import { schema } from '../graphql/schema.ts';
import { firstCoercionError, withDifyFieldNames } from './coercion.ts';
import { DEFAULT_MESSAGES, RestError } from './errors.ts';
import { type EnumRule, toGraphQLVariables, toRestValues } from './graphql-values.ts';

/** GraphQL codes (see src/graphql/errors.ts) and the Dify envelope each becomes. */
const CODE_TO_REST: Record<string, [number, string]> = {
  NOT_FOUND: [404, 'not_found'],
  FORBIDDEN: [403, 'forbidden'],
  BAD_USER_INPUT: [400, 'invalid_param'],
  BAD_REQUEST: [400, 'invalid_param'],
};

const invalidParam = (message: string) => () => new RestError(400, 'invalid_param', message);

/** Dify's answers to strings that name no enum value: its own error, its aliases, or ignoring the value. */
const ENUM_RULES: Record<string, EnumRule> = {
  DocumentStatusAction: {
    unknown: (value) =>
      new RestError(
        400,
        'invalid_action',
        `Invalid action: ${value}. Must be one of [${STATUS_ACTIONS.map((a) => `'${a}'`).join(', ')}]`,
      ),
  },
  DocumentDisplayStatus: { aliases: { active: 'available', enabled: 'available' }, unknown: 'drop' },
  SegmentStatus: { unknown: 'drop' },
  DocForm: { unknown: invalidParam('Invalid doc_form.') },
  ProcessRuleMode: { unknown: invalidParam('Process rule mode is invalid') },
  ParentMode: { unknown: invalidParam('Process rule parent_mode is invalid') },
  PreProcessingRuleId: { unknown: invalidParam('Process rule pre_processing_rules id is invalid') },
  MetadataType: { unknown: invalidParam(`Metadata type must be one of ${METADATA_TYPES.join(', ')}.`) },
  LogicalOperator: { unknown: (value) => new RestError(400, 'invalid_param', `Invalid logical_operator: ${value}`) },
  ComparisonOperator: {
    unknown: (value) =>
      new RestError(
        400,
        'invalid_param',
        `Invalid comparison_operator: ${value}. Must be one of ${COMPARISON_OPERATORS.join(', ')}`,
      ),
  },
};

/** Document writes check the technique with Dify's document message; dataset writes keep their own. */
const DOCUMENT_WRITE_RULES: Record<string, EnumRule> = {
  ...ENUM_RULES,
  IndexingTechnique: { unknown: invalidParam('indexing_technique is invalid.') },
};

const enumRules = (document: DocumentNode) =>
  document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && /Document/.test(d.name?.value ?? ''))
    ? DOCUMENT_WRITE_RULES
    : ENUM_RULES;

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
  const variableValues = toGraphQLVariables(schema, document, pageVariables(document, variables), enumRules(document));
  const invalid = firstCoercionError(schema, document, variableValues);
  if (invalid) throw new RestError(400, 'invalid_param', invalid);
  const result = await execute({ schema, document, variableValues, contextValue: context });
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
    if (isStorageFull(error.originalError)) throw new RestError(503, 'service_unavailable', STORAGE_FULL_MESSAGE);
    if (isUnstorableText(error.originalError)) throw new RestError(400, 'invalid_param', UNSTORABLE_TEXT_MESSAGE);
    context.logger.error({ err: error.originalError ?? error }, 'REST operation failed');
    throw new RestError(500, 'internal_server_error', DEFAULT_MESSAGES.internal_server_error);
  }
  return toRestValues(schema, document, result.data as TData);
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

