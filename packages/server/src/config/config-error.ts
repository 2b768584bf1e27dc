/** One problem found in a config file. */
export interface ConfigIssue {
  /** Where in the config, e.g. `monitors[3].http.url`; empty for the whole file. */
  readonly path: string;
  /** What is wrong and, where it helps, how to fix it. */
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/** `monitors[3].http.url: "htp:/x" is not a URL (vigil.yaml:14:12)` */
export function formatIssue(issue: ConfigIssue): string {
  const where =
    issue.file === undefined
      ? ''
      : ` (${issue.file}${issue.line === undefined ? '' : `:${issue.line}:${issue.column ?? 1}`})`;
  return `${issue.path === '' ? '' : `${issue.path}: `}${issue.message}${where}`;
}

/** A config that cannot be used: every problem found, not just the first. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';

  constructor(
    readonly issues: readonly ConfigIssue[],
    readonly file?: string,
  ) {
    super(
      `${file ?? 'config'} has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

export function isConfigError(value: unknown): value is ConfigError {
  return value instanceof Error && (value as { code?: unknown }).code === 'CONFIG_INVALID';
}

/** `['monitors', 3, 'http', 'url']` → `monitors[3].http.url` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
