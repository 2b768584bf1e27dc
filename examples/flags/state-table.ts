// The flag supervisor's decision for each child, as a pure function: the state table, computed.
import { flagAction } from '@vigil/resilience';

export function main(): string[] {
  const rows: string[] = [];
  for (const on of [true, false]) {
    for (const crashed of [false, true]) {
      for (const running of [false, true]) {
        const action = flagAction(on, crashed, running);
        rows.push(
          `${on ? 'on ' : 'off'} ${crashed ? 'crashed' : '-      '} ${running ? 'running' : '-      '} → ${action}`,
        );
      }
    }
  }
  return rows;
}
