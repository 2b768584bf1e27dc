import type { Listener } from '../../events/index.js';
import type { TaskContext, Task } from '../../supervision/index.js';
import { Connection } from '../connection.js';
import type { RequestOptions } from '../requests.js';
import type {
  CloseOptions,
  ConnectionEvents,
  ConnectionState,
  ConnectionStats,
} from '../events.js';
import type { HandshakeSession } from '../handshake.js';
import { checkPort, formatAddress } from '../validate.js';
import { respCodec } from './codec.js';
import { parseInfo, type RedisInfo } from './info.js';
import { checkRedisOptions, type RedisClientOptions } from './options.js';
import { Pipeline } from './pipeline.js';
import {
  VerbatimString,
  type RedisArg,
  type RedisCommand,
  type RespPush,
  type RespValue,
} from './types.js';

/**
 * A Redis client on a resilient {@link Connection}: RESP2 or RESP3, AUTH/HELLO/SELECT on every connect,
 * TLS, and auto-pipelining — every command issued in the same tick leaves in one write. Commands wait in
 * a bounded queue while Redis is down; a command already sent when the connection drops fails with
 * `CONNECTION_LOST` and is never resent behind your back. It is a supervision task, like its connection.
 */
export class RedisClient implements Task, AsyncDisposable {
  /** The underlying connection (events, stats, close). */
  readonly connection: Connection<RedisCommand, RespValue>;
  /** `host:port` of the server. */
  readonly where: string;
  /** The protocol version spoken. */
  readonly resp: 2 | 3;
  readonly waitsForReady = true;
  readonly defaultShutdownMs: number;
  readonly #options: RedisClientOptions;
  #server: Map<RespValue, RespValue> | undefined;

  constructor(options: RedisClientOptions = {}) {
    checkRedisOptions(options);
    const host = options.host ?? '127.0.0.1';
    const port = checkPort('createRedisClient', options.port ?? 6379);
    this.#options = options;
    this.resp = options.resp ?? 2;
    this.where = formatAddress(host, port);
    const o = options;
    this.connection = new Connection<RedisCommand, RespValue>({
      ...defined({
        tls: o.tls,
        connectTimeoutMs: o.connectTimeoutMs,
        requestTimeoutMs: o.requestTimeoutMs,
        reconnect: o.reconnect,
        maxQueue: o.maxQueue,
        closeTimeoutMs: o.closeTimeoutMs,
        autoConnect: o.autoConnect,
        dropUnresponsive: o.dropUnresponsive,
        maxFrameBytes: o.maxFrameBytes,
        clock: o.clock,
        random: o.random,
      }),
      host,
      port,
      codec: respCodec({ returnBuffers: o.returnBuffers ?? false, where: this.where }),
      handshake: (session) => this.#handshake(session),
    });
    this.defaultShutdownMs = this.connection.defaultShutdownMs;
  }

  get state(): ConnectionState {
    return this.connection.state;
  }

  get stats(): ConnectionStats {
    return this.connection.stats;
  }

  /** What `HELLO 3` answered on the last connect (server, version, proto, id, mode, role, modules). */
  get server(): ReadonlyMap<RespValue, RespValue> | undefined {
    return this.#server;
  }

  on<K extends keyof ConnectionEvents>(
    name: K,
    listener: Listener<ConnectionEvents[K]>,
  ): () => void {
    return this.connection.on(name, listener);
  }

  /**
   * Sends one command, such as `['SET', 'key', 'value', 'EX', 60]`, and resolves with the reply. An error
   * reply rejects with `RedisReplyError` (`prefix`: `WRONGTYPE`, `ERR`, …). `T` is an unchecked cast for
   * convenience: `await client.command<string | null>(['GET', 'k'])`.
   */
  command<T extends RespValue = RespValue>(
    args: RedisCommand,
    options?: RequestOptions,
  ): Promise<T> {
    return this.connection.request(args, options) as Promise<T>;
  }

  /** `PING` (or `PING message`): resolves with `PONG` (or the message). */
  async ping(message?: string, options?: RequestOptions): Promise<string> {
    const reply = await this.command(message === undefined ? ['PING'] : ['PING', message], options);
    if (typeof reply === 'string') return reply;
    if (Buffer.isBuffer(reply)) return reply.toString('utf8');
    throw new TypeError(`PING at ${this.where} answered with ${typeof reply}, not text`);
  }

  /** `INFO [section]`, parsed into sections (`info.server.redis_version`, `info.memory.used_memory`, …). */
  async info(section?: string, options?: RequestOptions): Promise<RedisInfo> {
    const reply = await this.command(section === undefined ? ['INFO'] : ['INFO', section], options);
    if (typeof reply === 'string' || reply instanceof VerbatimString)
      return parseInfo(String(reply));
    if (Buffer.isBuffer(reply)) return parseInfo(reply.toString('utf8'));
    throw new TypeError(`INFO at ${this.where} answered with ${typeof reply}, not text`);
  }

  /** A batch of commands sent together; see {@link Pipeline}. */
  pipeline(): Pipeline {
    return new Pipeline(this.connection);
  }

  /** RESP3 push frames (pub/sub messages, client-side caching invalidations); see `Connection.pushes`. */
  pushes(): AsyncIterableIterator<RespPush, undefined> {
    return this.connection.pushes() as AsyncIterableIterator<RespPush, undefined>;
  }

  /** Starts connecting, when created with `autoConnect: false` (or after closing or giving up). */
  connect(): void {
    this.connection.connect();
  }

  /** Closes the connection; see `Connection.close`. */
  close(options?: CloseOptions): Promise<void> {
    return this.connection.close(options);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.connection.close();
  }

  run(ctx: TaskContext): Promise<unknown> {
    return this.connection.run(ctx);
  }

  async #handshake(session: HandshakeSession<RedisCommand, RespValue>): Promise<void> {
    const { username, password, name, db } = this.#options;
    const steps: Promise<unknown>[] = [];
    if (this.resp === 3) {
      const hello: RedisArg[] = ['HELLO', '3'];
      if (password !== undefined) hello.push('AUTH', username ?? 'default', password);
      if (name !== undefined) hello.push('SETNAME', name);
      steps.push(
        session.request(hello).then((reply) => {
          this.#server = reply instanceof Map ? reply : undefined;
        }),
      );
    } else {
      if (password !== undefined) {
        steps.push(
          session.request(
            username === undefined ? ['AUTH', password] : ['AUTH', username, password],
          ),
        );
      }
      if (name !== undefined) steps.push(session.request(['CLIENT', 'SETNAME', name]));
    }
    if (db !== undefined && db !== 0) steps.push(session.request(['SELECT', db]));
    // Pipelined: all sent at once, and every reply awaited so none is left unhandled.
    const results = await Promise.allSettled(steps);
    for (const result of results) if (result.status === 'rejected') throw result.reason;
  }
}

/** Creates a {@link RedisClient}; it starts connecting at once unless `autoConnect` is false. */
export function createRedisClient(options: RedisClientOptions = {}): RedisClient {
  return new RedisClient(options);
}

/** `options` without its undefined properties (exactOptionalPropertyTypes). */
function defined<T extends object>(options: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (value !== undefined) out[key] = value;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
