import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BrowserClock } from '../browser/clock';
import type { LiveFeed } from '../browser/live';
import { feedSections } from './feed-sections';
import { formatClock } from '../logic/format';
import { fitGrid } from '../logic/grid';
import { statusLook } from '../logic/status';
import type { Group } from '../types';
import { ConnectionBadge } from './connection-badge';
import { StatusCounts } from './status-counts';
import { usePaintedMark } from '../browser/painted';
import { iconTile, Tile } from './tile';

/** The size of an element, kept up to date as the window resizes. */
function useSize(): [RefObject<HTMLDivElement | null>, { width: number; height: number }] {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const measure = (): void => {
      const width = Math.floor(el.clientWidth);
      const height = Math.floor(el.clientHeight);
      setSize((s) => (s.width === width && s.height === height ? s : { width, height }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}

function Clock(props: { clock: BrowserClock }) {
  const [now, setNow] = useState(props.clock.now());
  useEffect(() => {
    const timer = props.clock.every(1000, () => setNow(props.clock.now()));
    return () => timer.cancel();
  }, [props.clock]);
  return <time class="clock">{formatClock(now)}</time>;
}

/**
 * TV / kiosk mode: no chrome, every monitor on one screen (the tile size is computed from the count and
 * the screen), who is on support per group, and a ticker of recent changes. Runs unattended: the feed
 * reconnects forever and keeps bounded state.
 */
export function Tv(props: { feed: LiveFeed; groups: readonly Group[]; clock: BrowserClock }) {
  const { feed } = props;
  const { filter, all, sections } = feedSections(feed, props.groups);
  const count = sections.reduce((n, s) => n + s.monitors.length, 0);
  const [gridRef, size] = useSize();
  usePaintedMark(feed.loaded.value && size.width > 0, count);
  const grid = fitGrid({ cells: count + sections.length, width: size.width, height: size.height });
  const support = sections.filter((s) => s.support !== undefined);
  const changes = feed.changes.value.slice(0, 12);
  const style = {
    gridTemplateColumns: `repeat(${grid.cols}, ${grid.tileWidth}px)`,
    gridAutoRows: `${grid.tileHeight}px`,
    gap: `${grid.gap}px`,
    fontSize: `${grid.fontPx}px`,
  };

  return (
    <div class="tv">
      <header class="tv-bar">
        <strong class="brand">Vigil</strong>
        <StatusCounts monitors={all} />
        <ConnectionBadge connection={feed.connection.value} />
        <Clock clock={props.clock} />
      </header>
      {support.length === 0 ? null : (
        <ul class="tv-support" aria-label="on support">
          {support.map((s) => (
            <li key={s.id}>
              <span class="group-name">{s.name}</span> ☎ {s.support?.name}
              {s.support?.contact === undefined ? '' : ` · ${s.support.contact}`}
            </li>
          ))}
        </ul>
      )}
      <div class="tv-area" ref={gridRef}>
        {size.width === 0 ? null : count === 0 && feed.loaded.value ? (
          <p class="empty tv-empty">
            {filter.problems ? '✔ No problems: every monitor is up.' : 'No monitors.'}
          </p>
        ) : (
          <div
            class={`tv-grid d-${grid.detail}`}
            style={style}
            data-cols={grid.cols}
            data-detail={grid.detail}
          >
            {sections.flatMap((s) => [
              <div key={`g:${s.id}`} class="tv-group" title={s.name} data-group={s.id}>
                <span>{s.name}</span>
              </div>,
              ...(grid.detail === 'icon'
                ? s.monitors.map(iconTile)
                : s.monitors.map((m) => <Tile key={m.id} m={m} detail={grid.detail} />)),
            ])}
          </div>
        )}
      </div>
      <footer class="ticker" aria-label="recent changes" aria-live="polite">
        {changes.length === 0 ? (
          <span class="quiet">No changes since this screen opened.</span>
        ) : (
          changes.map((c) => (
            <span key={`${c.id}:${c.at}`} class={`change s-${c.to}`}>
              {formatClock(c.at)} <span aria-hidden="true">{statusLook[c.to].icon}</span> {c.name}{' '}
              {c.from === undefined ? '' : `${statusLook[c.from].label} → `}
              {statusLook[c.to].label}
              {c.reason === '' ? '' : `: ${c.reason}`}
            </span>
          ))
        )}
      </footer>
    </div>
  );
}
