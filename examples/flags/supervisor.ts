// A FlagSupervisor: two workers switched on and off by feature flags, evaluated through an OpenFeature client.
// The in-memory provider stands in for LaunchDarkly, flagd or the file provider; FakeClock makes it instant.
import { OpenFeature, TypedInMemoryProvider } from '@openfeature/server-sdk';
import { createFlagSupervisor, type TaskContext } from '@vigil/resilience';
import { FakeClock } from '@vigil/resilience/testing';

const flag = (on: boolean) =>
  ({
    variants: { on: true, off: false },
    defaultVariant: on ? 'on' : 'off',
    disabled: false,
  }) as const;

export async function main(): Promise<string[]> {
  const clock = new FakeClock();
  const provider = new TypedInMemoryProvider({
    'sync-orders': flag(true),
    'send-digest': flag(false),
  });
  // A domain of its own: this provider serves only clients of the "example" domain.
  await OpenFeature.setProviderAndWait('example', provider);

  let syncRuns = 0;
  let crashSync: ((error: Error) => void) | undefined;
  const worker = (ctx: TaskContext): Promise<void> =>
    new Promise((resolve, reject) => {
      if (ctx.id === 'orders') {
        syncRuns++;
        crashSync = reject;
      }
      ctx.onStop(resolve); // asked to stop (its flag went off): return
    });

  const flags = createFlagSupervisor({
    id: 'integrations',
    client: OpenFeature.getClient('example'),
    clock,
    children: [
      { id: 'orders', flag: 'sync-orders', task: worker, intensity: 1 }, // one restart, then crashed
      { id: 'digest', flag: 'send-digest', task: worker },
    ],
  });
  const log: string[] = [];
  flags.on('started', (e) => log.push(`started ${e.childId}`));
  flags.on('stopped', (e) => log.push(`stopped ${e.childId} (${e.reason})`));
  flags.on('crashed', (e) => log.push(`crashed ${e.childId}`));

  await flags.start(); // resolves once the flags are evaluated and "orders" runs
  provider.putConfiguration({ 'sync-orders': flag(true), 'send-digest': flag(true) });
  await clock.flush(); // the provider's change event starts "digest" at once

  crashSync?.(new Error('upstream rejected the batch')); // restarted (intensity 1)…
  await clock.flush();
  crashSync?.(new Error('upstream rejected the batch')); // …and now it stays down
  await clock.flush();
  await clock.advance(10_000); // ten polls later: still down, its flag is still on
  log.push(`orders is ${flags.getChild('orders')?.state} after ${syncRuns} runs`);

  // An operator cycles the flag: off forgets the crash, on starts it afresh.
  provider.putConfiguration({ 'sync-orders': flag(false), 'send-digest': flag(true) });
  await clock.flush();
  provider.putConfiguration({ 'sync-orders': flag(true), 'send-digest': flag(true) });
  await clock.flush();
  log.push(`orders is ${flags.getChild('orders')?.state} after ${syncRuns} runs`);

  await flags.stop();
  await OpenFeature.clearProviders();
  return log;
}
