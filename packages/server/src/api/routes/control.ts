import { z } from 'zod';
import type { Engine } from '../../engine/index.js';
import { ApiError, notFound } from '../errors.js';
import { route } from '../route.js';
import { monitorSummarySchema, summaryView } from '../views.js';
import { idParams } from './monitors.js';

/** Reloads the config file and applies it; rejects with the config's problems. */
export type ReloadConfig = () => Promise<{ added: string[]; changed: string[]; removed: string[] }>;

/** Routes that change what the engine does: pause, resume, run now, reload. */
export function controlRoutes(engine: Engine, reload: ReloadConfig) {
  const after = (id: string) => {
    const snapshot = engine.get(id);
    if (snapshot === undefined) throw notFound(`monitor "${id}"`);
    return summaryView(snapshot);
  };
  return [
    route({
      method: 'POST',
      url: '/monitors/:id/pause',
      summary: 'Stop checking a monitor until resumed',
      tag: 'control',
      access: 'write',
      params: idParams,
      response: monitorSummarySchema,
      errors: [404],
      handler: async ({ params, principal }) => {
        if (!(await engine.pause(params.id, `paused by ${principal.user ?? 'API token'}`)))
          throw notFound(`monitor "${params.id}"`);
        return after(params.id);
      },
    }),
    route({
      method: 'POST',
      url: '/monitors/:id/resume',
      summary: 'Resume a paused, blocked or crashed monitor and check it now',
      tag: 'control',
      access: 'write',
      params: idParams,
      response: monitorSummarySchema,
      errors: [404],
      handler: async ({ params }) => {
        if (!(await engine.resume(params.id))) throw notFound(`monitor "${params.id}"`);
        return after(params.id);
      },
    }),
    route({
      method: 'POST',
      url: '/monitors/:id/run',
      summary: 'Check a monitor now',
      tag: 'control',
      access: 'write',
      params: idParams,
      response: z.object({ queued: z.literal(true) }),
      errors: [404, 409],
      handler: ({ params }) => {
        if (engine.get(params.id) === undefined) throw notFound(`monitor "${params.id}"`);
        if (!engine.runNow(params.id))
          throw new ApiError(
            409,
            'NOT_RUNNING',
            `monitor "${params.id}" is not being checked (paused, blocked or crashed); resume it first`,
          );
        return { queued: true as const };
      },
    }),
    route({
      method: 'POST',
      url: '/config/reload',
      summary: 'Reload the config file now (it is also reloaded when it changes)',
      tag: 'control',
      access: 'write',
      response: z.object({
        added: z.array(z.string()),
        changed: z.array(z.string()),
        removed: z.array(z.string()),
      }),
      errors: [422],
      handler: () => reload(),
    }),
  ];
}
