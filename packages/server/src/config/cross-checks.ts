/** Reports a problem at a config path. */
export type Problem = (path: PropertyKey[], message: string) => void;

type RawMonitorLike = Readonly<Record<string, unknown>> & {
  readonly id?: unknown;
  readonly dependsOn?: unknown;
};

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};

/**
 * Checks that span monitors — unique ids, exactly one check each, `dependsOn` references and cycles —
 * on the raw parsed YAML, so they are reported together with schema errors rather than after them.
 */
export function crossChecks(raw: unknown, kindNames: readonly string[], problem: Problem): void {
  const monitors: RawMonitorLike[] = list(record(raw).monitors).map(record);
  const index = new Map<string, number>();
  monitors.forEach((m, i) => {
    if (typeof m.id !== 'string') return;
    const first = index.get(m.id);
    if (first !== undefined)
      problem(
        ['monitors', i, 'id'],
        `duplicate monitor id "${m.id}" (first at monitors[${first}])`,
      );
    else index.set(m.id, i);
    const present = kindNames.filter((k) => m[k] !== undefined);
    if (present.length === 0)
      problem(
        ['monitors', i],
        `monitor "${m.id}" has no check; add one of: ${kindNames.join(', ')}`,
      );
    if (present.length > 1) {
      problem(
        ['monitors', i],
        `monitor "${m.id}" has ${present.length} checks (${present.join(', ')}); a monitor has exactly one`,
      );
    }
  });
  const groups = list(record(raw).groups).map(record);
  const groupIds = new Set<unknown>();
  groups.forEach((g, i) => {
    if (groupIds.has(g.id)) problem(['groups', i, 'id'], `duplicate group id "${String(g.id)}"`);
    groupIds.add(g.id);
  });
  checkDependencies(monitors, index, problem);
}

function checkDependencies(
  monitors: readonly RawMonitorLike[],
  index: ReadonlyMap<string, number>,
  problem: Problem,
): void {
  const parents = (m: RawMonitorLike): string[] =>
    list(m.dependsOn).filter((p): p is string => typeof p === 'string');
  monitors.forEach((m, i) => {
    list(m.dependsOn).forEach((parent, j) => {
      if (typeof parent !== 'string') return;
      if (parent === m.id)
        problem(['monitors', i, 'dependsOn', j], `monitor "${parent}" cannot depend on itself`);
      else if (!index.has(parent))
        problem(['monitors', i, 'dependsOn', j], `unknown monitor "${parent}"`);
    });
  });
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(id)), id];
      problem(
        ['monitors', index.get(id) ?? 0, 'dependsOn'],
        `dependency cycle: ${cycle.join(' → ')}`,
      );
      return;
    }
    state.set(id, 'visiting');
    const m = monitors[index.get(id) ?? -1];
    for (const parent of m === undefined ? [] : parents(m))
      if (index.has(parent) && parent !== id) visit(parent, [...trail, id]);
    state.set(id, 'done');
  };
  for (const id of index.keys()) visit(id, []);
}
