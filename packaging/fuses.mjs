// Electron fuses for packaged builds, flipped in electron-builder's afterPack hook (before
// signing, so the signature covers the flipped binary). Electron's security checklist asks for
// these; see https://www.electronjs.org/docs/latest/tutorial/fuses.
import path from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';
import { Arch } from 'electron-builder';

/** One line per fuse, with why. strictlyRequireAllFuses makes a new Electron fuse fail the build until decided here. */
export function fuseConfig({ resetAdHocDarwinSignature = false } = {}) {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    resetAdHocDarwinSignature,
    // The CLI ships as `VitalSync --cli`, so nothing needs the binary to act as plain Node.
    [FuseV1Options.RunAsNode]: false,
    // Cookies (none today) are encrypted with an OS-kept key.
    [FuseV1Options.EnableCookieEncryption]: true,
    // NODE_OPTIONS and --inspect would let anyone who can set our environment run code in main.
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // app.asar is checked against the hash electron-builder records (macOS, Windows).
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    // Only app.asar is loaded: an app/ folder dropped next to it is ignored.
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    // The renderer comes over app://, so file:// needs none of its old extra privileges.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    [FuseV1Options.WasmTrapHandlers]: true,
  };
}

/** The Electron executable inside a packed app folder, per platform. */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${name}.exe`);
  return path.join(appOutDir, packager.executableName);
}

/**
 * electron-builder afterPack hook. No way around it: a build whose fuses cannot be flipped fails
 * (packaging.test.ts packs around a stand-in Electron and mocks @electron/fuses instead).
 */
export async function afterPack(context) {
  const resetAdHocDarwinSignature = context.electronPlatformName === 'darwin' && context.arch === Arch.arm64;
  await flipFuses(electronBinaryPath(context), fuseConfig({ resetAdHocDarwinSignature }));
}
