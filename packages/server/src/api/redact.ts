const SECRET_KEY =
  /pass(word)?|secret|token|api[-_]?key|auth(orization)?|credential|private[-_]?key|cookie|routing[-_]?key|webhook/i;

export const MASK = '••••••';

/** `postgres://user:secret@host/db` → `postgres://user:••••••@host/db` (other strings unchanged). */
export function maskUrlPassword(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:)([^@/\s]+)(@)/i, `$1${MASK}$3`);
}

/**
 * A copy of a config value safe to show or log: values under secret-looking keys (password, token, apiKey,
 * authorization, …), values that came from environment variables (`envPaths`, as `monitors[0].http.url`)
 * and passwords inside URLs are masked.
 */
export function redact(
  value: unknown,
  path = '',
  envPaths: ReadonlySet<string> = new Set(),
): unknown {
  if (envPaths.has(path)) return MASK;
  if (typeof value === 'string') return maskUrlPassword(value);
  if (Array.isArray(value)) return value.map((v, i) => redact(v, `${path}[${i}]`, envPaths));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, v]) => {
        const childPath = path === '' ? key : `${path}.${key}`;
        if (SECRET_KEY.test(key) && (typeof v === 'string' || typeof v === 'number'))
          return [key, MASK];
        if (SECRET_KEY.test(key) && v !== null && typeof v === 'object' && !Array.isArray(v)) {
          return [key, Object.fromEntries(Object.keys(v).map((k) => [k, MASK]))];
        }
        return [key, redact(v, childPath, envPaths)];
      }),
    );
  }
  return value;
}
