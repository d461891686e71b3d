/** Werkzeug's default texts, which Dify answers with when a handler gives none. */
export const DEFAULT_MESSAGES = {
  not_found:
    'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
  method_not_allowed: 'The method is not allowed for the requested URL.',
  bad_json: 'Invalid JSON payload received or JSON payload is empty.',
  unsupported_media_type:
    "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.",
  internal_server_error:
    'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.',
} as const;

/** An answer in Dify's error envelope `{code, message, status}`; thrown anywhere in a route. */
export class RestError extends Error {
  override name = 'RestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toResponse(): Response {
    return Response.json(
      { code: this.code, message: this.message, status: this.status },
      { status: this.status, headers: this.headers },
    );
  }
}

/** Werkzeug's RequestEntityTooLarge, as Dify answers it. */
export const JSON_BODY_LIMIT_BYTES = 64 * 1024 * 1024;
export const bodyTooLarge = () =>
  new RestError(413, 'request_entity_too_large', 'The data value transmitted exceeds the capacity limit.');

export const notFound = (message: string = DEFAULT_MESSAGES.not_found) => new RestError(404, 'not_found', message);
export const invalidParam = (message: string) => new RestError(400, 'invalid_param', message);
export const forbidden = (message: string) => new RestError(403, 'forbidden', message);
