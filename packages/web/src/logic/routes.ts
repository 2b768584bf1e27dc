/** The dashboard's pages, from a URL path. */
export type Route =
  | { readonly page: 'board' }
  | { readonly page: 'tv' }
  | { readonly page: 'monitor'; readonly id: string }
  | { readonly page: 'login' }
  | { readonly page: 'setup' }
  | { readonly page: 'missing'; readonly path: string };

export function routeOf(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { page: 'board' };
  if (path === '/tv') return { page: 'tv' };
  if (path === '/login') return { page: 'login' };
  if (path === '/setup') return { page: 'setup' };
  const monitor = /^\/monitors\/([^/]+)$/.exec(path);
  if (monitor?.[1] !== undefined) {
    try {
      return { page: 'monitor', id: decodeURIComponent(monitor[1]) };
    } catch {
      return { page: 'missing', path };
    }
  }
  return { page: 'missing', path };
}

/** The link to a monitor's detail page. */
export const monitorHref = (id: string): string => `/monitors/${encodeURIComponent(id)}`;
