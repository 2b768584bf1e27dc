/** A row as a back end returns it: column name → value (numbers, strings, byte arrays, nulls). */
export type Row = Record<string, unknown>;

/**
 * Row-level access to every table, in key order, for copying one store into another
 * ({@link migrateStore}). Writes are idempotent, so a copy can be re-run or resumed.
 */
export interface TableTransfer {
  /** Tables in copy order (referenced tables first). */
  readonly tables: readonly string[];
  count(table: string): Promise<number>;
  /** Up to `limit` rows after the key `after` (null: from the start), and the key of the last one. */
  read(
    table: string,
    after: readonly unknown[] | null,
    limit: number,
  ): Promise<{ rows: Row[]; last: unknown[] | null }>;
  /** Inserts rows keeping their ids; a row already there is overwritten. */
  write(table: string, rows: readonly Row[]): Promise<void>;
  /** After a copy: moves id sequences past the copied ids. */
  finish(): Promise<void>;
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string | null): Promise<void>;
}
