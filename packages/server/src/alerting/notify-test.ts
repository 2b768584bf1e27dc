import type { Clock } from '@vigil/resilience';
import type { AlertMessage } from './alert.js';
import type { BoundNotifier } from './delivery/index.js';
import { sendMessage } from './delivery/index.js';
import type { SendResult } from './notifier.js';

/** How a test message went. */
export interface NotifyTestOutcome {
  readonly message: AlertMessage;
  readonly result: SendResult;
  /** Payloads rendered and sent successfully. */
  readonly sent: number;
  readonly durationMs: number;
}

/**
 * Sends a `test` message through one notifier, now, bypassing the outbox (`vigil notify test`): a made-up
 * monitor `vigil-test` so the receiver shows what a real alert looks like.
 */
export async function notifyTest(
  bound: BoundNotifier,
  clock: Clock,
  signal: AbortSignal,
): Promise<NotifyTestOutcome> {
  const now = clock.now();
  const message: AlertMessage = {
    rule: 'test',
    title: `Test message from Vigil to ${bound.config.id}`,
    events: [
      {
        kind: 'test',
        monitor: { id: 'vigil-test', name: 'Vigil test', group: 'test', tags: [], kind: 'test' },
        status: 'up',
        previousStatus: 'up',
        reason: `vigil notify test ${bound.config.id}: if you can read this, alerts reach you`,
        severity: 'info',
        at: now,
        since: now,
        dedupKey: `vigil/test/${bound.config.id}/${now}`,
      },
    ],
  };
  const outcome = await sendMessage(bound.notifier, bound.config, message, clock, signal);
  return { message, ...outcome };
}
