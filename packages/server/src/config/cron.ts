import { Cron } from 'croner';

/** Why a cron window cannot be used (bad pattern or time zone), or `undefined` when it is fine. */
export function cronProblem(cron: string, timezone: string | undefined): string | undefined {
  try {
    new Cron(cron, { paused: true, ...(timezone === undefined ? {} : { timezone }) }).nextRun();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.replace(/^Cron\w*: /, '') : String(error);
  }
}
