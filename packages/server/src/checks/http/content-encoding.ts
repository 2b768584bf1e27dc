import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw, type ZlibOptions } from 'node:zlib';
import { formatBytes, type ReadBody } from './body.js';

type Decoder = (bytes: Buffer, options: ZlibOptions) => Promise<Buffer>;

const gunzipAsync = promisify(gunzip) as Decoder;
const inflateAsync = promisify(inflate) as Decoder;
const inflateRawAsync = promisify(inflateRaw) as Decoder;
const brotliAsync = promisify(brotliDecompress) as Decoder;

/** "deflate" is meant to be zlib-wrapped, but some servers send raw deflate. */
const inflateEither: Decoder = (bytes, options) =>
  inflateAsync(bytes, options).catch(() => inflateRawAsync(bytes, options));

const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: gunzipAsync,
  'x-gzip': gunzipAsync,
  deflate: inflateEither,
  br: brotliAsync,
};

/**
 * Undoes a Content-Encoding (gzip, deflate, br) so assertions see the text. Vigil asks for no encoding,
 * but a server may use one anyway or the config may ask for it. The output is capped at `cap` bytes, so
 * a small compressed body cannot expand without bound. A failure is returned as the body's `problem`.
 */
export async function decodeContent(
  body: ReadBody,
  encoding: string | undefined,
  cap: number,
): Promise<ReadBody> {
  const codings = (encoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  let bytes = body.bytes;
  for (const coding of codings.reverse()) {
    const decoder = DECODERS[coding];
    if (decoder === undefined)
      return { ...body, problem: `response body has an unsupported Content-Encoding: ${coding}` };
    try {
      bytes = await decoder(bytes, { maxOutputLength: cap });
    } catch (error) {
      const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      return {
        ...body,
        problem: tooLarge
          ? `response body is larger than ${formatBytes(cap)} once decompressed (${coding})`
          : `cannot decompress the ${coding} response body (${(error as Error).message})`,
      };
    }
  }
  return body.bytes === bytes ? body : { ...body, bytes };
}
