// The alert receiver of the alerting bench, in a process of its own: answers 200 to every POST and prints
// one line per request: `R <arrival wall ms, sub-ms> <monitor ids, comma-separated>`.
import { createServer } from 'node:http';

interface Message {
  readonly events: readonly { readonly monitor: { readonly id: string } }[];
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = performance.timeOrigin + performance.now();
    res.writeHead(200).end();
    const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Message;
    process.stdout.write(
      `R ${at.toFixed(3)} ${message.events.map((e) => e.monitor.id).join(',')}\n`,
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`L ${port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
