// A recipe for a platform's public status page in the Statuspage format that many providers publish
// (GitHub, Atlassian, Cloudflare, …): {"status":{"indicator":"none","description":"All Systems Operational"}}.
// none → ok, minor or maintenance → degraded, major or critical → fail.
import { defineRecipe, type RecipeOutcome } from 'vigil/recipe';

const OUTCOMES: Readonly<Record<string, RecipeOutcome>> = {
  none: 'ok',
  minor: 'degraded',
  maintenance: 'degraded',
  major: 'fail',
  critical: 'fail',
};

export default defineRecipe({
  parseOptions({ url }) {
    if (typeof url !== 'string') throw new Error('options.url (the status JSON URL) is required');
    return { url };
  },

  request: ({ url }) => ({ url, headers: { accept: 'application/json' } }),

  handleResponse(response) {
    const page = (response.json() ?? {}) as {
      status?: { indicator?: unknown; description?: unknown };
    };
    const { indicator, description } = page.status ?? {};
    const outcome = typeof indicator === 'string' ? OUTCOMES[indicator] : undefined;
    if (outcome === undefined)
      return { outcome: 'fail', message: `unknown status indicator ${JSON.stringify(indicator)}` };
    return { outcome, message: typeof description === 'string' ? description : outcome };
  },
});
