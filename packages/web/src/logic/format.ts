/** "3 s", "4 min", "2 h 5 min", "3 d 4 h": a duration for people. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** Latency: "0.8 ms", "12 ms", "1.25 s". */
export function formatLatency(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Uptime as a percentage with enough digits to tell 99.9 % from 99.99 %; "—" when unknown. */
export function formatUptime(ratio: number | null): string {
  if (ratio === null) return '—';
  const pct = ratio * 100;
  if (pct === 100) return '100 %';
  return `${pct >= 99 ? pct.toFixed(3) : pct.toFixed(2)} %`;
}

/** "HH:MM:SS" in local time, for the ticker. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
}
