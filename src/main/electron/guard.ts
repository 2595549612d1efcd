// The app-wide guard every web contents gets as it is created (Electron's security checklist:
// "Disable or limit navigation", "Disable or limit creation of new windows", "Verify WebView
// options"): no webviews, no navigation away from our page, no new windows. A provider's page
// asked for by a link goes to the system browser; the decision is policy.ts's.
import { app, shell, type WebContents } from 'electron';
import { log } from '../core/log';
import { isAppPage, mayOpenExternally, originForLog } from './policy';

export interface GuardOptions {
  /** The dev server's URL under `electron-vite dev`, else null. */
  devUrl: string | null;
  env?: NodeJS.ProcessEnv;
}

export function guardWebContents(contents: WebContents, opts: GuardOptions): void {
  const env = opts.env ?? process.env;
  const openOutside = (url: string) => {
    if (mayOpenExternally(url, env)) void shell.openExternal(url);
    else log.warn(`refused to open ${originForLog(url)}: not a provider's sign-in page`);
  };
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('refused a <webview>');
  });
  contents.on('will-navigate', (event, url) => {
    if (isAppPage(url, opts.devUrl)) return;
    event.preventDefault();
    openOutside(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppPage(url, opts.devUrl)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
}

/** Must run before any window exists, so no web contents escapes it. */
export function installWebContentsGuard(opts: GuardOptions): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, opts));
}
