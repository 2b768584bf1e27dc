import { describe, expect, it } from 'vitest';
import { MASK, maskUrlPassword, redact } from './redact.js';

describe('redact', () => {
  it('masks secret-looking keys, env-sourced values and passwords in URLs, at any depth', () => {
    const config = {
      url: 'postgres://vigil:hunter2@db:5432/app',
      password: 'hunter2',
      headers: { Authorization: 'Bearer abc', Accept: 'application/json' },
      auth: { username: 'u', password: 'p' },
      list: [{ token: 't' }, 'plain'],
      port: 5432,
      host: 'db.internal',
    };
    expect(redact(config, 'monitors[0].http', new Set(['monitors[0].http.host']))).toEqual({
      url: `postgres://vigil:${MASK}@db:5432/app`,
      password: MASK,
      headers: { Authorization: MASK, Accept: 'application/json' },
      auth: { username: MASK, password: MASK },
      list: [{ token: MASK }, 'plain'],
      port: 5432,
      host: MASK,
    });
  });

  it('leaves URLs without credentials alone', () => {
    expect(maskUrlPassword('https://example.com/a:b@c')).toBe('https://example.com/a:b@c');
    expect(maskUrlPassword('redis://:pw@localhost:6379')).toBe(`redis://:${MASK}@localhost:6379`);
  });
});
