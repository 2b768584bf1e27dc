import { useEffect, useState } from 'preact/hooks';
import { ApiError, getJson, postJson } from '../browser/api';
import type { BrowserClock } from '../browser/clock';
import type { LiveFeed } from '../browser/live';
import { formatDuration, formatLatency, formatUptime } from '../logic/format';
import { statusLook } from '../logic/status';
import { dayCells, seriesFromBuckets, seriesFromResults } from '../logic/stats';
import type { History, Incident, MonitorDetail, RawResult, Uptime } from '../types';
import { LatencyChart } from './chart';

const chartRanges = ['1h', '24h', '7d'] as const;
type ChartRange = (typeof chartRanges)[number];
const uptimeWindows = ['24h', '7d', '30d', '1y'] as const;

interface Latency {
  readonly count: number;
  readonly quantiles: readonly { q: number; ms: number | null }[];
}

/** Loads `path` whenever `key` changes; `undefined` while loading, an Error when it failed. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the JSON shape
function useJson<T>(path: string, key: unknown = path): T | Error | undefined {
  const [value, setValue] = useState<T | Error | undefined>(undefined);
  useEffect(() => {
    let live = true;
    setValue(undefined);
    getJson<T>(path)
      .then((v) => live && setValue(v))
      .catch((e: unknown) => live && setValue(e as Error));
    return () => {
      live = false;
    };
  }, [key]);
  return value;
}

const ok = <T,>(v: T | Error | undefined): v is T => v !== undefined && !(v instanceof Error);

/**
 * One monitor: its live status, a 90-day status bar, the response-time chart (p50/p95 and timing phases),
 * uptime over 24 h / 7 d / 30 d / 1 y, its incidents with reasons, recent results and its config.
 */
export function Detail(props: { id: string; feed: LiveFeed; clock: BrowserClock; user?: string }) {
  const { id, feed, clock } = props;
  const base = `/monitors/${encodeURIComponent(id)}`;
  const [range, setRange] = useState<ChartRange>('1h');
  const [reload, setReload] = useState(0);
  const detail = useJson<MonitorDetail>(base, reload);
  const uptime = useJson<Record<string, Uptime>>(`${base}/uptime`, reload);
  const bar = useJson<History>(`${base}/history?range=90d`);
  const history = useJson<History>(`${base}/history?range=${range}`, `${range}:${reload}`);
  const latency = useJson<Latency>(`${base}/latency?range=${range}`, `${range}:${reload}`);
  const incidents = useJson<{ items: Incident[] }>(
    `${base}/incidents?statuses=down,degraded,maintenance,paused&limit=50`,
    reload,
  );
  const [live, setLive] = useState<RawResult[]>([]);
  useEffect(
    () =>
      feed.onResult((r) => {
        if (r.id !== id) return;
        const result = {
          at: Date.parse(r.at),
          outcome: r.outcome,
          latencyMs: r.latencyMs,
          message: r.message,
        };
        setLive((list) => [...list, result].slice(-500));
      }),
    [id],
  );
  useEffect(() => setLive([]), [range, reload]);
  const _version = feed.version.value; // re-render on every change of the feed
  const summary = feed.monitors.get(id);

  if (detail instanceof ApiError && detail.status === 404) {
    return (
      <main class="page detail">
        <p class="empty">
          No monitor “{id}”. <a href="/">Back to the board</a>
        </p>
      </main>
    );
  }
  if (!ok(detail)) {
    return (
      <main class="page detail">
        <p class="empty">{detail?.message ?? 'Loading…'}</p>
      </main>
    );
  }
  const m = summary ?? detail;
  const look = statusLook[m.status];
  const now = clock.now();
  const raw = ok(history) && history.tier === 'raw' ? history.results : undefined;
  const results =
    raw === undefined ? [] : [...raw, ...live.filter((r) => r.at > (raw.at(-1)?.at ?? 0))];
  const series = !ok(history)
    ? undefined
    : history.tier === 'raw'
      ? seriesFromResults(results)
      : seriesFromBuckets(history.buckets);
  const act = (what: 'pause' | 'resume' | 'run'): void => {
    void postJson(`${base}/${what}`)
      .then(() => setReload((n) => n + 1))
      .catch((e: unknown) => alert((e as Error).message));
  };

  return (
    <main class="page detail" data-monitor={id}>
      <nav class="crumbs">
        <a href="/">← Board</a>
      </nav>
      <header class={`detail-head s-${m.status}`} data-status={m.status}>
        <span class="icon" aria-hidden="true">
          {look.icon}
        </span>
        <div>
          <h1>{m.name}</h1>
          <p>
            <strong>{look.label}</strong> for {formatDuration(now - Date.parse(m.since))}
            {m.reason === '' ? '' : ` — ${m.reason}`}
          </p>
          <p class="muted">
            {m.kind} · group {m.group} · {m.lifecycle}
            {m.tags.length === 0 ? '' : ` · ${m.tags.join(', ')}`}
            {m.parentDown === undefined ? '' : ` · parent ${m.parentDown} is down`}
            {m.maintenance === undefined ? '' : ` · maintenance: ${m.maintenance}`}
          </p>
          {detail.description === undefined ? null : <p>{detail.description}</p>}
        </div>
        {props.user === undefined ? null : (
          <div class="actions">
            {m.status === 'paused' || m.lifecycle === 'blocked' || m.lifecycle === 'crashed' ? (
              <button onClick={() => act('resume')}>Resume</button>
            ) : (
              <button onClick={() => act('pause')}>Pause</button>
            )}
            <button onClick={() => act('run')}>Check now</button>
          </div>
        )}
      </header>

      <section>
        <h2>Last 90 days</h2>
        {ok(bar) && bar.tier !== 'raw' ? (
          <div class="daybar" role="img" aria-label="status per day over the last 90 days">
            {dayCells(bar.buckets, now).map((d) => (
              <span
                key={d.start}
                class={`day s-${d.status}`}
                title={`${new Date(d.start).toISOString().slice(0, 10)}: ${
                  d.ratio === null ? 'no data' : `${formatUptime(d.ratio)} of ${d.checks} checks ok`
                }`}
              />
            ))}
          </div>
        ) : (
          <p class="muted">{bar instanceof Error ? bar.message : 'Loading…'}</p>
        )}
      </section>

      <section>
        <h2>Uptime</h2>
        <dl class="uptime">
          {uptimeWindows.map((w) => (
            <div key={w}>
              <dt>{w}</dt>
              <dd>{ok(uptime) ? formatUptime(uptime[w]?.uptime ?? null) : '…'}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section>
        <h2>
          Response time{' '}
          {chartRanges.map((r) => (
            <button key={r} class={r === range ? 'chip on' : 'chip'} onClick={() => setRange(r)}>
              {r}
            </button>
          ))}
        </h2>
        {ok(latency) ? (
          <p class="quantiles">
            {latency.count} checks ·{' '}
            {latency.quantiles
              .map((q) => `p${Math.round(q.q * 100)} ${q.ms === null ? '—' : formatLatency(q.ms)}`)
              .join(' · ')}
          </p>
        ) : null}
        {series === undefined ? (
          <p class="muted">{history instanceof Error ? history.message : 'Loading…'}</p>
        ) : (
          <LatencyChart series={series} />
        )}
      </section>

      <section>
        <h2>Incidents</h2>
        {!ok(incidents) ? (
          <p class="muted">{incidents?.message ?? 'Loading…'}</p>
        ) : incidents.items.length === 0 ? (
          <p class="muted">None recorded.</p>
        ) : (
          <ol class="incidents">
            {incidents.items.map((i) => (
              <li key={i.id} class={`s-${i.to}`}>
                <span class="icon" aria-hidden="true">
                  {statusLook[i.to].icon}
                </span>
                <strong>{statusLook[i.to].label}</strong> {new Date(i.startedAt).toLocaleString()} ·{' '}
                {i.endedAt === null ? 'ongoing' : formatDuration(i.endedAt - i.startedAt)}
                <div class="reason">{i.reason}</div>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section>
        <h2>Recent results</h2>
        {raw === undefined ? (
          <p class="muted">Shown for the 1h range.</p>
        ) : (
          <table class="results">
            <thead>
              <tr>
                <th>time</th>
                <th>outcome</th>
                <th>latency</th>
                <th>message</th>
              </tr>
            </thead>
            <tbody>
              {results
                .slice(-20)
                .reverse()
                .map((r) => (
                  <tr key={r.at} class={`o-${r.outcome}`}>
                    <td>{new Date(r.at).toLocaleTimeString()}</td>
                    <td>{r.outcome}</td>
                    <td>{formatLatency(r.latencyMs)}</td>
                    <td>{r.message}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        )}
      </section>

      <section>
        <h2>Config</h2>
        <pre class="config">{JSON.stringify(detail.config, null, 2)}</pre>
      </section>
    </main>
  );
}
