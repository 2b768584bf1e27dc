/** One field that failed validation: where (`query.range`, `body.password`) and why. */
export interface FieldError {
  readonly where: string;
  readonly message: string;
}

/** An error the API answers with its own status code and a JSON body `{ error: { code, message, fields? } }`. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields?: readonly FieldError[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string): ApiError =>
  new ApiError(404, 'NOT_FOUND', `${what} does not exist`);
export const badRequest = (message: string, fields?: readonly FieldError[]): ApiError =>
  new ApiError(400, 'BAD_REQUEST', message, fields);
export const unauthorized = (message = 'sign in or send an API token'): ApiError =>
  new ApiError(401, 'UNAUTHORIZED', message);
export const forbidden = (message: string): ApiError => new ApiError(403, 'FORBIDDEN', message);

/** The JSON body of an error response. */
export function errorBody(error: ApiError): {
  error: { code: string; message: string; fields?: readonly FieldError[] };
} {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.fields === undefined ? {} : { fields: error.fields }),
    },
  };
}
