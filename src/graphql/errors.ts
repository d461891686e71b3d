// Typed errors: mutations return `XSuccess | <one of these>` unions (Pothos errors plugin), so clients switch on
// __typename instead of parsing messages; the REST layer maps the same types to Dify's envelope.
import { GraphQLError } from 'graphql';
import {
  DatasetNameTakenError,
  DomainError,
  ForbiddenError,
  ModelNotAvailableError,
  NotFoundError,
  ValidationError,
  type ValidationIssue,
} from '../domain/errors.ts';
import { builder } from './builder.ts';

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'Every typed error has a human-readable message.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'The thing named does not exist, or is not visible to this API key.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
  fields: (t) => ({ resource: t.exposeString('resource') }),
});

builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  description: 'The API key may not do this.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ForbiddenError,
});

builder.objectType(ModelNotAvailableError, {
  name: 'ModelNotAvailableError',
  description: 'A model named in the input is not configured on this gateway.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ModelNotAvailableError,
});

builder.objectType(DatasetNameTakenError, {
  name: 'DatasetNameTaken',
  description: 'Another dataset of the workspace has this name.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof DatasetNameTakenError,
  fields: (t) => ({ name: t.exposeString('datasetName') }),
});

const ValidationIssueRef = builder.objectRef<ValidationIssue>('ValidationIssue').implement({
  fields: (t) => ({
    path: t.exposeStringList('path', { description: 'The input field, from the argument down.' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input broke a rule; `issues` names each field.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({ issues: t.field({ type: [ValidationIssueRef], resolve: (error) => error.issues }) }),
});

/** The errors any write may answer with. */
export const WRITE_ERRORS = [ValidationError, NotFoundError, ForbiddenError] as const;

/** For fields without a result union (queries): a domain error becomes a GraphQL error with a stable code. */
export function toGraphQLError(error: unknown): unknown {
  if (!(error instanceof DomainError)) return error;
  const code =
    error instanceof NotFoundError
      ? 'NOT_FOUND'
      : error instanceof ForbiddenError
        ? 'FORBIDDEN'
        : error instanceof ValidationError
          ? 'BAD_USER_INPUT'
          : 'BAD_REQUEST';
  return new GraphQLError(error.message, { extensions: { code } });
}
