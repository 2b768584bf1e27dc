// A store-price leaderboard: a ProviderPool polls every franchise of a store over HTTP. Healthy stores
// stay in the allowlist; a flaky one is quarantined until it answers; a broken, a dead and a stalled one
// are blocked after 3 failed polls in a row, and no longer polled.
import { createServer, type Server } from 'node:http';
import { createProviderPool, exponential, type AllowedValue } from '@vigil/resilience';

interface Store {
  readonly id: string;
  readonly url: string;
}

/** How a local test store answers: a price, or failures of some kind. */
type Behaviour = { price: number; failFirst?: number } | 'error' | 'stall' | 'dead';

async function startStore(
  id: string,
  behaviour: Behaviour,
): Promise<{ store: Store; server: Server }> {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    if (behaviour === 'stall') return; // never answers
    if (
      behaviour === 'error' ||
      requests <= (behaviour === 'dead' ? 0 : (behaviour.failFirst ?? 0))
    ) {
      res.writeHead(503).end();
      return;
    }
    if (behaviour !== 'dead') res.end(JSON.stringify({ price: behaviour.price }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  if (behaviour === 'dead') server.close(); // nothing listens on that port any more
  return { store: { id, url: `http://127.0.0.1:${port}/price` }, server };
}

export async function main(): Promise<{
  top3: [string, number][];
  blocked: string[];
  quarantinedOnTheWay: string[];
}> {
  const started = await Promise.all([
    startStore('lisbon', { price: 12.5 }),
    startStore('porto', { price: 11.9 }),
    startStore('coimbra', { price: 14.0 }),
    startStore('braga', { price: 9.9, failFirst: 2 }), // flaky: the best price, once it answers
    startStore('faro', 'error'), // answers 503 every time
    startStore('evora', 'dead'), // connection refused
    startStore('aveiro', 'stall'), // accepts, never answers
  ]);

  const pool = createProviderPool<Store, number>({
    id: 'prices',
    providers: started.map((s) => s.store), // or a discovery function, refreshed every refreshMs
    async poll(store, { signal }) {
      const res = await fetch(store.url, { signal });
      if (!res.ok) throw new Error(`${store.id}: HTTP ${res.status}`);
      const { price } = (await res.json()) as { price: number };
      return price;
    },
    periodMs: 100, // default 5,000
    backoff: exponential({ initialMs: 50, maxMs: 400, jitter: 'equal' }),
    maxAttempts: 3,
    pollTimeoutMs: 300,
  });
  const quarantined = new Set<string>();
  pool.on('quarantined', (e) => quarantined.add(e.id));

  // Wait until the flaky store made it in and the three broken ones are blocked.
  const settled = new Promise<void>((resolve) => {
    const check = () => {
      const snap = pool.snapshot();
      if (snap.blocked.length === 3 && pool.status('braga')?.state === 'allowed') resolve();
    };
    pool.on('blocked', check);
    pool.on('admitted', check);
  });
  await pool.start();
  await settled;

  const cheapest = pool.leaderboard((a, b) => a - b, 3);
  const result = {
    top3: cheapest.map((e: AllowedValue<number>) => [e.id, e.value] as [string, number]),
    blocked: pool
      .snapshot()
      .blocked.map((s) => s.id)
      .sort(),
    quarantinedOnTheWay: [...quarantined].sort(),
  };
  await pool.stop();
  for (const { server } of started) {
    server.closeAllConnections();
    server.close();
  }
  return result;
}
