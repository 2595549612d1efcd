import { create } from 'zustand';

/**
 * A tiny hash router: the page and its parameters live in the URL's hash
 * (`#/dashboard?span=month&end=2024-06-30`), so Back/Forward, reload and deep links keep them.
 * Hash routing works the same in Electron (app://vitalsync/index.html) and in browser mode.
 *
 *   const { page, params } = useRoute();
 *   navigate('dashboard', { span: 'week', end: '2024-06-30' }, { replace: true });
 */

export const PAGES = ['dashboard', 'sources', 'preferences', 'imports', 'export', 'settings'] as const;
export type Page = (typeof PAGES)[number];
export type RouteParams = Record<string, string>;
export interface Route {
  page: Page;
  params: RouteParams;
}

const DEFAULT_PAGE: Page = 'dashboard';

function isPage(s: string): s is Page {
  return (PAGES as readonly string[]).includes(s);
}

/** '#/dashboard?span=month' → { page: 'dashboard', params: { span: 'month' } }; anything unknown is the dashboard. */
export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = (q === -1 ? body : body.slice(0, q)).replace(/\/+$/, '');
  const params: RouteParams = {};
  if (q !== -1) new URLSearchParams(body.slice(q + 1)).forEach((v, k) => (params[k] = v));
  return isPage(path) ? { page: path, params } : { page: DEFAULT_PAGE, params: {} };
}

/** { page: 'dashboard', params: { span: 'month' } } → '#/dashboard?span=month' (empty values are left out). */
export function formatHash(page: Page, params: RouteParams = {}): string {
  const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();
  return `#/${page}${qs ? `?${qs}` : ''}`;
}

const hasWindow = typeof window !== 'undefined';

export const useRouter = create<Route>(() => (hasWindow ? parseHash(window.location.hash) : { page: DEFAULT_PAGE, params: {} }));

/** The current page and its parameters; re-renders when either changes. */
export function useRoute(): Route {
  const page = useRouter((s) => s.page);
  const params = useRouter((s) => s.params);
  return { page, params };
}

/** The current route outside React. */
export function currentRoute(): Route {
  return useRouter.getState();
}

/**
 * Goes to a page with its parameters. A new history entry by default (Back returns);
 * `replace: true` rewrites the current entry (for state like a range that follows the data).
 */
export function navigate(page: Page, params: RouteParams = {}, options: { replace?: boolean } = {}): void {
  const hash = formatHash(page, params);
  if (hasWindow) {
    if (window.location.hash === hash) {
      // Nothing changes in the URL; still settle the store on it.
    } else if (options.replace) window.history.replaceState(window.history.state, '', hash);
    else window.history.pushState(null, '', hash);
  }
  const next = hasWindow ? parseHash(hash) : { page, params };
  const cur = useRouter.getState();
  if (cur.page !== next.page || formatHash(cur.page, cur.params) !== hash) useRouter.setState(next, true);
}

if (hasWindow) {
  const sync = () => {
    const next = parseHash(window.location.hash);
    // An unknown route shows the dashboard, and says so in the URL.
    const canonical = formatHash(next.page, next.params);
    if (window.location.hash !== canonical) window.history.replaceState(window.history.state, '', canonical);
    const cur = useRouter.getState();
    if (cur.page !== next.page || formatHash(cur.page, cur.params) !== formatHash(next.page, next.params)) useRouter.setState(next, true);
  };
  // Back/Forward (popstate) and a hash typed or linked (hashchange).
  window.addEventListener('popstate', sync);
  window.addEventListener('hashchange', sync);
  // A start without a route (or with an unknown one) shows the dashboard's route in the URL.
  const start = useRouter.getState();
  const canonical = formatHash(start.page, start.params);
  if (window.location.hash !== canonical) window.history.replaceState(window.history.state, '', canonical);
}
