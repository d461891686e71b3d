import { PothosValidationError } from '@pothos/core';
import { GraphQLError, type ValidationContext } from 'graphql';
import { maskError as yogaMaskError, type Plugin, type YogaServerOptions } from 'graphql-yoga';
import { isStorageFull, isUnstorableText, STORAGE_FULL_MESSAGE, UNSTORABLE_TEXT_MESSAGE } from '../../db/sql-errors.ts';
import { DomainError } from '../../domain/errors.ts';
import { domainErrorCode } from '../errors.ts';

const limitError = (code: string, error: GraphQLError) =>
  new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code, http: { status: 400, spec: true } } });

/**
 * graphql-armor's limits report "Syntax Error: …" without a code; these handlers report the same limit with a code.
 * Depth and alias limits are validation rules (reported on the validation context); the token limit runs in the
 * parser, which has no context, so it throws.
 */
export const rejectWithCode = (code: string) => (context: ValidationContext | null, error: GraphQLError) => {
  if (!context) throw limitError(code, error);
  context.reportError(limitError(code, error));
};

/** Codes for errors thrown by resolvers that yoga would otherwise mask as INTERNAL_SERVER_ERROR. */
export const maskError: NonNullable<Exclude<YogaServerOptions<object, object>['maskedErrors'], boolean>>['maskError'] = (
  error,
  message,
  isDev,
) => {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof PothosValidationError && /global ID/i.test(original.message)) {
    return recoded(error, original.message, 'INVALID_ID');
  }
  if (original instanceof DomainError) return recoded(error, original.message, domainErrorCode(original) ?? 'BAD_USER_INPUT');
  if (isStorageFull(original)) return recoded(error, STORAGE_FULL_MESSAGE, 'STORAGE_FULL');
  if (isUnstorableText(original)) return recoded(error, UNSTORABLE_TEXT_MESSAGE, 'BAD_USER_INPUT');
  return yogaMaskError(error, message, isDev);
};

function recoded(error: unknown, message: string, code: string) {
  const located = error instanceof GraphQLError ? error : undefined;
  return new GraphQLError(message, { nodes: located?.nodes, path: located?.path, extensions: { code } });
}

/**
 * A request that fails before execution starts (variable coercion, an unknown operation name) has no `data`: per
 * GraphQL over HTTP that is a 400 under `application/graphql-response+json` (yoga leaves it at 200). `spec` keeps
 * the legacy `application/json` answer at 200.
 */
export function useRequestErrorStatus(): Plugin {
  return {
    onExecute: () => ({
      onExecuteDone: ({ result }) => {
        if (!('errors' in result) || !result.errors?.length || result.data !== undefined) return;
        for (const error of result.errors) {
          const extensions = error.extensions as Record<string, unknown>;
          extensions.code ??= 'BAD_USER_INPUT';
          extensions.http = { ...(extensions.http as object | undefined), status: 400, spec: true };
        }
      },
    }),
  };
}
