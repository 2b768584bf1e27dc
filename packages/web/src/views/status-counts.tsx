import { countByStatus, statusLook } from '../logic/status';
import { statuses, type MonitorSummary, type Status } from '../types';

/** "✖ 2 Down · ✔ 40 Up …": every status present, each a button when `onPick` is given. */
export function StatusCounts(props: {
  monitors: Iterable<MonitorSummary>;
  onPick?: (status: Status) => void;
}) {
  const counts = countByStatus(props.monitors);
  const shown = [...statuses]
    .sort((a, b) => statusLook[a].rank - statusLook[b].rank)
    .filter((s) => counts[s] > 0);
  return (
    <ul class="counts" aria-label="monitors by status">
      {shown.map((s) => (
        <li key={s} class={`count s-${s}`} data-status={s}>
          <span aria-hidden="true">{statusLook[s].icon}</span> {counts[s]} {statusLook[s].label}
        </li>
      ))}
    </ul>
  );
}
