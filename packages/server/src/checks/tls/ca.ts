import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';

/**
 * Reads a CA file (PEM, one or more certificates; relative paths resolve against `configDir`). It
 * replaces the default trust store, as Node's `ca` option and curl's `--cacert` do: adding it to Node's
 * ~140 bundled roots would cost ~200 ms of CPU per connection. Read on every run, so a rotated file is
 * picked up. Rejects with a message naming the file when it cannot be read or holds no certificate.
 */
export async function loadCa(path: string, configDir: string): Promise<readonly string[]> {
  const file = isAbsolute(path) ? path : resolve(configDir, path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`cannot read CA file ${file} (${code})`, { cause: error });
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----'))
    throw new Error(`CA file ${file} holds no PEM certificate`);
  return [text];
}
