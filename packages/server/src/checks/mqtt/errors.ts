import { formatDuration } from '../../config/index.js';
import type { CheckContext } from '../check-kind.js';
import { describeError } from '../result.js';
import type { RoundTripStage } from './session.js';

/** What the check was doing when the error came. */
export type MqttStage = 'connect' | { readonly stage: RoundTripStage; readonly topic: string };

/** A specific, human message for an error met while checking an MQTT broker. Never names the password. */
export function describeMqttError(
  error: unknown,
  label: string,
  stage: MqttStage,
  ctx: CheckContext,
): string {
  if (ctx.signal.aborted && stage !== 'connect') {
    const limit = formatDuration(ctx.timeoutMs);
    return `timed out after ${limit} ${stage.stage} "${stage.topic}" (${label})`;
  }
  if (ctx.signal.aborted || !(error instanceof Error)) return describeError(error, label, ctx);
  const code = (error as { code?: unknown }).code;
  if (error.name === 'SubscriptionRefused')
    return `${label} refused the subscription to "${error.message}"`;
  // mqtt.js fails in-flight requests with 'Connection closed' when the socket goes.
  if (error.name === 'ClosedByBroker' || error.message === 'Connection closed')
    return closedMessage(label, stage);
  if (stage !== 'connect' && error.message.startsWith('Subscribe error'))
    return `${label} refused the subscription to "${stage.topic}" (${error.message.replace(/^Subscribe error:\s*/, '').toLowerCase()})`;
  if (typeof code === 'number') return refusal(error.message, code, label, stage);
  if (stage === 'connect' && code === undefined)
    return `${label} did not answer with MQTT (${error.message})`;
  return describeError(error, label, ctx);
}

function closedMessage(label: string, stage: MqttStage): string {
  return stage === 'connect'
    ? `${label} closed the connection before accepting it (is it an MQTT broker?)`
    : `${label} closed the connection while ${stage.stage} "${stage.topic}"`;
}

/** A CONNACK (or v5 PUBACK/SUBACK) reason code. */
function refusal(message: string, code: number, label: string, stage: MqttStage): string {
  const reason = message.replace(/^(Connection refused|publish error|subscribe error):\s*/i, '');
  const what = reason.charAt(0).toLowerCase() + reason.slice(1);
  if (stage === 'connect') return `${label} refused the connection: ${what} (CONNACK ${code})`;
  const request = stage.stage === 'subscribing to' ? 'the subscription to' : 'the publish to';
  return `${label} refused ${request} "${stage.topic}": ${what} (reason code ${code})`;
}
