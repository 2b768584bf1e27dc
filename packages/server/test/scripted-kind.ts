// A check kind the test drives: each monitor follows a script of outcomes (the last one repeats).
import { z } from 'zod';
import type { CheckKind, CheckResult, Outcome } from '../src/checks/index.js';

export type Script = Map<string, Outcome[]>;

export function scriptedKind(scripts: Script): CheckKind {
  return {
    name: 'scripted',
    description: 'test kind driven by a script',
    schema: z.object({}).strict(),
    create(_config, _deps, id) {
      let i = 0;
      return {
        run(): Promise<CheckResult> {
          const script = scripts.get(id) ?? ['ok'];
          const outcome = script[Math.min(i++, script.length - 1)] ?? 'ok';
          return Promise.resolve({ outcome, message: `${outcome} #${i}`, latencyMs: 5 });
        },
      };
    },
  };
}
