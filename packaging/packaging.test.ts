// The installers cannot be built here (electron-builder would download Electron, fpm and
// appimagetool), so this checks what decides them: the configuration as electron-builder loads
// it, and a real `--dir` packing of the app around a stand-in Electron, whose app.asar and
// app.asar.unpacked are then read back and resolved by the same path code the packaged app runs.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY_META } from '../src/shared/csp';
import { appPathsFrom } from '../src/main/core/paths';
import config, { PROTOCOL_SCHEME, updateFeed } from '../electron-builder.config.mjs';
import { afterPack, electronBinaryPath, fuseConfig } from './fuses.mjs';

// @electron/fuses rewrites a real Electron binary; the stand-in has none. Its flipFuses is
// recorded instead, so the real afterPack hook runs as electron-builder calls it.
const flipped = vi.hoisted(() => [] as { file: string; config: Record<string | number, unknown> }[]);
vi.mock('@electron/fuses', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@electron/fuses')>()),
  flipFuses: async (file: string, config: Record<string | number, unknown>) => void flipped.push({ file, config }),
}));

const ROOT = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('the packaging configuration', () => {
  it('registers vitalsync:// for the OS (macOS Info.plist, the Linux .desktop MimeType, Windows through the installer)', async () => {
    expect(config.protocols).toEqual([{ name: 'VitalSync sign-in', schemes: ['vitalsync'] }]);
    expect(PROTOCOL_SCHEME).toBe((await import('../src/main/core/oauth/deeplink')).PROTOCOL);
    // Electron registers the scheme on Linux against this desktop file name: it must be the one the deb installs.
    expect(pkg.desktopName).toBe(`${config.linux!.executableName}.desktop`);
  });

  it('builds dmg and zip for both Mac architectures, nsis for Windows, AppImage and deb for Linux', () => {
    expect(config.mac!.target).toEqual([
      { target: 'dmg', arch: ['x64', 'arm64'] },
      { target: 'zip', arch: ['x64', 'arm64'] },
    ]);
    expect(config.win!.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.linux!.target).toEqual(['AppImage', 'deb']);
    expect(pkg.scripts.dist).toContain('electron-builder --config electron-builder.config.mjs');
  });

  it('signs with the hardened runtime and takes every credential from the environment, none from the repo', () => {
    expect(config.mac!.hardenedRuntime).toBe(true);
    const entitlements = fs.readFileSync(path.join(ROOT, config.mac!.entitlements!), 'utf8');
    expect(entitlements).toContain('com.apple.security.cs.allow-jit');
    expect(entitlements).not.toContain('disable-library-validation');
    expect(config.mac!.notarize).toBe(false); // no Apple credentials in the test's environment
    const text = JSON.stringify(config);
    expect(text).not.toMatch(/password|cscLink|certificateFile|apiKey/i);
  });

  it('ships every icon size each system needs, from the one SVG', () => {
    for (const file of [config.mac!.icon!, config.win!.icon!]) expect(fs.existsSync(path.join(ROOT, file)), file).toBe(true);
    const linuxIcons = fs.readdirSync(path.join(ROOT, config.linux!.icon!));
    for (const size of [16, 32, 48, 64, 128, 256, 512]) expect(linuxIcons).toContain(`${size}x${size}.png`);
  });

  it('has no update feed unless the distributor names one', () => {
    expect(config.publish).toBeNull();
  });

  it('takes an https update feed only, and refuses http when the configuration loads', () => {
    expect(updateFeed('https://updates.example.org/vitalsync/')).toEqual([{ provider: 'generic', url: 'https://updates.example.org/vitalsync/' }]);
    expect(updateFeed(undefined)).toBeNull();
    expect(updateFeed('')).toBeNull();
    for (const bad of ['http://updates.example.org/vitalsync/', 'HTTP://updates.example.org/', 'file:///srv/updates', 'ftp://x.example/']) {
      expect(() => updateFeed(bad), bad).toThrow(/VITALSYNC_UPDATE_URL must be an https:\/\/ address/);
    }
    expect(() => updateFeed('updates.example.org')).toThrow(/VITALSYNC_UPDATE_URL is not an address/);
    // As electron-builder loads it: `npm run dist` with an http feed stops with that message.
    const load = (url: string) =>
      spawnSync(process.execPath, ['--input-type=module', '-e', "await import('./electron-builder.config.mjs')"], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, VITALSYNC_UPDATE_URL: url } });
    const refused = load('http://updates.example.org/vitalsync/');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('VITALSYNC_UPDATE_URL must be an https:// address');
    const accepted = load('https://updates.example.org/vitalsync/');
    expect(accepted.status, `an https feed loads (this needs a build, out/):\n${accepted.stderr}`).toBe(0);
  });

  it('flips the fuses the security checklist asks for', () => {
    const fuses = fuseConfig();
    expect(fuses.strictlyRequireAllFuses).toBe(true);
    // FuseV1Options: 0 RunAsNode, 1 cookie encryption, 2 NODE_OPTIONS, 3 --inspect, 4 asar integrity, 5 only app.asar.
    expect(fuses).toMatchObject({ 0: false, 1: true, 2: false, 3: false, 4: true, 5: true });
    expect(fuseConfig({ resetAdHocDarwinSignature: true }).resetAdHocDarwinSignature).toBe(true);
    expect(config.afterPack).toBe(afterPack);
  });

  it('flips them in afterPack on each platform’s executable, resetting the ad-hoc signature on Apple silicon', async () => {
    flipped.length = 0;
    const packager = { appInfo: { productFilename: 'VitalSync' }, executableName: 'vitalsync' };
    const { Arch } = await import('electron-builder');
    await afterPack({ appOutDir: '/out/mac-arm64', electronPlatformName: 'darwin', arch: Arch.arm64, packager } as never);
    await afterPack({ appOutDir: '/out/win-unpacked', electronPlatformName: 'win32', arch: Arch.x64, packager } as never);
    expect(flipped).toEqual([
      { file: path.join('/out/mac-arm64', 'VitalSync.app'), config: fuseConfig({ resetAdHocDarwinSignature: true }) },
      { file: path.join('/out/win-unpacked', 'VitalSync.exe'), config: fuseConfig() },
    ]);
  });

  it('has no switch that skips the fuses', async () => {
    const saved = process.env.VITALSYNC_SKIP_FUSES;
    process.env.VITALSYNC_SKIP_FUSES = '1'; // the bypass this hook used to have
    flipped.length = 0;
    try {
      await afterPack({ appOutDir: '/out/linux-unpacked', electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'VitalSync' }, executableName: 'vitalsync' } } as never);
    } finally {
      if (saved === undefined) delete process.env.VITALSYNC_SKIP_FUSES;
      else process.env.VITALSYNC_SKIP_FUSES = saved;
    }
    expect(flipped.map((f) => f.file)).toEqual([path.join('/out/linux-unpacked', 'vitalsync')]);
  });

  it('puts the command line on the PATH as /usr/bin/vitalsync on Debian, running the app with --cli', () => {
    const script = fs.readFileSync(path.join(ROOT, config.deb!.afterInstall!), 'utf8').replaceAll('${executable}', 'vitalsync').replaceAll('${sanitizedProductName}', 'VitalSync');
    expect(script).toContain("cat > '/usr/bin/vitalsync' <<'WRAPPER'");
    const wrapper = /<<'WRAPPER'\n([\s\S]*?)\nWRAPPER/.exec(script)![1];
    // Run the wrapper against a stand-in app that prints the arguments it was given.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitalsync-wrapper-'));
    fs.writeFileSync(path.join(dir, 'app'), '#!/bin/sh\nprintf "%s\\n" "$@"\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'vitalsync'), wrapper.replace('/opt/VitalSync/vitalsync', path.join(dir, 'app')), { mode: 0o755 });
    const out = execFileSync(path.join(dir, 'vitalsync'), ['status', '--json', 'two words'], { encoding: 'utf8' });
    expect(out.trim().split('\n')).toEqual(['--ozone-platform=headless', '--cli', 'status', '--json', 'two words']);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(fs.readFileSync(path.join(ROOT, config.deb!.afterRemove!), 'utf8')).toContain("rm -f '/usr/bin/${executable}'");
    expect(fs.readFileSync(path.join(ROOT, config.nsis!.include!), 'utf8')).toContain('--cli %*');
  });
});

describe('the Windows installer additions', () => {
  const nsh = fs.readFileSync(path.join(ROOT, config.nsis!.include!), 'utf8');
  /** The script without its comments, as NSIS reads it. */
  const code = nsh
    .split('\n')
    .filter((line) => !/^\s*[;#]/.test(line))
    .join('\n');
  const macro = (name: string) => new RegExp(`!macro ${name}\\n([\\s\\S]*?)!macroend`).exec(code)![1];

  it('compile with NSIS (makensis, as electron-builder runs it), install and uninstall macros both, updating or not', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitalsync-nsis-'));
    const include = path.join(ROOT, config.nsis!.include!);
    for (const updated of ['0', '1']) {
      const out = path.join(dir, `check-${updated}.exe`);
      fs.writeFileSync(
        path.join(dir, 'check.nsi'),
        [
          'Unicode true',
          '!include "LogicLib.nsh"',
          // electron-builder defines ${isUpdated} (true when its auto-update runs the installer).
          'Var updated',
          "!define isUpdated '$updated == \"1\"'",
          'Name "VitalSync"',
          `OutFile "${out}"`,
          'InstallDir "$LOCALAPPDATA\\Programs\\VitalSync"',
          'RequestExecutionLevel user',
          `!include "${include}"`,
          'Section',
          `  StrCpy $updated "${updated}"`,
          '  SetOutPath $INSTDIR',
          '  !insertmacro customInstall',
          '  WriteUninstaller "$INSTDIR\\Uninstall.exe"',
          'SectionEnd',
          'Section "Uninstall"',
          `  StrCpy $updated "${updated}"`,
          '  !insertmacro customUnInstall',
          'SectionEnd',
        ].join('\n'),
      );
      // makensis comes from Debian's nsis package (.ci/run installs it).
      const log = execFileSync('makensis', ['-V2', '-WX', path.join(dir, 'check.nsi')], { encoding: 'utf8' });
      expect(fs.existsSync(out), log).toBe(true);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('never reads or writes PATH (nor any registry value): the launcher goes where Windows already looks', () => {
    // Editing PATH from NSIS cuts one longer than NSIS_MAX_STRLEN and matches substrings.
    expect(code).not.toMatch(/Environment|WM_SETTINGCHANGE|EnVar|StrRep|StrStr|%PATH%|\$\{?PATH/i);
    expect(code).not.toMatch(/WriteReg|ReadReg/);
    // %LOCALAPPDATA%\Microsoft\WindowsApps is on the user's PATH on Windows 10 and 11.
    expect(code).toContain('!define VITALSYNC_LAUNCHER "Microsoft\\WindowsApps\\vitalsync.cmd"');
    expect(macro('vitalsyncWriteLauncher')).toContain('FileOpen $0 "$R0\\${VITALSYNC_LAUNCHER}" w');
    expect(macro('vitalsyncWriteLauncher')).toContain(`FileWrite $0 '@echo off$\\r$\\n"$INSTDIR\\VitalSync.exe" --cli %*$\\r$\\n'`);
    expect(macro('customInstall')).toContain('ReadEnvStr $R0 LOCALAPPDATA');
    // Asked, and "no" in a silent install.
    expect(macro('customInstall')).toMatch(/MessageBox MB_YESNO[^`]*\/SD IDNO IDYES`/);
  });

  it('removes the launcher and the vitalsync:// registration on a real uninstall only, never during an auto-update', () => {
    const body = macro('customUnInstall').trim().split('\n').map((l) => l.trim());
    // The whole macro is one ${IfNot} ${isUpdated} block: nothing runs when the updater calls it.
    expect(body[0]).toBe('${IfNot} ${isUpdated}');
    expect(body.at(-1)).toBe('${EndIf}');
    expect(body.slice(1, -1).some((l) => /^\$\{(EndIf|Else)/.test(l))).toBe(false);
    expect(body).toContain('Delete "$R0\\${VITALSYNC_LAUNCHER}"');
    expect(body).toContain('DeleteRegKey HKCU "Software\\Classes\\vitalsync"');
    expect(body.filter((l) => /^(Delete|DeleteRegKey|RMDir)\b/.test(l))).toEqual(['Delete "$R0\\${VITALSYNC_LAUNCHER}"', 'DeleteRegKey HKCU "Software\\Classes\\vitalsync"']);
  });
});

describe('the built page', () => {
  it('carries exactly the one CSP, with no ws:', () => {
    const file = path.join(ROOT, 'out/renderer/index.html');
    expect(fs.existsSync(file), 'run "npm run build" first (npm test does)').toBe(true);
    const html = fs.readFileSync(file, 'utf8');
    const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/g)].map((m) => m[1].replaceAll('&#39;', "'"));
    expect(metas).toEqual([CONTENT_SECURITY_POLICY_META]);
    expect(metas[0]).not.toContain('ws:');
  });
});

describe('a packed app (electron-builder --dir around a stand-in Electron)', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vitalsync-pack-'));
  let appDir = '';
  let desktopEntry = '';
  let fuseTarget = '';
  let asarFiles: string[] = [];

  beforeAll(async () => {
    expect(fs.existsSync(path.join(ROOT, 'out/main/index.js')), 'run "npm run build" first (npm test does)').toBe(true);
    // The stand-in: what electron-builder copies from an Electron download, minus Electron itself.
    const fake = path.join(work, 'electron');
    fs.mkdirSync(path.join(fake, 'resources'), { recursive: true });
    fs.writeFileSync(path.join(fake, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(fake, 'LICENSE'), 'stand-in');
    const { build, Platform } = await import('electron-builder');
    const { LinuxTargetHelper } = await import('app-builder-lib/out/targets/LinuxTargetHelper.js');
    await build({
      projectDir: ROOT,
      targets: Platform.LINUX.createTarget('dir'),
      config: {
        ...config,
        electronDist: fake,
        electronVersion: pkg.devDependencies.electron.replace(/^\^/, ''),
        npmRebuild: false,
        directories: { ...config.directories, output: path.join(work, 'dist') },
        // The real hook (its @electron/fuses is the recorder above), then the .desktop entry the
        // deb and AppImage targets would write.
        afterPack: async (context) => {
          flipped.length = 0;
          await afterPack(context);
          fuseTarget = electronBinaryPath(context);
          const packager = context.packager as ConstructorParameters<typeof LinuxTargetHelper>[0];
          desktopEntry = await new LinuxTargetHelper(packager).computeDesktopEntry(packager.platformSpecificBuildOptions);
        },
      },
    });
    appDir = path.join(work, 'dist', 'linux-unpacked');
    const asar = await import('@electron/asar');
    asarFiles = asar.listPackage(path.join(appDir, 'resources', 'app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    // Unpack the archive beside its unpacked twin, as a folder named app.asar: the layout the
    // packaged app sees through Electron's asar support.
    asar.extractAll(path.join(appDir, 'resources', 'app.asar'), path.join(work, 'mirror', 'app.asar'));
    fs.cpSync(path.join(appDir, 'resources', 'app.asar.unpacked'), path.join(work, 'mirror', 'app.asar.unpacked'), { recursive: true });
  }, 180_000);
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('holds the main, preload and renderer bundles, the migrations and the license, and no sources', () => {
    for (const f of ['/out/main/index.js', '/out/main/cli.js', '/out/main/importWorker.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/resources/migrations/0000_init.sql', '/resources/migrations/meta/_journal.json', '/package.json']) {
      expect(asarFiles, f).toContain(f);
    }
    expect(asarFiles.some((f) => f.startsWith('/src/'))).toBe(false);
    expect(asarFiles.some((f) => f.endsWith('.map'))).toBe(false);
    expect(asarFiles.some((f) => f.startsWith('/node_modules/electron/'))).toBe(false);
    expect(fs.existsSync(path.join(appDir, 'resources', 'LICENSE'))).toBe(true);
  });

  it('keeps the native modules, the import worker with all it loads, and the migrations outside the archive', () => {
    const unpacked = path.join(appDir, 'resources', 'app.asar.unpacked');
    for (const f of ['out/main/importWorker.js', 'node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'node_modules/keytar/build/Release/keytar.node', 'node_modules/yauzl/package.json', 'resources/migrations/0000_init.sql']) {
      expect(fs.existsSync(path.join(unpacked, f)), f).toBe(true);
    }
    const worker = fs.readFileSync(path.join(unpacked, 'out/main/importWorker.js'), 'utf8');
    for (const m of worker.matchAll(/from "(\.\/chunks\/[^"]+)"/g)) expect(fs.existsSync(path.join(unpacked, 'out/main', m[1])), m[1]).toBe(true);
  });

  it('resolves every path the packaged app uses to a file it ships', () => {
    const mirror = path.join(work, 'mirror');
    const entryDir = path.join(mirror, 'app.asar', 'out', 'main');
    const paths = appPathsFrom(entryDir);
    expect(paths.workersDir).toBe(path.join(mirror, 'app.asar.unpacked', 'out', 'main'));
    expect(paths.migrationsDir).toBe(path.join(mirror, 'app.asar.unpacked', 'resources', 'migrations'));
    expect(fs.existsSync(path.join(paths.workersDir, 'importWorker.js'))).toBe(true);
    // window.ts: the preload and the renderer sit beside out/main.
    expect(fs.existsSync(path.join(entryDir, '../preload/index.cjs'))).toBe(true);
    expect(fs.existsSync(path.join(entryDir, '../renderer/index.html'))).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(mirror, 'app.asar', 'package.json'), 'utf8'));
    expect(fs.existsSync(path.join(mirror, 'app.asar', manifest.main))).toBe(true);
  });

  it('writes a .desktop entry that handles vitalsync:// links and flips the fuses on the real executable', () => {
    expect(desktopEntry).toContain('MimeType=x-scheme-handler/vitalsync;');
    expect(desktopEntry).toMatch(/^Exec=\/opt\/VitalSync\/vitalsync %U$/m);
    expect(fuseTarget).toBe(path.join(appDir, 'vitalsync'));
    expect(fs.existsSync(fuseTarget)).toBe(true);
    // electron-builder ran the real afterPack, which flipped the fuses on that executable.
    expect(flipped).toEqual([{ file: fuseTarget, config: fuseConfig() }]);
  });
});
