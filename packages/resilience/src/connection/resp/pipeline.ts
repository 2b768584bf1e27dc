import type { Connection } from '../connection.js';
import type { RequestOptions } from '../requests.js';
import type { RedisCommand, RespValue } from './types.js';

/** One command's outcome in a pipeline: `[null, reply]` or `[error, undefined]` (as in ioredis). */
export type PipelineResult = [error: null, value: RespValue] | [error: Error, value: undefined];

const ok = (value: RespValue): PipelineResult => [null, value];
const failed = (error: unknown): PipelineResult => [
  error instanceof Error ? error : new Error(String(error)),
  undefined,
];

/**
 * Commands sent together: `exec()` queues them in one go, so they leave in the same write (or in
 * consecutive writes, for a very large pipeline), in order, with no other command between them. It is
 * not a transaction: put MULTI and EXEC in it for that.
 */
export class Pipeline {
  #commands: RedisCommand[] = [];

  constructor(readonly connection: Connection<RedisCommand, RespValue>) {}

  /** Adds a command; returns the pipeline, for chaining. */
  command(args: RedisCommand): this {
    this.#commands.push(args);
    return this;
  }

  /** Commands added and not yet sent. */
  get length(): number {
    return this.#commands.length;
  }

  /**
   * Sends every command and resolves with one result per command, in order; a failed command (an error
   * reply, a timeout, a lost connection) is an `[error, undefined]` entry, so `exec` itself never rejects.
   */
  exec(options?: RequestOptions): Promise<PipelineResult[]> {
    const commands = this.#commands;
    this.#commands = [];
    const results = new Array<Promise<PipelineResult>>(commands.length);
    for (let i = 0; i < commands.length; i++) {
      results[i] = this.connection.request(commands[i] as RedisCommand, options).then(ok, failed);
    }
    return Promise.all(results);
  }
}
