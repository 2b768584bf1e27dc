import { VigilError, type VigilErrorOptions } from '@vigil/resilience';

/** The database was migrated by a newer Vigil than this one; it is left untouched. */
export class StoreVersionError extends VigilError {
  readonly code = 'STORE_TOO_NEW' as const;
  readonly retryable = false;

  constructor(
    readonly location: string,
    /** Schema version found in the database. */
    readonly found: number,
    /** Newest schema version this build knows. */
    readonly supported: number,
    options?: VigilErrorOptions,
  ) {
    super(
      `the database at ${location} has schema version ${found}, but this Vigil knows versions up to ${supported}: ` +
        'it was upgraded by a newer Vigil. Run that version (or newer), or point storage at another database; ' +
        'nothing was changed',
      options,
    );
  }
}
