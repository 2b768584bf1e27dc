import { signal } from '@preact/signals';
import { routeOf, type Route } from '../logic/routes';

/** The current page and query string; updated by {@link navigate} and the browser's back/forward. */
export const route = signal<Route>(routeOf(location.pathname));
export const search = signal(location.search);

function sync(): void {
  route.value = routeOf(location.pathname);
  search.value = location.search;
}

/** Goes to `url` inside the app (no page load). `replace` keeps the history entry. */
export function navigate(url: string, replace = false): void {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  sync();
  if (!replace) window.scrollTo(0, 0);
}

/** Makes plain `<a href="/…">` links inside the app navigate without reloading. */
export function interceptLinks(): void {
  addEventListener('popstate', sync);
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const target = event.target instanceof Element ? event.target.closest('a') : null;
    if (target === null || target.target !== '' || target.origin !== location.origin) return;
    if (target.pathname.startsWith('/api/')) return;
    event.preventDefault();
    navigate(target.pathname + target.search);
  });
}
