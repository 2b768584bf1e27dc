/** `INFO` parsed: section name (lower case, such as `server`, `memory`, `keyspace`) → field → value. */
export type RedisInfo = Record<string, Record<string, string>>;

/**
 * Parses the text of an `INFO` reply: `# Section` headers, then `field:value` lines. Values stay strings
 * (`redis_version: '7.0.15'`, `db0: 'keys=1,expires=0,avg_ttl=0'`); fields before any header go to `''`.
 */
export function parseInfo(text: string): RedisInfo {
  const info: RedisInfo = {};
  let section: Record<string, string> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') continue;
    if (line.startsWith('#')) {
      section = info[line.slice(1).trim().toLowerCase()] ??= {};
      continue;
    }
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    section ??= info[''] ??= {};
    section[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return info;
}
