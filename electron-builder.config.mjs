// Packaging: `npm run dist` builds the installers for the system it runs on (electron-builder).
//
//   macOS    dmg + zip, x64 and arm64; hardened runtime; signed and notarized when the
//            distributor's environment has the credentials (README "Signing")
//   Windows  nsis (per-user or per-machine; an optional vitalsync.cmd in the user's WindowsApps)
//   Linux    AppImage + deb (/usr/bin/vitalsync is the CLI)
//
// Secrets never live here: signing reads CSC_LINK / CSC_KEY_PASSWORD (WIN_CSC_* on Windows),
// notarization APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID, or an App Store Connect
// API key (APPLE_API_KEY, APPLE_API_KEY_ID, APPLE_API_ISSUER), or APPLE_KEYCHAIN_PROFILE.
// packaging/packaging.test.ts loads this file and checks it, without Electron.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterPack } from './packaging/fuses.mjs';
import { asarUnpackPatterns } from './packaging/layout.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;

export const PROTOCOL_SCHEME = 'vitalsync';
const notarize = Boolean((env.APPLE_ID && env.APPLE_APP_SPECIFIC_PASSWORD && env.APPLE_TEAM_ID) || (env.APPLE_API_KEY && env.APPLE_API_KEY_ID && env.APPLE_API_ISSUER) || env.APPLE_KEYCHAIN_PROFILE);

/**
 * The update feed (electron-builder's publish, written into the app as app-update.yml), or null.
 * https only: the app downloads and runs what the feed names, so over plain http anyone on the
 * network path could answer with their own installer (the signature check is Windows-only, and
 * only when the build is signed). An http or malformed address stops the build here.
 * @param {string | undefined} url
 */
export function updateFeed(url) {
  if (!url) return null;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`VITALSYNC_UPDATE_URL is not an address ("${url}"). Set it to the https:// folder where you upload the update files, or unset it for a build without updates.`);
  }
  if (parsed.protocol !== 'https:') {
    throw new Error(
      `VITALSYNC_UPDATE_URL must be an https:// address, not ${parsed.protocol}//${parsed.host}: over plain http anyone on the network could hand the app their own update. Serve the feed over https, or unset VITALSYNC_UPDATE_URL for a build without updates.`,
    );
  }
  return [{ provider: 'generic', url }];
}

// Checked first, so a wrong feed is the error a distributor sees, whatever else is missing.
const publish = updateFeed(env.VITALSYNC_UPDATE_URL);

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'org.vitalsync.desktop',
  productName: 'VitalSync',
  copyright: 'Copyright © VitalSync contributors. MIT License.',
  directories: { output: 'dist', buildResources: 'packaging' },
  // What goes into app.asar: the three bundles, the migrations and the window icon (the license
  // goes beside it, resources/LICENSE).
  // Production node_modules are added by electron-builder from package.json "dependencies".
  files: ['out/main/**', 'out/preload/**', 'out/renderer/**', 'resources/migrations/**', 'resources/icons/png/512x512.png', 'package.json', '!**/*.map'],
  extraResources: [{ from: 'LICENSE', to: 'LICENSE' }],
  asar: true,
  asarUnpack: asarUnpackPatterns(root),
  // better-sqlite3 and keytar are rebuilt for the packaged Electron's ABI.
  npmRebuild: true,
  nodeGypRebuild: false,
  afterPack,
  protocols: [{ name: 'VitalSync sign-in', schemes: [PROTOCOL_SCHEME] }],
  // No update feed unless the distributor names one; without it the Settings switch does nothing.
  publish,
  mac: {
    category: 'public.app-category.healthcare-fitness',
    icon: 'resources/icons/icon.icns',
    target: [
      { target: 'dmg', arch: ['x64', 'arm64'] },
      { target: 'zip', arch: ['x64', 'arm64'] },
    ],
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'packaging/entitlements.mac.plist',
    entitlementsInherit: 'packaging/entitlements.mac.plist',
    notarize,
  },
  dmg: { writeUpdateInfo: false },
  win: {
    icon: 'resources/icons/icon.ico',
    target: [{ target: 'nsis', arch: ['x64'] }],
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    license: 'LICENSE',
    include: 'packaging/windows/installer.nsh',
    deleteAppDataOnUninstall: false,
  },
  linux: {
    icon: 'resources/icons/png',
    category: 'Utility',
    executableName: 'vitalsync',
    maintainer: env.VITALSYNC_MAINTAINER || 'VitalSync contributors <vitalsync@users.noreply.github.com>',
    synopsis: 'Your health data from Apple Health and wearables, merged on your own computer',
    target: ['AppImage', 'deb'],
  },
  deb: {
    // keytar needs the Secret Service client library at run time.
    depends: ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0'],
    afterInstall: 'packaging/linux/after-install.sh',
    afterRemove: 'packaging/linux/after-remove.sh',
  },
};

export default config;
