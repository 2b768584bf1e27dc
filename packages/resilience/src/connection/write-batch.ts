import type { Socket } from 'node:net';
import type { ByteWriter } from './codec.js';

/**
 * The bytes of the requests leaving in one socket write. Text is kept as one JS string (V8 concatenates
 * cheaply and Node encodes it straight into the socket); raw bytes become separate chunks, written with
 * cork/uncork so the kernel still sees one writev.
 */
export class WriteBatch implements ByteWriter {
  #chunks: (string | Uint8Array)[] = [];
  #text = '';
  #bytes = 0;
  // The mark: where the request being encoded started, to roll it back if its encoding throws halfway.
  #markChunks = 0;
  #markText = 0;
  #markBytes = 0;

  writeString(text: string): void {
    this.#text += text;
  }

  writeBytes(bytes: Uint8Array): void {
    if (this.#text.length > 0) {
      this.#chunks.push(this.#text);
      this.#bytes += this.#text.length;
      this.#text = '';
    }
    this.#chunks.push(bytes);
    this.#bytes += bytes.length;
  }

  /** About how many bytes are batched (text counted in UTF-16 units, a lower bound). */
  get size(): number {
    return this.#bytes + this.#text.length;
  }

  /** Remembers the current end, before a request is encoded. */
  setMark(): void {
    this.#markChunks = this.#chunks.length;
    this.#markText = this.#text.length;
    this.#markBytes = this.#bytes;
  }

  /** Drops everything written since the mark. */
  rollback(): void {
    if (this.#chunks.length === this.#markChunks) {
      this.#text = this.#text.slice(0, this.#markText);
      return;
    }
    // The request wrote raw bytes: the text at the mark was pushed as a chunk; take it back.
    const restored = this.#chunks[this.#markChunks];
    this.#chunks.length = this.#markChunks;
    this.#text = typeof restored === 'string' ? restored.slice(0, this.#markText) : '';
    this.#bytes = this.#markBytes;
  }

  /** Writes everything to `socket` and empties the batch; returns `socket.write`'s answer for the last chunk. */
  writeTo(socket: Socket): boolean {
    const text = this.#text;
    this.#text = '';
    if (this.#chunks.length === 0) return text.length === 0 ? true : socket.write(text);
    const chunks = this.#chunks;
    if (text.length > 0) chunks.push(text);
    this.#chunks = [];
    this.#bytes = 0;
    socket.cork();
    let ok = true;
    for (const chunk of chunks) ok = socket.write(chunk);
    socket.uncork();
    return ok;
  }
}
