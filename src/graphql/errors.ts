// Typed errors: mutations return `<Name>Payload | <one of these>` unions (Pothos errors plugin), so clients switch on
// __typename instead of parsing messages; the REST layer maps the same types to Dify's envelope.
import { GraphQLError } from 'graphql';
import {
  ArchivedDocumentError,
  DatasetNameTakenError,
  DocumentIndexingError,
  DomainError,
  FileTooLargeError,
  InvalidActionError,
  ProviderNotInitializedError,
  UnsupportedFileTypeError,
  ForbiddenError,
  ModelNotAvailableError,
  NotFoundError,
  ValidationError,
  type ValidationIssue,
} from '../domain/errors.ts';
import { builder } from './builder.ts';

/** The machine code of each typed error; untyped errors carry the same kind of code in `extensions.code`. */
const ERROR_CODES = [
  [NotFoundError, 'NOT_FOUND'],
  [ForbiddenError, 'FORBIDDEN'],
  [ValidationError, 'BAD_USER_INPUT'],
  [DatasetNameTakenError, 'DATASET_NAME_TAKEN'],
  [ModelNotAvailableError, 'MODEL_NOT_AVAILABLE'],
  [ProviderNotInitializedError, 'PROVIDER_NOT_INITIALIZED'],
  [ArchivedDocumentError, 'ARCHIVED_DOCUMENT'],
  [DocumentIndexingError, 'DOCUMENT_INDEXING'],
  [InvalidActionError, 'INVALID_ACTION'],
  [UnsupportedFileTypeError, 'UNSUPPORTED_FILE_TYPE'],
  [FileTooLargeError, 'FILE_TOO_LARGE'],
] as const;

type ErrorCode = (typeof ERROR_CODES)[number][1];

/** The code of a domain error (the most specific class wins); null for anything else. */
export function domainErrorCode(error: unknown): ErrorCode | null {
  for (const [type, code] of [...ERROR_CODES].reverse()) if (error instanceof type) return code;
  return null;
}

const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'What went wrong, for programs: switch on this rather than on the message.',
  values: Object.fromEntries(
    ERROR_CODES.map(([type, code]) => [code, { value: code, description: `A ${type.name.replace(/Error$/, '')} error.` }]),
  ) as Record<ErrorCode, { value: ErrorCode; description: string }>,
});

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'Every typed error has a machine code and a human-readable message.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'For people; may change between versions.' }),
    code: t.field({
      type: ErrorCodeEnum,
      description: 'For programs; stable.',
      resolve: (error) => domainErrorCode(error) ?? 'BAD_USER_INPUT',
    }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'The thing named does not exist, or is not visible to this API key.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
  fields: (t) => ({ resource: t.exposeString('resource', { description: 'What was looked for.' }) }),
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
  description: 'One broken rule of an input.',
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
  fields: (t) => ({
    issues: t.field({ type: [ValidationIssueRef], description: 'Each broken rule.', resolve: (error) => error.issues }),
  }),
});

builder.objectType(ProviderNotInitializedError, {
  name: 'ProviderNotInitialized',
  description: 'A model provider this needs (an LLM, an embedding model) is not configured.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ProviderNotInitializedError,
});

builder.objectType(ArchivedDocumentError, {
  name: 'ArchivedDocument',
  description: 'The document is archived and cannot be changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ArchivedDocumentError,
});

builder.objectType(DocumentIndexingError, {
  name: 'DocumentIndexing',
  description: 'The document is being indexed; try again when it is done.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof DocumentIndexingError,
});

builder.objectType(InvalidActionError, {
  name: 'InvalidAction',
  description: 'The action cannot be applied (unknown action, or a document in the wrong state).',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidActionError,
});

builder.objectType(UnsupportedFileTypeError, {
  name: 'UnsupportedFileType',
  description: 'The file type is not one of the supported document types.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof UnsupportedFileTypeError,
});

builder.objectType(FileTooLargeError, {
  name: 'FileTooLarge',
  description: 'The upload is larger than UPLOAD_FILE_SIZE_LIMIT.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof FileTooLargeError,
  fields: (t) => ({ limitBytes: t.exposeInt('limitBytes', { description: 'The largest upload accepted, in bytes.' }) }),
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
