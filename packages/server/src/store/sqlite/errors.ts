import { StoreOpenError, StoreUnavailableError } from '../errors/index.js';

const hints: Readonly<Record<string, string>> = {
  SQLITE_FULL: 'the disk is full; free space on it or move storage.path to a larger disk',
  ENOSPC: 'the disk is full; free space on it or move storage.path to a larger disk',
  SQLITE_READONLY:
    'the database is read-only; make the file and its directory writable, or move storage.path',
  SQLITE_READONLY_DIRECTORY: 'its directory is read-only; make it writable or move storage.path',
  SQLITE_CANTOPEN:
    'the file cannot be opened or created; check that its directory exists and is writable',
  SQLITE_PERM: 'permission denied; check the owner and mode of the file and its directory',
  EACCES: 'permission denied; check the owner and mode of the directory, or move storage.path',
  EPERM: 'permission denied; check the owner and mode of the directory, or move storage.path',
  EROFS: 'the file system is read-only; move storage.path to a writable disk',
  ENOTDIR: 'a part of the path is a file, not a directory; fix storage.path',
  SQLITE_CORRUPT: 'the file is damaged; restore a backup or move it aside to start afresh',
  SQLITE_NOTADB: 'the file is not an SQLite database; fix storage.path',
};

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A clear, typed error naming the database file for an error SQLite or the file system raised. */
export function describeSqliteError(error: unknown, path: string, doing: string): Error {
  const code = codeOf(error);
  if (code === undefined) return error instanceof Error ? error : new Error(String(error));
  const message = error instanceof Error ? error.message : String(error);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new StoreUnavailableError(
      `SQLite database ${path} is locked by another process while ${doing} (${code}); is another Vigil using it?`,
      path,
      { cause: error },
    );
  const base = code.startsWith('SQLITE_IOERR') ? 'SQLITE_IOERR' : code;
  const hint =
    hints[code] ??
    hints[base] ??
    (code.startsWith('SQLITE_READONLY') ? hints.SQLITE_READONLY : undefined) ??
    (base === 'SQLITE_IOERR'
      ? 'the disk reported an I/O error; check it (dmesg) and its free space'
      : undefined);
  if (hint === undefined) return error instanceof Error ? error : new Error(message);
  return new StoreOpenError(
    `SQLite database ${path}: ${hint} (${code} while ${doing}: ${message})`,
    path,
    {
      cause: error,
    },
  );
}
