// One round of the flags benchmark, in its own process; prints one JSON line.
//   event <children> <flags> <samples>   provider change event → children of one flag started/stopped
//   poll <children> <flags> <samples> <pollMs>   the same through polling, for a provider without events
//   eval <children> <flags> <rounds>     one full round of evaluations (what every poll does), and the SDK alone
import {
  OpenFeature,
  TypedInMemoryProvider,
  type EvaluationContext,
  type InMemoryFlagConfiguration,
  type Provider,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import { createFlagSupervisor, type FlagSupervisor, type TaskContext } from '@vigil/resilience';
import { gc } from '../lib/child.js';
import { quantile, round } from '../lib/stats.js';

const [mode, ...args] = process.argv.slice(2);
const idle = (ctx: TaskContext): Promise<void> => new Promise((resolve) => ctx.onStop(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const ON = { variants: { on: true, off: false }, defaultVariant: 'on', disabled: false } as const;
const OFF = { ...ON, defaultVariant: 'off' } as const;

/** The in-memory provider lists as changed the flags whose definition object changed: reuse them. */
function config(values: readonly boolean[]): InMemoryFlagConfiguration {
  const out: InMemoryFlagConfiguration = {};
  values.forEach((on, i) => {
    out[`flag-${i}`] = on ? ON : OFF;
  });
  return out;
}

/** A provider without events, so only polling sees its changes. */
class MapProvider implements Provider {
  readonly metadata = { name: 'bench-map' } as const;
  readonly runsOn = 'server' as const;
  constructor(readonly values: boolean[]) {}
  resolveBooleanEvaluation(
    flag: string,
    fallback: boolean,
    _ctx: EvaluationContext,
  ): Promise<ResolutionDetails<boolean>> {
    const value = this.values[Number(flag.slice(5))];
    return Promise.resolve(value === undefined ? { value: fallback } : { value, reason: 'STATIC' });
  }
  resolveStringEvaluation(): Promise<ResolutionDetails<string>> {
    return Promise.reject(new Error('unused'));
  }
  resolveNumberEvaluation(): Promise<ResolutionDetails<number>> {
    return Promise.reject(new Error('unused'));
  }
  resolveObjectEvaluation<T>(): Promise<ResolutionDetails<T>> {
    return Promise.reject(new Error('unused'));
  }
}

/** `children` children over `flags` flags (child i is governed by flag i % flags), all on. */
async function supervise(
  provider: Provider,
  children: number,
  flags: number,
  pollMs: number,
): Promise<FlagSupervisor> {
  await OpenFeature.setProviderAndWait('bench', provider);
  const sup = createFlagSupervisor({
    client: OpenFeature.getClient('bench'),
    pollMs,
    children: Array.from({ length: children }, (_, i) => ({
      id: `c${i}`,
      flag: `flag-${i % flags}`,
      task: idle,
    })),
  });
  await sup.start();
  return sup;
}

/** Times until every child of `flag` has been started or stopped, after `flip()`. */
function reacted(
  sup: FlagSupervisor,
  flag: string,
  perFlag: number,
  flip: () => void,
): Promise<number> {
  return new Promise((resolve) => {
    let left = perFlag;
    const t0 = performance.now();
    const done = (e: { flag: string }): void => {
      if (e.flag !== flag || --left > 0) return;
      offStarted();
      offStopped();
      resolve(performance.now() - t0);
    };
    const offStarted = sup.on('started', done);
    const offStopped = sup.on('stopped', done);
    flip();
  });
}

async function latency(
  kind: 'event' | 'poll',
  children: number,
  flags: number,
  samples: number,
  pollMs: number,
): Promise<void> {
  const values = new Array<boolean>(flags).fill(true);
  const memory = new TypedInMemoryProvider(config(values));
  const map = new MapProvider([...values]);
  const sup = await supervise(
    kind === 'event' ? memory : map,
    children,
    flags,
    kind === 'event' ? 1000 : pollMs,
  );
  const perFlag = children / flags;
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const i = (s * 37) % flags;
    values[i] = !values[i];
    // Change at a random moment relative to the poll; events come at once anyway.
    await sleep(kind === 'poll' ? Math.random() * pollMs : 50);
    times.push(
      await reacted(sup, `flag-${i}`, perFlag, () => {
        if (kind === 'event') memory.putConfiguration(config(values));
        else map.values[i] = values[i]!;
      }),
    );
  }
  await sup.stop();
  process.stdout.write(
    `${JSON.stringify({ p50: round(quantile(times, 0.5), 3), p99: round(quantile(times, 0.99), 3), max: round(Math.max(...times), 3), samples })}\n`,
  );
}

/** Wall and CPU time of `fn`, in ms. */
async function timed(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const cpu = process.cpuUsage(cpu0);
  return { wall: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000 };
}

async function evaluate(children: number, flags: number, rounds: number): Promise<void> {
  const memory = new TypedInMemoryProvider(config(new Array<boolean>(flags).fill(true)));
  const sup = await supervise(memory, children, flags, Infinity);
  const passes: { wall: number; cpu: number }[] = [];
  // Warm up (JIT; up to 50 rounds or 1 s) and collect the garbage of starting the children, so rounds
  // are measured steady.
  const warm = performance.now();
  for (let r = 0; r < 50 && (r < 2 || performance.now() - warm < 1000); r++) await sup.refresh();
  gc();
  // The round every poll runs: evaluate every flag, act on the children of flags whose answer changed.
  for (let r = 0; r < rounds; r++) passes.push(await timed(() => sup.refresh()));
  if (sup.countChildren().active !== children) throw new Error('not every child is running');
  // The peer: the same evaluations straight through the OpenFeature client, one after another, with the
  // same heap (the children still running).
  const client = OpenFeature.getClient('bench');
  const sdk: { wall: number; cpu: number }[] = [];
  gc();
  for (let r = 0; r < rounds; r++) {
    sdk.push(
      await timed(async () => {
        for (let i = 0; i < flags; i++) await client.getBooleanDetails(`flag-${i}`, true);
      }),
    );
  }
  await sup.stop();
  const med = (xs: { wall: number; cpu: number }[], k: 'wall' | 'cpu'): number =>
    round(
      quantile(
        xs.map((x) => x[k]),
        0.5,
      ),
    );
  process.stdout.write(
    `${JSON.stringify({ ms: med(passes, 'wall'), cpuMs: med(passes, 'cpu'), sdkMs: med(sdk, 'wall'), sdkCpuMs: med(sdk, 'cpu') })}\n`,
  );
}

const n = args.map(Number);
if (mode === 'event') await latency('event', n[0]!, n[1]!, n[2]!, 0);
else if (mode === 'poll') await latency('poll', n[0]!, n[1]!, n[2]!, n[3]!);
else if (mode === 'eval') await evaluate(n[0]!, n[1]!, n[2]!);
else throw new Error(`unknown mode ${mode}`);
