import type { Socket } from 'node:net';
import { ProtocolError } from '../errors/index.js';
import { NEED_MORE, type Decoder } from './codec.js';
import type { ResolvedConnectionOptions } from './options.js';
import { openSocket } from './transport.js';
import type { WriteBatch } from './write-batch.js';

/** What a link needs to know. */
export type LinkOptions<Res> = Pick<
  ResolvedConnectionOptions<unknown, Res>,
  'host' | 'port' | 'tls' | 'keepAliveMs' | 'clock' | 'where' | 'maxFrameBytes'
> & { readonly codec: { createDecoder(): Decoder<Res> } };

/** What a link reports to its connection. */
export interface LinkHost<Res> {
  /** The socket is open (TCP connected, TLS negotiated). */
  onOpen(link: Link<Res>): void;
  /** One decoded frame, in arrival order. */
  onFrame(link: Link<Res>, frame: Res): void;
  /** The socket's write buffer emptied after a write that filled it. */
  onDrain(link: Link<Res>): void;
  /** The link is dead: I/O error, peer closed, or a `ProtocolError`. Reported once. */
  onLost(link: Link<Res>, error: Error): void;
}

/**
 * One socket's life: open it, feed its bytes through a fresh decoder, hand frames to the connection,
 * write batches, pause and resume reading. A reconnect is a new link, so events of an old socket never
 * reach the new one.
 */
export class Link<Res> {
  readonly socket: Socket;
  readonly decoder: Decoder<Res>;
  /** Monotonic time of the last bytes read (or of the open). */
  lastReadAt: number;
  #paused = false;
  #closed = false;
  #pumping = false;

  constructor(
    readonly options: LinkOptions<Res>,
    readonly host: LinkHost<Res>,
  ) {
    this.decoder = options.codec.createDecoder();
    const { socket, openEvent } = openSocket(options);
    this.socket = socket;
    this.lastReadAt = options.clock.monotonic();
    socket.once(openEvent, () => {
      this.lastReadAt = options.clock.monotonic();
      if (!this.#closed) host.onOpen(this);
    });
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('drain', () => {
      if (!this.#closed) host.onDrain(this);
    });
    socket.on('error', (error) => this.lose(error));
    socket.on('close', () => this.lose(new Error(`${options.where} closed the connection`)));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Writes the batch; false when the socket's buffer is full (wait for `onDrain`). */
  write(batch: WriteBatch): boolean {
    if (this.#closed) return false;
    return batch.writeTo(this.socket);
  }

  /** Stops reading: no more frames are handed out and the socket stops reading from the kernel. */
  pause(): void {
    this.#paused = true;
    this.socket.pause();
  }

  /** Reads again, starting with frames already buffered. */
  resume(): void {
    this.#paused = false;
    this.socket.resume();
    this.#pump();
  }

  /** Reports the link lost with `error` (once) and destroys the socket. */
  lose(error: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.socket.destroy();
    this.host.onLost(this, error);
  }

  /** Closes quietly: abruptly, or after pending writes when `graceful`. The host is not told. */
  close(graceful: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    if (graceful) this.socket.destroySoon();
    else this.socket.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.#closed) return;
    this.lastReadAt = this.options.clock.monotonic();
    this.decoder.write(chunk);
    this.#pump();
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    const decoder = this.decoder;
    try {
      while (!this.#paused && !this.#closed) {
        const frame = decoder.read();
        if (frame === NEED_MORE) break;
        this.host.onFrame(this, frame);
      }
      if (!this.#closed && decoder.bufferedBytes > this.options.maxFrameBytes) {
        this.lose(
          new ProtocolError(
            this.options.where,
            `a frame larger than maxFrameBytes (${this.options.maxFrameBytes} bytes) is arriving`,
          ),
        );
      }
    } catch (error) {
      // The codec threw: bytes it rejects (or a bug in its isPush/replyError). Either way the stream
      // can no longer be trusted.
      this.lose(this.#protocolError(error));
    } finally {
      this.#pumping = false;
    }
  }

  #protocolError(error: unknown): ProtocolError {
    const detail = error instanceof Error ? error.message : String(error);
    return new ProtocolError(this.options.where, `the codec rejected the bytes: ${detail}`, {
      cause: error,
    });
  }
}
