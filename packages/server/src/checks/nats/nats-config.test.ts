import { describe, expect, it } from 'vitest';
import { exampleEnv, yamlExamples } from '../../../test/doc-examples.js';
import { schemaIssues } from '../../../test/check-harness.js';
import { loadConfig } from '../../config/index.js';
import { checkKinds } from '../registry.js';
import { nats } from './index.js';

describe('nats config', () => {
  it('rejects bad config naming the field', () => {
    expect(schemaIssues(nats, {})).toEqual([': set either url or servers']);
    expect(schemaIssues(nats, { url: 'http://h', servers: [] })).toEqual([
      'url: must be host:port or a nats:// or tls:// URL without credentials (use user/password or token)',
      'servers: Too small: expected array to have >=1 items',
      ': set either url or servers',
    ]);
    expect(schemaIssues(nats, { url: 'nats://u:secret@h' })).toEqual([
      'url: must be host:port or a nats:// or tls:// URL without credentials (use user/password or token)',
    ]);
    expect(
      schemaIssues(nats, {
        url: 'h',
        token: 't',
        user: 'u',
        request: { subject: 'a.*' },
        roundTrip: { subject: 'a..b' },
      }),
    ).toEqual([
      'request.subject: must be a subject without wildcards (* or >), spaces or empty tokens, e.g. svc.health',
      'roundTrip.subject: must be a subject without wildcards (* or >), spaces or empty tokens, e.g. svc.health',
      'roundTrip: set request or roundTrip, not both',
      'token: set user/password or token, not both',
    ]);
    expect(
      schemaIssues(nats, { url: 'h', password: 'p', request: { subject: 'ok', expect: '' } }),
    ).toEqual([
      'request.expect: Too small: expected string to have >=1 characters',
      'password: a password needs a user',
    ]);
  });

  it('loads the examples of its section in docs/checks.md', () => {
    const examples = yamlExamples('nats');
    expect(examples.length).toBeGreaterThan(0);
    for (const yaml of examples) {
      const config = loadConfig(yaml, {
        file: 'checks.md',
        dir: '/',
        env: exampleEnv(yaml),
        kinds: checkKinds,
      });
      expect(config.monitors.every((m) => m.kind === 'nats')).toBe(true);
    }
  });
});
