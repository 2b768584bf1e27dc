// PostgreSQL-speaking peers for check tests: a TLS-terminating proxy in front of the real server (whose
// own SSL is off), and a fake server that asks for a password and refuses it.
import { connect, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { tcpPeer, type Peer } from './net-helpers.js';

const SSL_REQUEST = 80_877_103;

/**
 * Answers PostgreSQL's SSLRequest with `S`, completes TLS with `cert`/`key`, then relays the decrypted
 * stream to the PostgreSQL server on `upstreamPort`: the real server, reached over TLS.
 */
export function pgTlsProxy(tls: { cert: string; key: string }, upstreamPort = 5432): Promise<Peer> {
  return tcpPeer((socket) => {
    socket.once('data', (chunk) => {
      if (chunk.length !== 8 || chunk.readUInt32BE(4) !== SSL_REQUEST) {
        socket.destroy();
        return;
      }
      socket.write('S');
      const secure = new TLSSocket(socket, { isServer: true, cert: tls.cert, key: tls.key });
      const upstream = connect(upstreamPort, '127.0.0.1');
      const cut = (): void => {
        secure.destroy();
        upstream.destroy();
      };
      for (const s of [secure, upstream]) s.on('error', cut).on('close', cut);
      secure.pipe(upstream).pipe(secure);
    });
  });
}

export interface PgAuthPeerOptions {
  /** Put the password the client sent into the error message (a careless or hostile server). */
  readonly echoPassword?: boolean;
  /** Never answer the password: the handshake stalls. */
  readonly stall?: boolean;
}

/** A fake PostgreSQL server: asks for a cleartext password, then refuses it (SQLSTATE 28P01). */
export function pgAuthPeer(options: PgAuthPeerOptions = {}): Promise<Peer> {
  return tcpPeer((socket) => {
    let buffered = Buffer.alloc(0);
    let user = '';
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (user === '') {
        if (buffered.length < 4 || buffered.length < buffered.readUInt32BE(0)) return;
        const startup = buffered.subarray(0, buffered.readUInt32BE(0));
        buffered = buffered.subarray(startup.length);
        user = startupParameter(startup, 'user') ?? '?';
        socket.write(authRequest(3)); // AuthenticationCleartextPassword
      }
      if (buffered.length < 5 || buffered.length < 1 + buffered.readUInt32BE(1)) return;
      const password = buffered.subarray(5, buffered.readUInt32BE(1)).toString('utf8');
      if (options.stall === true) return;
      const echo = options.echoPassword === true ? ` (you sent "${password}")` : '';
      refuse(socket, `password authentication failed for user "${user}"${echo}`);
    });
  });
}

function startupParameter(startup: Buffer, name: string): string | undefined {
  const fields = startup.subarray(8).toString('utf8').split('\0');
  const at = fields.indexOf(name);
  return at === -1 ? undefined : fields[at + 1];
}

function authRequest(kind: number): Buffer {
  const message = Buffer.alloc(9);
  message.write('R', 0);
  message.writeUInt32BE(8, 1);
  message.writeUInt32BE(kind, 5);
  return message;
}

function refuse(socket: Socket, text: string): void {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C28P01\0M${text}\0\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeUInt32BE(4 + fields.length, 1);
  socket.end(Buffer.concat([header, fields]));
}
