// Errors the business rules raise. GraphQL exposes each as a typed error (src/graphql/errors.ts) and the REST layer
// maps those types to Dify's `{code, message, status}` envelope, so the wording here is Dify's wherever Dify has one.

export class DomainError extends Error {
  override name = 'DomainError';
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  constructor(
    readonly resource: string,
    message = `${resource} not found.`,
  ) {
    super(message);
  }
}

export interface ValidationIssue {
  /** The input field, as a path of names (`retrievalModel.topK`). */
  path: string[];
  message: string;
}

export class ValidationError extends DomainError {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: ValidationIssue[] = [{ path: [], message }],
  ) {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
}

export class DatasetNameTakenError extends DomainError {
  override name = 'DatasetNameTakenError';
  constructor(readonly datasetName: string) {
    super('The dataset name already exists. Please modify your dataset name.');
  }
}

/** A model named in the request is not one this gateway is configured with (Dify: provider_not_initialize). */
export class ModelNotAvailableError extends DomainError {
  override name = 'ModelNotAvailableError';
}

/** The operation needs a model provider that is not configured (Dify: 400 provider_not_initialize). */
export class ProviderNotInitializedError extends DomainError {
  override name = 'ProviderNotInitializedError';
}

/** Archived documents cannot be changed (Dify: 403 archived_document_immutable). */
export class ArchivedDocumentError extends DomainError {
  override name = 'ArchivedDocumentError';
  constructor(message = 'The archived document is not editable.') {
    super(message);
  }
}

/** The document is being indexed and the operation must wait (Dify: 400 document_indexing). */
export class DocumentIndexingError extends DomainError {
  override name = 'DocumentIndexingError';
  constructor(message = 'Cannot delete document during indexing.') {
    super(message);
  }
}

/** Dify: 400 invalid_action (batch status changes). */
export class InvalidActionError extends DomainError {
  override name = 'InvalidActionError';
}

/** An upload over UPLOAD_FILE_SIZE_LIMIT (Dify: 413 file_too_large). */
export class FileTooLargeError extends DomainError {
  override name = 'FileTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`File size exceeded. The file is larger than ${Math.round(limitBytes / 1024 / 1024)} MB.`);
  }
}

/** An upload whose extension is not a document type (Dify: 415 unsupported_file_type). */
export class UnsupportedFileTypeError extends DomainError {
  override name = 'UnsupportedFileTypeError';
  constructor(message = 'File type not allowed.') {
    super(message);
  }
}
