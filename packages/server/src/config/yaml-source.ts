import {
  isMap,
  isScalar,
  isPair,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
} from 'yaml';
import type { ConfigIssue } from './config-error.js';
import { formatPath } from './config-error.js';

/** A parsed YAML config that can point back at lines: every issue names file:line:column. */
export interface YamlSource {
  readonly file: string;
  readonly doc: Document;
  readonly value: unknown;
  /** Paths (as formatted strings) whose values came from `${ENV}` substitution: secrets. */
  readonly envPaths: ReadonlySet<string>;
  readonly issues: ConfigIssue[];
  /** Line and column of the node at `path`, or of its nearest existing ancestor. */
  locate(path: readonly PropertyKey[], key?: string): { line: number; column: number } | undefined;
}

const ENV_REF = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Parses YAML text, substitutes `${VAR}` / `${VAR:-default}` in string values from `env` (`$$` is a
 * literal `$`), and records positions so validation errors can name lines.
 */
export function parseYamlSource(
  text: string,
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: true,
  });
  const issues: ConfigIssue[] = [];
  const pos = (offset: number): { line: number; column: number } => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  for (const error of doc.errors) {
    issues.push({
      path: '',
      message: `YAML: ${error.message.split('\n')[0] ?? error.code}`,
      file,
      ...pos(error.pos[0]),
    });
  }
  const envPaths = new Set<string>();
  if (issues.length === 0) {
    visit(doc, {
      Scalar(_key, node, path) {
        if (typeof node.value !== 'string' || !node.value.includes('$')) return;
        let substituted = false as boolean;
        node.value = node.value.replace(
          ENV_REF,
          (all, name: string | undefined, fallback: string | undefined) => {
            if (all === '$$') return '$';
            substituted = true;
            const value = env[name ?? ''];
            if (value !== undefined && value !== '') return value;
            if (fallback !== undefined) return fallback;
            issues.push({
              path: formatPath(pathOf([...path, node])),
              message: `environment variable ${name} is not set; set it, or give a default with \${${name}:-default}`,
              file,
              ...(node.range ? pos(node.range[0]) : {}),
            });
            return '';
          },
        );
        if (substituted) envPaths.add(formatPath(pathOf([...path, node])));
      },
    });
  }
  const value: unknown = issues.length === 0 ? doc.toJS({ maxAliasCount: 100 }) : undefined;

  function locate(
    path: readonly PropertyKey[],
    key?: string,
  ): { line: number; column: number } | undefined {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as Node | null | undefined;
      if (node === undefined || node === null) continue;
      if (key !== undefined && n === path.length && isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
        const range = pair !== undefined && isScalar(pair.key) ? pair.key.range : undefined;
        if (range) return pos(range[0]);
      }
      if (node.range) return pos(node.range[0]);
    }
    return undefined;
  }
  return { file, doc, value, envPaths, issues, locate };
}

/** The key path of a visited node, from the ancestors `visit` passes. */
function pathOf(ancestors: readonly unknown[]): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let i = 0; i < ancestors.length; i++) {
    const node = ancestors[i];
    if (isPair(node) && isScalar(node.key)) path.push(String(node.key.value));
    else if (node !== null && typeof node === 'object' && 'items' in node && !isMap(node)) {
      const next = ancestors[i + 1];
      const items = (node as { items: unknown[] }).items;
      const index = next === undefined ? -1 : items.indexOf(next);
      if (index >= 0) path.push(index);
    }
  }
  return path;
}
