import { defineCheckKind, type CheckContext, type CheckResult } from '../check-kind.js';
import { probeToken } from '../probe-token.js';
import { elapsed, failed, ok } from '../result.js';
import { describeMqttError, type MqttStage } from './errors.js';
import { mqttSchema, type MqttCheckConfig } from './schema.js';
import { endClient, openClient, roundTrip } from './session.js';
import { mqttTarget, type MqttTarget } from './target.js';

export { mqttSchema, type MqttCheckConfig } from './schema.js';

const versions = { 3: '3.1', 4: '3.1.1', 5: '5.0' } as const;

/**
 * `mqtt`: connects to an MQTT broker (a fresh, clean session per run, never reconnecting) and optionally
 * makes a round trip: subscribe, publish a unique payload and pass when it comes back.
 */
export const mqtt = defineCheckKind({
  name: 'mqtt',
  description: 'connect to an MQTT broker; optionally publish a message and receive it back',
  schema: mqttSchema,
  create(config, _deps, monitorId) {
    const target = mqttTarget(config);
    let runs = 0;
    return { run: (ctx) => runMqtt(config, target, monitorId, runs++, ctx) };
  },
});

/** The run's identity: a client id (unless configured) and a round-trip payload, both unique. */
function identity(config: MqttCheckConfig, monitorId: string, run: number, ctx: CheckContext) {
  const token = probeToken(ctx.clock, monitorId, run);
  const clientId =
    config.clientId ??
    // MQTT 3.1 brokers may refuse client ids longer than 23 characters.
    (config.protocolVersion === 3 ? `vigil-${token}` : `vigil-${monitorId}-${token}`);
  return { clientId, payload: `vigil ${monitorId} ${token}` };
}

async function runMqtt(
  config: MqttCheckConfig,
  target: MqttTarget,
  monitorId: string,
  run: number,
  ctx: CheckContext,
): Promise<CheckResult> {
  const start = ctx.clock.monotonic();
  const { clientId, payload } = identity(config, monitorId, run, ctx);
  const { client, connected } = openClient(target, clientId, ctx);
  const version = `MQTT ${versions[config.protocolVersion]}`;
  const details = { clientId, protocol: version };
  let stage: MqttStage = 'connect';
  try {
    await connected;
    const connect = elapsed(ctx, start);
    const probe = config.roundTrip;
    if (probe === undefined)
      return ok(`connected to ${target.label} (${version})`, connect, {
        phases: { connect },
        details,
      });
    await roundTrip(client, probe, payload, ctx, (s) => (stage = { stage: s, topic: probe.topic }));
    const total = elapsed(ctx, start);
    const phases = { connect, roundTrip: Math.round((total - connect) * 100) / 100 };
    const message = `message on "${probe.topic}" came back in ${phases.roundTrip}ms (${target.label}, QoS ${probe.qos})`;
    return ok(message, total, { phases, details });
  } catch (error) {
    return failed(describeMqttError(error, target.label, stage, ctx), elapsed(ctx, start), {
      details,
    });
  } finally {
    await endClient(client);
  }
}
