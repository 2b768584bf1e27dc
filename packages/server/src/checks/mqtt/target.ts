import type { IClientOptions } from 'mqtt';
import type { MqttCheckConfig } from './schema.js';

const defaultPorts: Readonly<Record<string, number>> = {
  'mqtt:': 1883,
  'mqtts:': 8883,
  'ws:': 80,
  'wss:': 443,
};

/** Where and how to connect, resolved once from the config. */
export interface MqttTarget {
  /** The broker URL without credentials (they go in the options). */
  readonly url: string;
  /** `host:port` for messages: never the credentials. */
  readonly label: string;
  /** Connection options from the config (credentials, TLS, protocol version). */
  readonly options: Readonly<IClientOptions>;
}

/** Resolves the config's URL or host fields into a URL and options. */
export function mqttTarget(config: MqttCheckConfig): MqttTarget {
  const url = config.url === undefined ? fromHost(config) : new URL(config.url);
  const port = url.port === '' ? (defaultPorts[url.protocol] ?? 1883) : Number(url.port);
  const username = config.username ?? decoded(url.username);
  const password = config.password ?? decoded(url.password);
  url.username = '';
  url.password = '';
  url.port = String(port);
  const tls = typeof config.tls === 'object' ? config.tls : {};
  return {
    url: url.toString(),
    label: `${url.hostname}:${port}`,
    options: {
      protocolVersion: config.protocolVersion,
      // MQTT 3.1 names its protocol differently; 3.1.1 and 5 say 'MQTT'.
      protocolId: config.protocolVersion === 3 ? 'MQIsdp' : 'MQTT',
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
      ...tls,
    },
  };
}

function fromHost(config: MqttCheckConfig): URL {
  const tlsOn = config.tls !== undefined && config.tls !== false;
  const host = (config.host ?? '').includes(':') ? `[${config.host ?? ''}]` : (config.host ?? '');
  const url = new URL(`${tlsOn ? 'mqtts' : 'mqtt'}://${host}`);
  if (config.port !== undefined) url.port = String(config.port);
  return url;
}

function decoded(part: string): string | undefined {
  return part === '' ? undefined : decodeURIComponent(part);
}
