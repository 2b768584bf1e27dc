import type { AuthStatus } from '../types';

/** An HTTP error from the API, with its status and the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 'HTTP',
  ) {
    super(message);
  }
}

export const API = '/api/v1';

/** The CSRF token the server set beside the session cookie; sent back on every change. */
function csrfToken(): string | undefined {
  const match = /(?:^|;\s*)vigil_csrf=([^;]+)/.exec(document.cookie);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = csrfToken();
  if (method !== 'GET' && csrf !== undefined) headers['x-csrf-token'] = csrf;
  const response = await fetch(`${API}${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const json: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.message ?? `${method} ${path} answered ${response.status}`,
      error?.code,
    );
  }
  return json as T;
}

export const getJson = <T>(path: string): Promise<T> => request<T>('GET', path);
export const postJson = <T>(path: string, body?: unknown): Promise<T> =>
  request<T>('POST', path, body ?? {});

export const authStatus = (): Promise<AuthStatus> => getJson<AuthStatus>('/auth/status');

/** The live feed's URL on this page's host (ws: or wss:), resuming after `since` when given. */
export function liveUrl(since?: number): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${API}/live${since === undefined ? '' : `?since=${since}`}`;
}
