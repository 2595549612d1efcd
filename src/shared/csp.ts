// The one Content-Security-Policy of VitalSync's pages. The desktop window (app:// responses and
// the session header), browser mode (HTTP header) and the built index.html (a <meta> injected at
// build time by electron.vite.config.ts) all take it from here, so they cannot drift apart.
//
// connect-src 'self' is all either front door needs: the desktop app talks to main over IPC, and
// browser mode's WebSocket goes back to the page's own host and port, which CSP Level 3 counts
// as 'self' (no ws: source, so no other local server can be reached from the page).

const DIRECTIVES: readonly (readonly [string, string])[] = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  // React and echarts set style attributes; no stylesheet or script comes from elsewhere.
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['worker-src', "'none'"],
  ['frame-src', "'none'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** Directives a browser ignores (and warns about) in a <meta> policy: they only work as headers. */
const HEADER_ONLY = new Set(['frame-ancestors']);

const join = (list: readonly (readonly [string, string])[]) => list.map(([name, value]) => `${name} ${value}`).join('; ');

/** The policy as an HTTP header (app:// responses, the session, browser mode). */
export const CONTENT_SECURITY_POLICY = join(DIRECTIVES);

/** The same policy for index.html's <meta http-equiv>, less what only a header can carry. */
export const CONTENT_SECURITY_POLICY_META = join(DIRECTIVES.filter(([name]) => !HEADER_ONLY.has(name)));
