import { describe, expect, it } from 'vitest';
import { exampleEnv, yamlExamples } from '../../../test/doc-examples.js';
import { schemaIssues } from '../../../test/check-harness.js';
import { loadConfig } from '../../config/index.js';
import { checkKinds } from '../registry.js';
import { amqp } from './index.js';

describe('amqp config', () => {
  it('rejects bad config naming the field', () => {
    expect(schemaIssues(amqp, {})).toEqual([': set either url or host']);
    expect(schemaIssues(amqp, { url: 'http://rabbit', port: 0 })).toEqual([
      'url: must be an amqp:// or amqps:// URL with a host, e.g. amqp://user:pass@rabbit:5672/vhost',
      'port: Too small: expected number to be >=1',
      'port: cannot be set beside url',
    ]);
    expect(schemaIssues(amqp, { url: 'amqp://h', host: 'h', vhost: 'v', tls: true })).toEqual([
      ': set either url or host',
      'host: cannot be set beside url',
      'vhost: cannot be set beside url',
      'tls: TLS needs an amqps:// url',
    ]);
    expect(schemaIssues(amqp, { host: 'h', queue: { maxMessages: -1, bogus: 1 } })).toEqual([
      'queue.name: Invalid input: expected string, received undefined',
      'queue.maxMessages: Too small: expected number to be >=0',
      'queue: Unrecognized key: "bogus"',
    ]);
    expect(
      schemaIssues(amqp, { host: 'h', queue: { name: 'q', severity: 'warn', minConsumers: 1.5 } }),
    ).toEqual([
      'queue.minConsumers: Invalid input: expected int, received number',
      'queue.severity: Invalid option: expected one of "fail"|"degraded"',
    ]);
    expect(schemaIssues(amqp, { host: 'h', pasword: 'x' })).toEqual([
      ': Unrecognized key: "pasword"',
    ]);
  });

  it('never repeats a URL (it may hold a password) in its errors', () => {
    const issues = schemaIssues(amqp, { url: 'amqp://user:s3cret@h:99999' });
    expect(issues).toHaveLength(1);
    expect(issues.join()).not.toContain('s3cret');
  });

  it('loads the examples of its section in docs/checks.md', () => {
    const examples = yamlExamples('amqp');
    expect(examples.length).toBeGreaterThan(0);
    for (const yaml of examples) {
      const config = loadConfig(yaml, {
        file: 'checks.md',
        dir: '/',
        env: exampleEnv(yaml),
        kinds: checkKinds,
      });
      expect(config.monitors.every((m) => m.kind === 'amqp')).toBe(true);
    }
  });
});
