// Throwaway certificates for TLS tests, made with the openssl command line in a temporary directory.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCerts {
  /** The directory holding the files (deps.configDir in tests, so `ca` can be relative). */
  readonly dir: string;
  /** PEM file names in `dir`: the CA that signed the server certificate, and an unrelated CA. */
  readonly caFile: 'ca.pem';
  readonly otherCaFile: 'other-ca.pem';
  /** The server's certificate (valid for IP 127.0.0.1 only, 2 days) and key, PEM text. */
  readonly cert: string;
  readonly key: string;
  readonly certPath: string;
  readonly keyPath: string;
  remove(): Promise<void>;
}

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A CA, a server certificate it signed for 127.0.0.1, and a second, unrelated CA. */
export async function makeTestCerts(): Promise<TestCerts> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-certs-'));
  const at = (name: string): string => join(dir, name);
  const selfSigned = (name: string, cn: string) =>
    run('openssl', [
      'req',
      '-x509',
      ...ecKey,
      '-keyout',
      at(`${name}.key`),
      '-out',
      at(`${name}.pem`),
      '-days',
      '2',
      '-subj',
      `/CN=${cn}`,
    ]);
  await Promise.all([selfSigned('ca', 'vigil test CA'), selfSigned('other-ca', 'other test CA')]);
  await run('openssl', [
    'req',
    ...ecKey,
    '-keyout',
    at('server.key'),
    '-out',
    at('server.csr'),
    '-subj',
    '/CN=vigil test server',
  ]);
  await writeFile(at('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-out',
    at('server.pem'),
    '-days',
    '2',
    '-extfile',
    at('server.ext'),
  ]);
  return {
    dir,
    caFile: 'ca.pem',
    otherCaFile: 'other-ca.pem',
    cert: await readFile(at('server.pem'), 'utf8'),
    key: await readFile(at('server.key'), 'utf8'),
    certPath: at('server.pem'),
    keyPath: at('server.key'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
