import { abortable, type Clock } from '@vigil/resilience';
import type { NotifierConfig } from '../../config/index.js';
import type { AlertMessage } from '../alert.js';
import type { Notifier, SendResult } from '../notifier.js';

/** How sending one message went: the last send's result (the first failure, if any) and how long it took. */
export interface MessageOutcome {
  readonly result: SendResult;
  /** Payloads sent successfully before the result. */
  readonly sent: number;
  readonly durationMs: number;
}

/**
 * Renders a message with the notifier and sends each payload in turn, each within the notifier's
 * timeout — even a `send` that ignores its signal is abandoned at the timeout. Never throws: a `render`
 * that throws is a failure that retrying cannot fix; an aborted or thrown `send` is one that it may.
 */
export async function sendMessage(
  notifier: Notifier,
  config: NotifierConfig,
  message: AlertMessage,
  clock: Clock,
  signal: AbortSignal,
): Promise<MessageOutcome> {
  const started = clock.monotonic();
  const done = (result: SendResult, sent: number): MessageOutcome => ({
    result,
    sent,
    durationMs: clock.monotonic() - started,
  });
  let payloads: readonly unknown[];
  try {
    payloads = notifier.render(message, config.settings);
  } catch (error) {
    return done(
      {
        ok: false,
        retryable: false,
        error: `${config.id}: render failed: ${(error as Error).message}`,
      },
      0,
    );
  }
  let last: SendResult = { ok: true, detail: 'nothing to send' };
  for (let i = 0; i < payloads.length; i++) {
    last = await sendOne(notifier, config, payloads[i], clock, signal);
    if (!last.ok) return done(last, i);
  }
  return done(last, payloads.length);
}

async function sendOne(
  notifier: Notifier,
  config: NotifierConfig,
  payload: unknown,
  clock: Clock,
  outer: AbortSignal,
): Promise<SendResult> {
  const controller = new AbortController();
  const onOuter = (): void => controller.abort(outer.reason);
  outer.addEventListener('abort', onOuter, { once: true });
  const timer = clock.setTimer(config.timeoutMs, () =>
    controller.abort(new Error(`timed out after ${config.timeoutMs} ms`)),
  );
  try {
    if (outer.aborted) controller.abort(outer.reason);
    const sending = Promise.resolve().then(() =>
      notifier.send(payload, config.settings, { signal: controller.signal, clock }),
    );
    return await abortable(sending, controller.signal);
  } catch (error) {
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
    return {
      ok: false,
      retryable: true,
      error: `${config.id}: ${reason instanceof Error ? reason.message : String(reason)}`,
    };
  } finally {
    timer.cancel();
    outer.removeEventListener('abort', onOuter);
  }
}
