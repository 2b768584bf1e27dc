/** The CA file named by a check's `ca` option cannot be read. Its message is a check's failure message. */
export class CaFileError extends Error {
  readonly code = 'CA_FILE_UNREADABLE';

  constructor(message: string) {
    super(message);
    this.name = 'CaFileError';
  }
}

/** Whether `error` is a `CaFileError` (by its code, so it holds across module copies). */
export function isCaFileError(error: unknown): error is CaFileError {
  return error instanceof Error && (error as { code?: unknown }).code === 'CA_FILE_UNREADABLE';
}
