// A private redis-server for integration tests, on a free loopback port (never the shared one on 6379).
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { closedPort } from './net-peer.js';

export interface PrivateRedis {
  readonly port: number;
  /** Kills it at once (SIGKILL): clients see the connection drop mid-stream. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function answers(port: number, tls: boolean): Promise<boolean> {
  if (tls)
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(/^(\+PONG|-NOAUTH)/.test(data.toString()));
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts `/usr/bin/redis-server` with `args` on a free port and waits until it answers. */
export async function startRedis(
  args: readonly string[] = [],
  options: { tls?: boolean } = {},
): Promise<PrivateRedis> {
  const port = await closedPort();
  const portArgs = options.tls
    ? ['--port', '0', '--tls-port', String(port)]
    : ['--port', String(port)];
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const proc = spawn(
      '/usr/bin/redis-server',
      [...portArgs, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args],
      { stdio: 'ignore' },
    );
    child = proc;
    const deadline = performance.now() + 10_000;
    while (!(await answers(port, options.tls === true))) {
      if (proc.exitCode !== null || performance.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`private redis-server on port ${port} did not start`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const halt = (signal: NodeJS.Signals): Promise<void> =>
    new Promise((resolve) => {
      const proc = child;
      if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) {
        resolve();
        return;
      }
      proc.once('exit', () => resolve());
      proc.kill(signal);
    });
  await launch();
  return { port, kill: () => halt('SIGKILL'), restart: launch, stop: () => halt('SIGKILL') };
}
