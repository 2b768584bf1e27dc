import type { Readable } from 'node:stream';
import type { FinalResponse } from './exchange.js';
import type { RunTrace } from './trace.js';

/** A response body read up to a cap. */
export interface ReadBody {
  readonly bytes: Buffer;
  /** The body was longer than the cap; `bytes` holds the first `cap` bytes only. */
  readonly truncated: boolean;
  /** Content-Length, when the server declared one. */
  readonly declaredBytes?: number;
  /** Why the body cannot be judged (it could not be decompressed). */
  readonly problem?: string;
}

/**
 * Reads the body up to `cap` bytes and stops there (the rest is never read: the connection is closed
 * with the run). A Content-Length over the cap is refused before reading anything.
 */
export async function readBody(
  response: FinalResponse,
  cap: number,
  trace: RunTrace,
): Promise<ReadBody> {
  const declared = Number(response.headers['content-length']);
  const declaredBytes = Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined;
  const extra = declaredBytes === undefined ? {} : { declaredBytes };
  if (declaredBytes !== undefined && declaredBytes > cap) {
    discard(response.body);
    return { bytes: Buffer.alloc(0), truncated: true, ...extra };
  }
  trace.readingBody();
  const chunks: Buffer[] = [];
  let truncated = false;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    const room = cap - trace.bodyBytes;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    trace.bodyBytes += Math.min(chunk.length, room);
    if (chunk.length > room) {
      truncated = true;
      break; // destroys the stream
    }
  }
  trace.bodyDone();
  return { bytes: Buffer.concat(chunks), truncated, ...extra };
}

/**
 * Drops a body that will not be read. undici reports the destroyed stream as an `error` event (an
 * AbortError), which would be an uncaught exception without a listener.
 */
export function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** Decodes a body with the charset of its Content-Type (default UTF-8). */
export function decodeBody(bytes: Buffer, contentType: string | undefined): string {
  const charset = /;\s*charset="?([^";\s]+)/i.exec(contentType ?? '')?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** `512 B`, `1.5 KiB`, `1 MiB`, `50 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 ? String(value) : String(Math.round(value * 10) / 10);
  return `${shown} ${units[unit] ?? ''}`;
}
