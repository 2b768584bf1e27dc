// A minimal authoritative DNS server for dns check tests: UDP on 127.0.0.1, a free port, answering from
// a table. Names missing from the table are NXDOMAIN; a name present without records of the asked type is
// NODATA; a name can also be made to SERVFAIL, REFUSE, never answer or answer garbage.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export type DnsRecord =
  | { readonly type: 'A' | 'AAAA' | 'CNAME' | 'NS' | 'PTR'; readonly data: string }
  | { readonly type: 'MX'; readonly data: { priority: number; exchange: string } }
  | { readonly type: 'TXT'; readonly data: readonly string[] }
  | {
      readonly type: 'SRV';
      readonly data: { priority: number; weight: number; port: number; name: string };
    }
  | { readonly type: 'CAA'; readonly data: { critical: number; tag: string; value: string } }
  | {
      readonly type: 'SOA';
      readonly data: {
        nsname: string;
        hostmaster: string;
        serial: number;
        refresh: number;
        retry: number;
        expire: number;
        minttl: number;
      };
    };

/** How the server treats a name: its records, or a misbehaviour. */
export type DnsBehaviour = readonly DnsRecord[] | 'servfail' | 'refused' | 'silent' | 'garbage';

export interface DnsServer {
  readonly port: number;
  /** `127.0.0.1:<port>`, ready for the check's `resolver` option. */
  readonly address: string;
  /** Queries received so far, as `name TYPE`. */
  readonly queries: string[];
  close(): Promise<void>;
}

const TYPES = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  CAA: 257,
};
const TYPE_NAMES = new Map(Object.entries(TYPES).map(([name, code]) => [code, name]));
const RCODE = { noerror: 0, servfail: 2, nxdomain: 3, refused: 5 } as const;

/** Starts a DNS server answering from `zone` (keys are names, case-insensitive, without trailing dot). */
export async function dnsServer(zone: Readonly<Record<string, DnsBehaviour>>): Promise<DnsServer> {
  const table = new Map(Object.entries(zone).map(([k, v]) => [k.toLowerCase(), v]));
  const queries: string[] = [];
  const socket: Socket = createSocket('udp4');
  socket.on('message', (msg, peer) => {
    const reply = answer(msg, table, queries);
    if (reply !== undefined) send(socket, reply, peer);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    port,
    address: `127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function send(socket: Socket, reply: Buffer, peer: RemoteInfo): void {
  socket.send(reply, peer.port, peer.address);
}

function answer(
  msg: Buffer,
  table: ReadonlyMap<string, DnsBehaviour>,
  queries: string[],
): Buffer | undefined {
  if (msg.length < 12) return undefined;
  const { name, end } = readName(msg, 12);
  const qtype = msg.readUInt16BE(end);
  const question = msg.subarray(12, end + 4);
  queries.push(`${name} ${TYPE_NAMES.get(qtype) ?? qtype}`);
  const behaviour = table.get(name.toLowerCase());
  if (behaviour === 'silent') return undefined;
  if (behaviour === 'garbage') return Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n');
  if (behaviour === 'servfail' || behaviour === 'refused' || behaviour === undefined) {
    return header(msg, behaviour === undefined ? RCODE.nxdomain : RCODE[behaviour], 0, question);
  }
  const records = behaviour.filter((r) => TYPES[r.type] === qtype);
  const rrs = records.map((r) => resourceRecord(r));
  return Buffer.concat([header(msg, RCODE.noerror, rrs.length, question), ...rrs]);
}

function header(query: Buffer, rcode: number, answers: number, question: Buffer): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(query.readUInt16BE(0), 0);
  const rd = query.readUInt16BE(2) & 0x0100;
  h.writeUInt16BE(0x8000 | 0x0400 | rd | 0x0080 | rcode, 2);
  h.writeUInt16BE(1, 4);
  h.writeUInt16BE(answers, 6);
  return Buffer.concat([h, question]);
}

function resourceRecord(record: DnsRecord): Buffer {
  const data = rdata(record);
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0); // a pointer to the question's name
  fixed.writeUInt16BE(TYPES[record.type], 2);
  fixed.writeUInt16BE(1, 4); // class IN
  fixed.writeUInt32BE(60, 6); // TTL
  fixed.writeUInt16BE(data.length, 10);
  return Buffer.concat([fixed, data]);
}

function rdata(record: DnsRecord): Buffer {
  switch (record.type) {
    case 'A':
      return Buffer.from(record.data.split('.').map(Number));
    case 'AAAA':
      return ipv6(record.data);
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return encodeName(record.data);
    case 'MX':
      return Buffer.concat([u16(record.data.priority), encodeName(record.data.exchange)]);
    case 'TXT':
      return Buffer.concat(record.data.map((s) => Buffer.concat([u8(s.length), Buffer.from(s)])));
    case 'SRV': {
      const { priority, weight, port, name } = record.data;
      return Buffer.concat([u16(priority), u16(weight), u16(port), encodeName(name)]);
    }
    case 'CAA': {
      const { critical, tag, value } = record.data;
      return Buffer.concat([u8(critical), u8(tag.length), Buffer.from(tag), Buffer.from(value)]);
    }
    case 'SOA': {
      const d = record.data;
      const numbers = [d.serial, d.refresh, d.retry, d.expire, d.minttl].map(u32);
      return Buffer.concat([encodeName(d.nsname), encodeName(d.hostmaster), ...numbers]);
    }
  }
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  for (let len = msg[at] ?? 0; len !== 0; len = msg[at] ?? 0) {
    labels.push(msg.toString('latin1', at + 1, at + 1 + len));
    at += 1 + len;
  }
  return { name: labels.join('.'), end: at + 1 };
}

function encodeName(name: string): Buffer {
  const labels = name.split('.').filter((l) => l !== '');
  return Buffer.concat([
    ...labels.map((l) => Buffer.concat([u8(l.length), Buffer.from(l)])),
    u8(0),
  ]);
}

function ipv6(address: string): Buffer {
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return Buffer.concat(groups.map((g) => u16(parseInt(g, 16))));
}

const u8 = (n: number): Buffer => Buffer.from([n]);
const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
