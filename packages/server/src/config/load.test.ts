import { describe, expect, it } from 'vitest';
import { configProblems, loadTestConfig } from '../../test/config-load.js';
import { checkKinds } from '../checks/index.js';

const load = (text: string, env: Record<string, string> = {}) => loadTestConfig(text, { env });
const problems = (text: string, env: Record<string, string> = {}) => configProblems(text, { env });

describe('loadConfig', () => {
  it('applies defaults, then per-monitor settings, and freezes the result', () => {
    const config = load(`
defaults:
  interval: 30s
  failureThreshold: 2
monitors:
  - id: db
    tcp: { host: 127.0.0.1, port: 5432 }
  - id: cache
    name: Cache
    group: infra
    interval: 1m30s
    timeout: 2s
    retry: { initial: 1s, jitter: none }
    tcp: { host: 127.0.0.1, port: 6379 }
`);
    const [db, cache] = config.monitors;
    expect(db).toMatchObject({
      id: 'db',
      name: 'db',
      group: 'default',
      kind: 'tcp',
      intervalMs: 30_000,
      timeoutMs: 10_000,
      failureThreshold: 2,
      successThreshold: 1,
      retry: { initialMs: 5000, maxMs: 30_000, factor: 2, jitter: 'equal' },
      maxAttempts: 0,
      onExhausted: 'keep',
      check: { host: '127.0.0.1', port: 5432, tls: false, maxBytes: 65536 },
    });
    expect(cache).toMatchObject({
      name: 'Cache',
      group: 'infra',
      intervalMs: 90_000,
      timeoutMs: 2000,
    });
    expect(cache?.retry).toEqual({ initialMs: 1000, maxMs: 90_000, factor: 2, jitter: 'none' });
    expect(config.groups.map((g) => g.id)).toEqual(['default', 'infra']);
    expect(config.storage).toEqual({ type: 'sqlite', path: './data/vigil.db' });
    expect(Object.isFrozen(config.monitors[0])).toBe(true);
  });

  it('an empty file is a valid config with no monitors', () => {
    expect(load('').monitors).toEqual([]);
  });

  it('reports every problem at once, each with its path and file:line:column', () => {
    const text = `monitors:
  - id: api
    intervall: 30s
    tcp:
      host: 127.0.0.1
      port: "eighty"
  - id: api
    interval: soon
    tcp: { host: h, port: 1 }
  - id: lonely
  - id: both
    tcp: { host: h, port: 1 }
    dependsOn: [ghost]
    onExhausted: sometimes
`;
    expect(problems(text)).toEqual([
      'monitors[0].tcp.port: expected a number, got "eighty" (vigil.yaml:6:13)',
      'monitors[0].intervall: unknown key "intervall"; did you mean "interval"? (vigil.yaml:3:5)',
      'monitors[1].interval: "soon" is not a duration; write e.g. 30s, 5m, 1h30m, 250ms or a number of ms (vigil.yaml:8:15)',
      'monitors[3].onExhausted: "sometimes" is not one of "keep", "block" (vigil.yaml:14:18)',
      'monitors[1].id: duplicate monitor id "api" (first at monitors[0]) (vigil.yaml:7:9)',
      `monitors[2]: monitor "lonely" has no check; add one of: ${Object.keys(checkKinds).join(', ')} (vigil.yaml:10:5)`,
      'monitors[3].dependsOn[0]: unknown monitor "ghost" (vigil.yaml:13:17)',
    ]);
  });

  it('reports cross-field problems: duplicates, missing or extra checks, dependencies, timeouts', () => {
    const text = `monitors:
  - id: a
    tcp: { host: h, port: 1 }
    dependsOn: [ghost, a]
  - id: a
    tcp: { host: h, port: 1 }
  - id: none
  - id: slow
    interval: 5s
    timeout: 10s
    tcp: { host: h, port: 1 }
`;
    expect(problems(text)).toEqual([
      'monitors[3].timeout: timeout (10s) must not exceed interval (5s) (vigil.yaml:10:14)',
      'monitors[1].id: duplicate monitor id "a" (first at monitors[0]) (vigil.yaml:5:9)',
      `monitors[2]: monitor "none" has no check; add one of: ${Object.keys(checkKinds).join(', ')} (vigil.yaml:7:5)`,
      'monitors[0].dependsOn[0]: unknown monitor "ghost" (vigil.yaml:4:17)',
      'monitors[0].dependsOn[1]: monitor "a" cannot depend on itself (vigil.yaml:4:24)',
    ]);
  });

  it('finds dependency cycles', () => {
    const text = `monitors:
  - { id: a, dependsOn: [b], tcp: { host: h, port: 1 } }
  - { id: b, dependsOn: [c], tcp: { host: h, port: 1 } }
  - { id: c, dependsOn: [a], tcp: { host: h, port: 1 } }
`;
    expect(problems(text)).toEqual([
      'monitors[0].dependsOn: dependency cycle: a → b → c → a (vigil.yaml:2:25)',
    ]);
  });

  it('substitutes ${VAR} and ${VAR:-default}, remembers which values came from the environment', () => {
    const config = load(
      `monitors:
  - id: db
    tcp: { host: "\${DB_HOST}", port: 5432, send: "AUTH \${TOKEN:-none} $$1" }
`,
      { DB_HOST: 'db.internal' },
    );
    expect(config.monitors[0]?.check).toMatchObject({ host: 'db.internal', send: 'AUTH none $1' });
    expect([...config.envPaths]).toEqual(['monitors[0].tcp.host', 'monitors[0].tcp.send']);
  });

  it('names an unset environment variable and where it is used', () => {
    expect(problems('monitors:\n  - id: db\n    tcp: { host: "${DB_HOST}", port: 1 }\n')).toEqual([
      'monitors[0].tcp.host: environment variable DB_HOST is not set; set it, or give a default with ${DB_HOST:-default} (vigil.yaml:3:18)',
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    const [issue] = problems('monitors:\n  - id: a\n   bad: [\n');
    expect(issue).toMatch(/^YAML: .+ \(vigil\.yaml:\d+:\d+\)$/);
  });

  it('rejects unknown top-level sections with a hint', () => {
    expect(problems('monitor: []\n')).toEqual([
      'monitor: unknown key "monitor"; did you mean "monitors"? (vigil.yaml:1:1)',
    ]);
  });
});
