import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { authStatus, getJson } from './browser/api';
import { browserClock } from './browser/clock';
import { LiveFeed } from './browser/live';
import { navigate, route, search } from './browser/router';
import type { AuthStatus, Group } from './types';
import { LoginPage, SetupPage } from './views/auth-pages';
import { Board } from './views/board';
import { Detail } from './views/detail';
import { Tv } from './views/tv';

const feed = new LiveFeed(browserClock);
const auth = signal<AuthStatus | undefined>(undefined);
const bootError = signal('');
const groups = signal<readonly Group[]>([]);
// Open the live feed at once, beside the sign-in check: a signed-in board saves a round trip; when the
// check says nobody is signed in, the feed is closed again.
// The groups too (their order and names shape the board's sections): when they came only after the sign-in
// check, a 5,000-tile board rendered its snapshot in one order and then moved every section again.
let earlyGroups: Promise<Group[] | undefined> | undefined;
if (!['/login', '/setup'].includes(location.pathname)) {
  feed.start();
  earlyGroups = getJson<Group[]>('/groups').catch(() => undefined);
}

/** Reads who is signed in; on success (or a public board) the feed and the groups load. */
export async function refreshAuth(): Promise<void> {
  try {
    const status = await authStatus();
    auth.value = status;
    bootError.value = '';
    if (status.user !== undefined || status.publicBoard) {
      feed.start();
      const early = earlyGroups;
      earlyGroups = undefined;
      groups.value = (await early) ?? (await getJson<Group[]>('/groups'));
    } else feed.close();
  } catch (error) {
    // At boot, retry until the server answers; later the live feed's own retries bring us back here.
    if (auth.value !== undefined) return;
    bootError.value = `Cannot reach the Vigil server: ${(error as Error).message}. Retrying…`;
    browserClock.setTimer(3000, () => void refreshAuth());
  }
}

/** The dashboard: picks the page from the URL, behind sign-in unless the board is public. */
export function App() {
  useEffect(() => void refreshAuth(), []);
  // A feed that keeps failing may mean the session expired: every third failure, ask who is signed in, so a
  // TV shows the sign-in page instead of a stale board (and the feed stops until someone signs in).
  const failures = feed.failures.value;
  useEffect(() => {
    if (failures > 0 && failures % 3 === 0) void refreshAuth();
  }, [failures]);
  const status = auth.value;
  const r = route.value;
  if (status === undefined) {
    return <p class="empty">{bootError.value === '' ? 'Loading…' : bootError.value}</p>;
  }
  const afterAuth = (): void => {
    void refreshAuth().then(() => {
      if (route.value.page === 'login' || route.value.page === 'setup') navigate('/', true);
    });
  };
  if (status.setupRequired) {
    const token = new URLSearchParams(search.value).get('token') ?? '';
    return <SetupPage token={token} onDone={afterAuth} />;
  }
  const signedIn = status.user !== undefined || status.publicBoard;
  if (!signedIn || r.page === 'login' || r.page === 'setup') {
    if (signedIn) {
      navigate('/', true);
      return null;
    }
    return <LoginPage onDone={afterAuth} />;
  }
  const user = status.user === undefined ? {} : { user: status.user };
  switch (r.page) {
    case 'tv':
      return <Tv feed={feed} groups={groups.value} clock={browserClock} />;
    case 'monitor':
      return <Detail key={r.id} id={r.id} feed={feed} clock={browserClock} {...user} />;
    case 'missing':
      return (
        <p class="empty">
          No page at {r.path}. <a href="/">Back to the board</a>
        </p>
      );
    default:
      return <Board feed={feed} groups={groups.value} {...user} />;
  }
}
