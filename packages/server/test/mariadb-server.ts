// A private MariaDB server for tests that need what the shared one has not (SSL): started on a free
// loopback port from an empty data directory, without grant tables (anyone may log in), and removed after.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { closedPort } from './net-helpers.js';

export interface PrivateMariadb {
  readonly port: number;
  stop(): Promise<void>;
}

export interface PrivateMariadbOptions {
  /** PEM files of the server's certificate and key: the server then accepts TLS. */
  readonly ssl?: { readonly certPath: string; readonly keyPath: string };
}

const binary =
  ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].find((path) => existsSync(path)) ?? 'mariadbd';

/** Starts a throwaway MariaDB server and waits until it accepts connections (at most 20 s). */
export async function startPrivateMariadb(
  options: PrivateMariadbOptions = {},
): Promise<PrivateMariadb> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-mariadb-'));
  const port = await closedPort();
  const args = [
    '--no-defaults',
    `--datadir=${dir}`,
    `--socket=${join(dir, 'mysqld.sock')}`,
    `--pid-file=${join(dir, 'mysqld.pid')}`,
    `--log-error=${join(dir, 'error.log')}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--skip-grant-tables',
    '--skip-name-resolve',
    '--innodb-buffer-pool-size=8M',
    '--innodb-log-file-size=4M',
    ...(process.getuid?.() === 0 ? ['--user=root'] : []),
    ...(options.ssl === undefined
      ? []
      : [`--ssl-cert=${options.ssl.certPath}`, `--ssl-key=${options.ssl.keyPath}`]),
  ];
  const child = spawn(binary, args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(port, child, 20_000);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    async stop() {
      const giveUp = new AbortController();
      const killer = sleep(10_000, undefined, { signal: giveUp.signal }).then(
        () => child.kill('SIGKILL'),
        () => false,
      );
      child.kill('SIGTERM');
      await exited;
      giveUp.abort();
      await killer;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, child: ChildProcess, limitMs: number): Promise<void> {
  for (let waited = 0; waited < limitMs; waited += 50) {
    if (child.exitCode !== null) throw new Error(`mariadbd exited with code ${child.exitCode}`);
    if (await accepts(port)) return;
    await sleep(50);
  }
  throw new Error(`mariadbd did not accept connections on ${port} within ${limitMs}ms`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
