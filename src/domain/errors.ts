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
