import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { SecureContext } from 'node:tls';
import type { SecureContextCache } from './secure-context.js';

/**
 * Reads a CA file (PEM, one or more certificates; relative paths resolve against `configDir`). It
 * replaces the default trust store, as Node's `ca` option and curl's `--cacert` do: adding it to Node's
 * ~140 bundled roots would cost ~200 ms of CPU per context. Read on every run, so a rotated file is
 * picked up. Rejects with a message naming the file when it cannot be read or holds no certificate.
 */
export async function loadCa(path: string, configDir: string): Promise<readonly string[]> {
  const file = caFile(path, configDir);
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

/**
 * The TLS client context for a check: Node's roots, or the certificates of the CA file `path` (a
 * certificate OpenSSL cannot parse is skipped, so a corrupt file trusts nothing and chains fail to
 * verify). Rejects with a message naming the file when it cannot be read.
 */
export async function loadTrust(
  path: string | undefined,
  configDir: string,
  contexts: SecureContextCache,
): Promise<SecureContext> {
  return contexts(path === undefined ? undefined : await loadCa(path, configDir));
}

const caFile = (path: string, configDir: string): string =>
  isAbsolute(path) ? path : resolve(configDir, path);
