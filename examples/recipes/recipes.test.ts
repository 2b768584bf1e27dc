// The example recipes, run as Vigil runs them (loaded from their files, no build step) against local
// HTTP servers shaped like a CI builds API and a Statuspage status page.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkKinds } from '../../packages/server/src/checks/index.js';
import { runCheck } from '../../packages/server/test/check-harness.js';
import {
  httpStub,
  reply,
  type HttpStub,
  type StubHandler,
} from '../../packages/server/test/http-stub.js';

const examplesDir = dirname(dirname(fileURLToPath(import.meta.url)));
const { recipe } = checkKinds;

const stubs: HttpStub[] = [];
afterEach(async () => {
  await Promise.all(stubs.splice(0).map((s) => s.close()));
});
async function stub(handler: StubHandler): Promise<HttpStub> {
  const s = await httpStub(handler);
  stubs.push(s);
  return s;
}

const run = (module: string, options: Record<string, unknown>) =>
  runCheck(recipe, { module, options }, { deps: { configDir: examplesDir } });

describe('examples/recipes/ci-status.ts', () => {
  it.each([
    ['running', 'pending'],
    ['queued', 'pending'],
    ['success', 'ok'],
    ['fixed', 'ok'],
    ['failed', 'fail'],
    ['canceled', 'fail'],
  ])('maps a latest build %s to %s', async (status, outcome) => {
    const ci = await stub(reply(200, [{ status }, { status: 'success' }]));
    const r = await run('./recipes/ci-status.ts', { url: `${ci.origin}/api/builds?limit=1` });
    expect(r).toMatchObject({ outcome, message: `latest build: ${status}` });
  });

  it('fails when there is no build', async () => {
    const ci = await stub(reply(200, []));
    const r = await run('./recipes/ci-status.ts', { url: `${ci.origin}/api/builds` });
    expect(r).toMatchObject({ outcome: 'fail', message: 'no build in the response' });
  });

  it('sends the token as a bearer token, and never shows it', async () => {
    const ci = await stub(reply(401, { message: 'bad token' }));
    const r = await run('./recipes/ci-status.ts', {
      url: `${ci.origin}/api/builds?token=s3cret`,
      token: 's3cret',
    });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `HTTP 401 from GET ${ci.origin}/api/builds?…`,
    });
    expect(JSON.stringify(r)).not.toContain('s3cret');
    expect(ci.requests[0]?.headers.authorization).toBe('Bearer s3cret');
  });

  it('refuses a monitor without a url option', async () => {
    await expect(run('./recipes/ci-status.ts', {})).rejects.toThrow(
      "recipe ci-status (./recipes/ci-status.ts) refused the monitor's options",
    );
  });
});

describe('examples/recipes/platform-status.ts', () => {
  it.each([
    ['none', 'All Systems Operational', 'ok'],
    ['minor', 'Partially Degraded Service', 'degraded'],
    ['maintenance', 'Service Under Maintenance', 'degraded'],
    ['major', 'Partial System Outage', 'fail'],
    ['critical', 'Major Service Outage', 'fail'],
  ])('maps the indicator %s (%s) to %s', async (indicator, description, outcome) => {
    const page = await stub(reply(200, { status: { indicator, description } }));
    const r = await run('./recipes/platform-status.ts', {
      url: `${page.origin}/api/v2/status.json`,
    });
    expect(r).toMatchObject({ outcome, message: description });
    expect(page.requests[0]?.headers.accept).toBe('application/json');
  });

  it.each([
    [{ status: { indicator: 'purple' } }, 'unknown status indicator "purple"'],
    [{ page: {} }, 'unknown status indicator undefined'],
    [null, 'unknown status indicator undefined'],
  ])('fails on a page it does not understand: %j', async (body, message) => {
    const page = await stub(reply(200, body));
    const r = await run('./recipes/platform-status.ts', { url: page.origin });
    expect(r).toMatchObject({ outcome: 'fail', message });
  });

  it('fails on a status page that is not JSON', async () => {
    const page = await stub(reply(200, '<html>Status</html>'));
    const r = await run('./recipes/platform-status.ts', { url: `${page.origin}/status` });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(
      /^response from GET http:\/\/127\.0\.0\.1:\d+\/status is not valid JSON/,
    );
  });
});
