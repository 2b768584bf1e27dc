// Private broker instances for tests that need a broker configured otherwise than the shared one
// (authentication, ACLs, WebSocket): started on free loopback ports, stopped with the test file.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, chmodSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from './net-helpers.js';

export interface PrivateBroker {
  readonly ports: readonly number[];
  stop(): Promise<void>;
}

/** The path of a broker binary, or undefined when it is not installed (tests then skip). */
export function findBinary(name: string): string | undefined {
  return ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']
    .map((dir) => join(dir, name))
    .find((path) => existsSync(path));
}

/** Starts `binary args…` (args may use `{port0}`, `{port1}`…, `{dir}`), waiting until every port answers. */
export async function startBroker(
  binary: string,
  args: (dir: string, ports: readonly number[]) => string[],
  portCount: number,
  files: (dir: string, ports: readonly number[]) => Record<string, string> = () => ({}),
): Promise<PrivateBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-broker-'));
  // Brokers started as root drop to their own user, which must read the files.
  chmodSync(dir, 0o755);
  const ports: number[] = [];
  for (let i = 0; i < portCount; i++) ports.push(await closedPort());
  for (const [name, text] of Object.entries(files(dir, ports)))
    writeFileSync(join(dir, name), text, { mode: 0o644 });
  const child = spawn(binary, args(dir, ports), { stdio: 'ignore' });
  const stop = () => stopChild(child, dir);
  try {
    for (const port of ports) await waitForPort(port, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { ports, stop };
}

/** Writes a mosquitto password file for one user. */
export function mosquittoPasswd(dir: string, user: string, password: string): string {
  const file = join(dir, 'passwd');
  execFileSync(findBinary('mosquitto_passwd') ?? 'mosquitto_passwd', [
    '-b',
    '-c',
    file,
    user,
    password,
  ]);
  chmodSync(file, 0o644);
  return file;
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`broker exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`broker did not listen on ${port}`);
}

async function stopChild(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}
