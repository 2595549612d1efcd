// The vitalsync:// protocol in Electron: registration, and links from every way the OS
// delivers them (macOS open-url, Windows/Linux argv at cold start and via second-instance).
// Parsing and queueing live in core/oauth/deeplink.ts, where they are tested.
import path from 'node:path';
import { app, powerMonitor, shell } from 'electron';
import { deepLinkFromArgv, DeepLinkQueue, PROTOCOL } from '../core/oauth/deeplink';
import { mayOpenExternally, originForLog } from './policy';

export const deepLinks = new DeepLinkQueue();

/** Must run before 'ready': macOS delivers the link that launched the app through open-url. */
export function registerProtocolClient(): void {
  if (process.defaultApp) {
    // Development (`electron .`): the OS must relaunch electron with our entry script.
    if (process.argv.length >= 2) app.setAsDefaultProtocolClient(PROTOCOL, process.execPath, [path.resolve(process.argv[1])]);
  } else {
    app.setAsDefaultProtocolClient(PROTOCOL);
  }
  app.on('open-url', (event, url) => {
    event.preventDefault();
    deepLinks.push(url);
  });
  const cold = deepLinkFromArgv(process.argv);
  if (cold) deepLinks.push(cold);
}

/** A second launch (Windows/Linux deep link) hands us its argv. */
export function deepLinkFromSecondInstance(argv: string[]): void {
  const link = deepLinkFromArgv(argv);
  if (link) deepLinks.push(link);
}

/** The system browser does the sign-in, never an embedded view. Only providers' sign-in pages are opened. */
export async function openInSystemBrowser(url: string): Promise<void> {
  if (!mayOpenExternally(url)) throw new Error(`VitalSync opens only the providers' sign-in pages in your browser, not ${originForLog(url)}.`);
  await shell.openExternal(url);
}

export function onResumeFromSleep(handler: () => void): void {
  powerMonitor.on('resume', handler);
}
