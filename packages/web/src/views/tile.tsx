import { Component } from 'preact';
import type { TileDetail } from '../logic/grid';
import { monitorHref } from '../logic/routes';
import { statusLook } from '../logic/status';
import { formatLatency } from '../logic/format';
import type { MonitorSummary } from '../types';

interface TileProps {
  readonly m: MonitorSummary;
  readonly detail: TileDetail;
}

/** The small note a tile shows besides its name: the latency when up, else the maintenance window or reason. */
function tileNote(m: MonitorSummary): string {
  return m.status === 'up' && m.lastCheck !== undefined
    ? formatLatency(m.lastCheck.latencyMs)
    : (m.maintenance ?? m.reason);
}

/**
 * A tile of a big board (more than a few hundred monitors): the same link, colour, icon and name as {@link Tile},
 * but one element with one text node and no component of its own, so 5,000 of them build, lay out and paint
 * quickly (see `.tile.d-flat`). The status word is in the accessible name; the status word and the note (latency
 * or reason) in the tooltip. (A floated note beside the name made the first layout of 5,000 tiles about twice as
 * slow.)
 */
export function flatTile(m: MonitorSummary) {
  const look = statusLook[m.status];
  const note = tileNote(m);
  return (
    <a
      key={m.id}
      class={`tile s-${m.status} d-flat`}
      href={monitorHref(m.id)}
      data-id={m.id}
      data-status={m.status}
      title={`${m.name}: ${look.label}${note === '' ? '' : ` — ${note}`}`}
      aria-label={`${m.name}: ${look.label}`}
    >
      {`${look.icon} ${m.name}`}
    </a>
  );
}

/** A TV tile too small for text: {@link flatTile}'s element with only the status icon (`.tile.d-icon`). */
export function iconTile(m: MonitorSummary) {
  const look = statusLook[m.status];
  const note = tileNote(m);
  return (
    <a
      key={m.id}
      class={`tile s-${m.status} d-icon`}
      href={monitorHref(m.id)}
      data-id={m.id}
      data-status={m.status}
      title={`${m.name}: ${look.label}${note === '' ? '' : ` — ${note}`}`}
      aria-label={`${m.name}: ${look.label}`}
    >
      {look.icon}
    </a>
  );
}

/**
 * One monitor: its status as colour, icon and word (never colour alone), and as much text as fits.
 * Re-renders only when its summary object changes (the feed replaces it on a change).
 */
export class Tile extends Component<TileProps> {
  override shouldComponentUpdate(next: TileProps): boolean {
    return next.m !== this.props.m || next.detail !== this.props.detail;
  }

  override render() {
    const { m, detail } = this.props;
    const look = statusLook[m.status];
    const note = tileNote(m);
    return (
      <a
        class={`tile s-${m.status} d-${detail}`}
        href={monitorHref(m.id)}
        data-id={m.id}
        data-status={m.status}
        title={`${m.name}: ${look.label}${m.reason === '' ? '' : ` — ${m.reason}`}`}
        aria-label={`${m.name}: ${look.label}`}
      >
        <span class="icon" aria-hidden="true">
          {look.icon}
        </span>
        {detail === 'icon' ? null : <span class="name">{m.name}</span>}
        {detail === 'full' ? <span class="label">{look.label}</span> : null}
        {detail === 'full' && note !== '' ? <span class="note">{note}</span> : null}
      </a>
    );
  }
}
