// The examples in docs/notifiers.md are real: every YAML block of a notifier's section validates with the
// notifier's schema, every notifier has a section, and every config key is documented.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { notifierTypes, type NotifierType } from '../src/alerting/index.js';

const doc = readFileSync(join(process.cwd(), 'docs/notifiers.md'), 'utf8');
const env: Record<string, string> = {
  TELEGRAM_BOT_TOKEN: '123456:ABC-def',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x',
  DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/x',
  TEAMS_WORKFLOW_URL: 'https://prod.logic.azure.com/workflows/x?sig=y',
};

/** The text of `## <type>` up to the next `## ` heading. */
function section(type: string): string {
  const start = doc.indexOf(`\n## ${type}\n`);
  if (start < 0) return '';
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** The `notifiers:` entries of each YAML block in `text`, with `${VAR}` filled. */
function entries(text: string): Record<string, unknown>[] {
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].flatMap((m) => {
    const yaml = (m[1] ?? '').replace(
      /\$\{(\w+)\}/g,
      (_all, name: string) => env[name] ?? 'secret-value',
    );
    return (parse(yaml) as { notifiers: Record<string, unknown>[] }).notifiers;
  });
}

/** The keys of a schema (an object, possibly refined or transformed). */
function keysOf(schema: unknown): string[] {
  const s = schema as { shape?: Record<string, unknown>; in?: unknown };
  if (s.shape !== undefined) return Object.keys(s.shape);
  return s.in === undefined ? [] : keysOf(s.in);
}

function check(entry: Record<string, unknown>): string[] {
  const { id, type, ...rest } = entry;
  if (typeof id !== 'string') return ['no id'];
  if (!(String(type) in notifierTypes)) return [`unknown type ${String(type)}`];
  const result = notifierTypes[type as NotifierType].schema.safeParse(rest);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

it('the opening example is valid', () => {
  const opening = doc.slice(0, doc.indexOf('\n## '));
  const all = entries(opening);
  expect(all.length).toBeGreaterThan(0);
  for (const entry of all) expect(check(entry)).toEqual([]);
});

describe.each(Object.keys(notifierTypes))('docs/notifiers.md, section %s', (type) => {
  const text = section(type);

  it('has an example of this type, and it validates', () => {
    const all = entries(text);
    expect(all.length).toBeGreaterThan(0);
    for (const entry of all) {
      expect(entry.type).toBe(type);
      expect(check(entry)).toEqual([]);
    }
  });

  it('documents every key', () => {
    const keys = keysOf(notifierTypes[type as NotifierType].schema);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(text, `key ${key}`).toMatch(new RegExp(`\\| \`${key}[.\`]`));
  });
});
