// Runs the AuthStore contract over a Store back end: `reopen` closes the store and opens the same database.
import { FakeClock } from '@vigil/resilience/testing';
import type { OpenedAuthStore } from '../src/api/auth/auth-store.contract.js';
import type { Store } from '../src/store/index.js';

/** An {@link OpenedAuthStore} over stores that `openAt()` opens on one database. */
export async function storeAuthHarness(
  openAt: (clock: FakeClock) => Promise<Store>,
): Promise<OpenedAuthStore> {
  const clock = new FakeClock();
  let current = await openAt(clock);
  return {
    store: current.auth,
    close: () => current.close(),
    async reopen() {
      await current.close();
      current = await openAt(clock);
      return current.auth;
    },
  };
}
