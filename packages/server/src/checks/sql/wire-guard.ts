import type { Socket } from 'node:net';
import { WrongProtocolError } from './wrong-protocol-error.js';

/** A verdict on the first bytes a server sent: enough to trust it, not its protocol, or too few to tell. */
export type FirstBytesVerdict = 'ok' | 'wrong' | 'more';

/** What the guard saw on the wire: where a connection stalled, or why it was cut. */
export interface WireState {
  /** The TCP connection was established. */
  readonly tcpConnected: boolean;
  /** The server sent at least one byte. */
  readonly answered: boolean;
  /** Set when the guard cut the connection because the server spoke another protocol. */
  readonly violation: WrongProtocolError | undefined;
}

/** How a kind recognises its protocol in the first bytes a server sends. */
export interface WireGuardOptions {
  /** Human name of the protocol, e.g. `PostgreSQL`. */
  readonly protocol: string;
  /** Judges the first bytes; `more` asks for more of them (at most 64 are collected). */
  readonly firstBytes: (prefix: Buffer) => FirstBytesVerdict;
}

const MAX_PREFIX = 64;

/**
 * Stands between a client socket and its protocol driver until the server's first bytes are judged: if
 * they do not look like the protocol, the socket is destroyed with a `WrongProtocolError` and the driver
 * never sees them — so it neither parses someone else's bytes nor buffers towards a length read out of
 * them. Once judged, the socket is left as it was.
 */
export function guardWire(socket: Socket, target: string, options: WireGuardOptions): WireState {
  const state = {
    tcpConnected: false,
    answered: false,
    violation: undefined as WrongProtocolError | undefined,
  };
  let prefix = Buffer.alloc(0);
  // Judges each chunk before any `data` listener runs (a listener cannot stop the others seeing it).
  const emit = socket.emit.bind(socket);
  const release = (): boolean => Reflect.deleteProperty(socket, 'emit');
  const guarded = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event !== 'data' || !Buffer.isBuffer(args[0])) return emit(event, ...args);
    state.answered = true;
    prefix = Buffer.concat([prefix, args[0].subarray(0, MAX_PREFIX - prefix.length)]);
    const verdict = options.firstBytes(prefix);
    if (verdict === 'ok' || (verdict === 'more' && prefix.length < MAX_PREFIX)) {
      if (verdict === 'ok') release();
      return emit(event, ...args);
    }
    release();
    state.violation = new WrongProtocolError(
      `${target} does not speak the ${options.protocol} protocol (${identifyPeer(prefix)})`,
    );
    socket.destroy(state.violation);
    return false;
  };
  Object.defineProperty(socket, 'emit', { value: guarded, configurable: true, writable: true });
  socket.once('connect', () => {
    state.tcpConnected = true;
  });
  return state;
}

/** What the first bytes of a peer suggest it is: `it looks like an HTTP server`, or what it sent. */
export function identifyPeer(prefix: Buffer): string {
  if (looksLikeMysqlGreeting(prefix)) return 'it looks like a MySQL or MariaDB server';
  const text = prefix.toString('latin1');
  if (/^HTTP\/\d/.test(text)) return 'it looks like an HTTP server';
  if (text.startsWith('SSH-')) return 'it looks like an SSH server';
  return `it sent ${preview(prefix)}`;
}

/** The first bytes as short printable text: `"HTTP/1.1 400 Bad Request\r\n…"`, other bytes as `\xNN`. */
export function preview(bytes: Buffer): string {
  let text = '';
  for (const byte of bytes.subarray(0, 32)) text += printable(byte);
  return `"${text}"${bytes.length > 32 ? '…' : ''}`;
}

const ESCAPES: Readonly<Record<number, string>> = {
  9: '\\t',
  10: '\\n',
  13: '\\r',
  34: '\\"',
  92: '\\\\',
};

function printable(byte: number): string {
  const escaped = ESCAPES[byte];
  if (escaped !== undefined) return escaped;
  if (byte >= 0x20 && byte < 0x7f) return String.fromCharCode(byte);
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}

/** Whether `prefix` starts like a MySQL/MariaDB server greeting (header with sequence 0, protocol 10). */
export function looksLikeMysqlGreeting(prefix: Buffer): boolean {
  return prefix.length >= 5 && prefix[3] === 0 && prefix[4] === 0x0a;
}
