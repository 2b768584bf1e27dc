// Test certificates made with the openssl CLI in a temp dir: a CA, certificates it signs and self-signed
// ones, valid for any window (past, future, expiring soon), for TLS and HTTPS check tests.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const DAY_MS = 86_400_000;
let serials = 0;

/** A certificate and its private key, in PEM and as files. */
export interface TestCert {
  readonly cert: string;
  readonly key: string;
  readonly certPath: string;
  readonly keyPath: string;
}

export interface CertOptions {
  /** Subject CN (default `localhost`). */
  readonly commonName?: string;
  /** subjectAltName entries (default `DNS:localhost`, `IP:127.0.0.1`). */
  readonly altNames?: readonly string[];
  /** Valid from (default an hour ago). */
  readonly notBefore?: Date;
  /** Valid until (default `days` from now). */
  readonly notAfter?: Date;
  /** Days from now until it expires, when `notAfter` is not given (default 30; negative: expired). */
  readonly days?: number;
}

export interface CertFactory {
  readonly dir: string;
  /** A CA certificate (valid 30 days) that signs `issue` certificates. */
  readonly ca: TestCert;
  /** A certificate signed by `ca`. */
  issue(options?: CertOptions): Promise<TestCert>;
  /** A self-signed leaf certificate (not a CA). */
  selfSigned(options?: CertOptions): Promise<TestCert>;
  /** Removes the temp dir. */
  close(): Promise<void>;
}

/** A minimal openssl config; `database` and `serial` are per certificate so several can be made at once. */
function config(name: string): string {
  return `[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[ca]
default_ca = test
[test]
database = ${name}.index
serial = ${name}.serial
new_certs_dir = .
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
`;
}

/** Creates a temp dir with a CA in it; `close()` removes it. */
export async function createCertFactory(): Promise<CertFactory> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-certs-'));
  await writeFile(join(dir, 'ca.cnf'), config('ca'));
  let count = 0;
  const ca = await makeCa(dir);
  const make = (options: CertOptions, selfSign: boolean) =>
    makeLeaf(dir, `cert-${++count}`, options, selfSign ? undefined : ca);
  return {
    dir,
    ca,
    issue: (options = {}) => make(options, false),
    selfSigned: (options = {}) => make(options, true),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

async function makeCa(dir: string): Promise<TestCert> {
  const certPath = join(dir, 'ca.pem');
  const keyPath = join(dir, 'ca.key');
  await openssl(dir, [
    'req',
    '-x509',
    '-config',
    'ca.cnf',
    '-extensions',
    'ca_ext',
    ...newKey(keyPath),
    '-subj',
    '/CN=Vigil Test CA',
    '-days',
    '30',
    '-out',
    certPath,
  ]);
  return loaded(certPath, keyPath);
}

async function makeLeaf(
  dir: string,
  name: string,
  options: CertOptions,
  issuer: TestCert | undefined,
): Promise<TestCert> {
  const path = (ext: string): string => join(dir, `${name}.${ext}`);
  const [certPath, keyPath, csrPath] = [path('pem'), path('key'), path('csr')];
  await writeLeafFiles(dir, name, options);
  const cn = options.commonName ?? 'localhost';
  const csr = ['req', '-new', '-config', `${name}.cnf`, ...newKey(keyPath), '-subj', `/CN=${cn}`];
  await openssl(dir, [...csr, '-out', csrPath]);
  const now = Date.now();
  const notBefore = options.notBefore ?? new Date(now - 3_600_000);
  const notAfter = options.notAfter ?? new Date(now + (options.days ?? 30) * DAY_MS);
  await openssl(dir, [
    ...['ca', '-batch', '-config', `${name}.cnf`, '-notext', '-in', csrPath, '-out', certPath],
    ...['-extfile', `${name}.ext`],
    ...['-startdate', asn1Time(notBefore), '-enddate', asn1Time(notAfter)],
    ...(issuer === undefined
      ? ['-selfsign', '-keyfile', keyPath]
      : ['-cert', issuer.certPath, '-keyfile', issuer.keyPath]),
  ]);
  return loaded(certPath, keyPath);
}

/** The openssl config, extensions, database and serial of one leaf certificate. */
async function writeLeafFiles(dir: string, name: string, options: CertOptions): Promise<void> {
  const altNames = options.altNames ?? ['DNS:localhost', 'IP:127.0.0.1'];
  const extensions = [
    'basicConstraints = CA:FALSE',
    'keyUsage = critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage = serverAuth',
    ...(altNames.length > 0 ? [`subjectAltName = ${altNames.join(',')}`] : []),
  ];
  await Promise.all([
    writeFile(join(dir, `${name}.ext`), extensions.join('\n')),
    writeFile(join(dir, `${name}.cnf`), config(name)),
    writeFile(join(dir, `${name}.index`), ''),
    writeFile(join(dir, `${name}.serial`), `${(0x1000 + ++serials).toString(16)}\n`),
  ]);
}

function newKey(keyPath: string): string[] {
  return [
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyPath,
  ];
}

/** openssl's GeneralizedTime: YYYYMMDDHHMMSSZ. */
function asn1Time(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

async function loaded(certPath: string, keyPath: string): Promise<TestCert> {
  const [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  return { cert, key, certPath, keyPath };
}

async function openssl(cwd: string, args: readonly string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0] ?? ''} failed: ${stderr.trim()}`, { cause: error });
  }
}
