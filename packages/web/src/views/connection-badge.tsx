import type { Connection } from '../browser/live';

const text: Record<Connection, string> = {
  connecting: 'connecting…',
  live: 'live',
  offline: 'offline — reconnecting',
};

/** Whether the board is live; when it is not, the statuses shown may be stale, and it says so. */
export function ConnectionBadge(props: { connection: Connection }) {
  return (
    <span class={`conn conn-${props.connection}`} data-connection={props.connection}>
      <span aria-hidden="true">{props.connection === 'live' ? '●' : '○'}</span>{' '}
      {text[props.connection]}
    </span>
  );
}
