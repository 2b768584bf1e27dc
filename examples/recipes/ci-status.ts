// A recipe for a CI server's latest build: running or queued → pending (grey on the board), success or
// fixed → ok, anything else (failed, canceled, …) → fail. The builds API answers with the latest build
// first: [{"status":"running"}, {"status":"success"}, …].
import { defineRecipe } from 'vigil/recipe';

/** The monitor's `recipe.options`. */
interface CiStatusOptions {
  /** The builds API URL, e.g. https://ci.example.com/api/v1/project/acme/app/tree/main?limit=1. */
  readonly url: string;
  /** A token sent as `Authorization: Bearer …`; put it in the environment: `token: ${CI_TOKEN}`. */
  readonly token?: string;
}

const PENDING = new Set(['running', 'queued']);
const OK = new Set(['success', 'fixed']);

export default defineRecipe({
  parseOptions(options): CiStatusOptions {
    const { url, token } = options;
    if (typeof url !== 'string') throw new Error('options.url (the builds API URL) is required');
    if (token !== undefined && typeof token !== 'string')
      throw new Error('options.token must be text');
    return token === undefined ? { url } : { url, token };
  },

  request: ({ url, token }) => ({
    url,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  }),

  handleResponse(response) {
    const builds = response.json();
    const latest: unknown = Array.isArray(builds) ? builds[0] : undefined;
    const status =
      typeof latest === 'object' && latest !== null && 'status' in latest
        ? latest.status
        : undefined;
    if (typeof status !== 'string') return { outcome: 'fail', message: 'no build in the response' };
    const outcome = PENDING.has(status) ? 'pending' : OK.has(status) ? 'ok' : 'fail';
    return { outcome, message: `latest build: ${status}` };
  },
});
