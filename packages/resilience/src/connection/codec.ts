/**
 * The codec contract: how a protocol plugs into a {@link Connection}. A codec turns a request into bytes
 * and bytes into replies; the connection does everything else (connecting, queueing, pipelining, FIFO
 * matching, timeouts, backpressure, reconnecting).
 */

/** Returned by {@link Decoder.read} when the bytes written so far hold no complete frame. */
export const NEED_MORE: unique symbol = Symbol.for('@vigil/resilience.NEED_MORE');
export type NeedMore = typeof NEED_MORE;

/**
 * Where a codec writes a request's bytes. Requests written in the same tick share one writer and leave in
 * one socket write.
 */
export interface ByteWriter {
  /** Appends `text` encoded as UTF-8. */
  writeString(text: string): void;
  /** Appends raw bytes. They are not copied: do not change them afterwards. */
  writeBytes(bytes: Uint8Array): void;
}

/**
 * An incremental decoder: the connection `write`s each chunk as it arrives, then `read`s frames until
 * {@link NEED_MORE}. It must be correct for any split of the byte stream (a frame across many chunks, many
 * frames in one chunk). One decoder serves one socket; a reconnect gets a fresh one.
 */
export interface Decoder<Res> {
  /** Appends bytes received from the peer. The decoder owns `bytes` from then on. */
  write(bytes: Buffer): void;
  /**
   * The next complete frame, or {@link NEED_MORE}. Throws when the bytes are not valid for the protocol;
   * the connection then fails its in-flight requests with `PROTOCOL_ERROR` and reconnects.
   */
  read(): Res | NeedMore;
  /** Bytes written but not yet consumed by `read` (a partial frame); bounded by `maxFrameBytes`. */
  readonly bufferedBytes: number;
}

/** A protocol: requests of type `Req`, replies (frames) of type `Res`. */
export interface Codec<Req, Res> {
  /**
   * Writes the bytes of `request` to `out`. Throw (a `TypeError`, say) for a request that cannot be
   * encoded: that request alone is rejected with the error and nothing of it is sent.
   */
  encode(request: Req, out: ByteWriter): void;
  /** A fresh decoder, one per socket. */
  createDecoder(): Decoder<Res>;
  /**
   * True for out-of-band frames the peer sends on its own (RESP3 push messages): they are not matched to
   * a request but delivered to {@link Connection.pushes}. Without it, every frame answers a request.
   */
  isPush?(frame: Res): boolean;
  /**
   * The error to reject `request` with when `frame` is an error reply (a Redis `-ERR`), or `undefined`
   * for a successful reply. Without it, every reply resolves its request.
   */
  replyError?(frame: Res, request: Req): Error | undefined;
}
