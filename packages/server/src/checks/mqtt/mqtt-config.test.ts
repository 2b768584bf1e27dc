import { describe, expect, it } from 'vitest';
import { exampleEnv, yamlExamples } from '../../../test/doc-examples.js';
import { schemaIssues } from '../../../test/check-harness.js';
import { loadConfig } from '../../config/index.js';
import { checkKinds } from '../registry.js';
import { mqtt } from './index.js';

describe('mqtt config', () => {
  it('rejects bad config naming the field', () => {
    expect(schemaIssues(mqtt, {})).toEqual([': set either url or host']);
    expect(schemaIssues(mqtt, { url: 'http://h' })).toEqual([
      'url: must be an mqtt://, mqtts://, ws:// or wss:// URL with a host, e.g. mqtt://broker:1883',
    ]);
    expect(schemaIssues(mqtt, { host: 'h', roundTrip: { topic: 'a/+/b', qos: 3 } })).toEqual([
      'roundTrip.topic: must be a topic name without the wildcards + and # (it is published to)',
      'roundTrip.qos: must be 0, 1 or 2',
    ]);
    expect(schemaIssues(mqtt, { host: 'h', protocolVersion: 6 })).toEqual([
      'protocolVersion: must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0)',
    ]);
    expect(schemaIssues(mqtt, { url: 'mqtt://h', port: 1, tls: true })).toEqual([
      'port: cannot be set beside url',
      'tls: TLS needs an mqtts:// or wss:// url',
    ]);
    expect(schemaIssues(mqtt, { host: 'h', password: 'p' })).toEqual([
      'password: a password needs a username',
    ]);
    expect(schemaIssues(mqtt, { host: 'h', roundTrip: {}, clientid: 'x' })).toEqual([
      'roundTrip.topic: Invalid input: expected string, received undefined',
      ': Unrecognized key: "clientid"',
    ]);
  });

  it('loads the examples of its section in docs/checks.md', () => {
    const examples = yamlExamples('mqtt');
    expect(examples.length).toBeGreaterThan(0);
    for (const yaml of examples) {
      const config = loadConfig(yaml, {
        file: 'checks.md',
        dir: '/',
        env: exampleEnv(yaml),
        kinds: checkKinds,
      });
      expect(config.monitors.every((m) => m.kind === 'mqtt')).toBe(true);
    }
  });
});
