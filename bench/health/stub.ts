// A price stub for the provider-pool benchmark, in a process of its own: one line in ("<id>\n"), one
// line out ("<price>\n"), in order, on each connection. Replies to a chunk go out in one write.
import { createServer } from 'node:net';

const server = createServer((socket) => {
  socket.on('error', () => undefined);
  let rest = '';
  socket.on('data', (chunk: Buffer) => {
    const text = rest + chunk.toString('latin1');
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    let out = '';
    for (const line of lines) out += `${100 + (line.length % 7)}\n`;
    if (out !== '') socket.write(out);
  });
});
server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, () => {
  process.send?.({ port: (server.address() as { port: number }).port });
});
