import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPathsFrom, defaultDataDir } from './paths';
import { makeTempDir, PROJECT_ROOT } from './test/tempCore';

function layout(root: string, dirs: string[]): void {
  for (const d of dirs) fs.mkdirSync(path.join(root, d), { recursive: true });
}

describe('finding migrations and workers', () => {
  it('from the source tree (tests, tsx)', () => {
    const paths = appPathsFrom(path.join(PROJECT_ROOT, 'src/main'));
    expect(paths.migrationsDir).toBe(path.join(PROJECT_ROOT, 'resources/migrations'));
    expect(paths.workersDir).toBe(path.join(PROJECT_ROOT, 'src/main/workers'));
  });

  it('from a build (out/main) and from a packaged app (app.asar/out/main)', () => {
    const root = makeTempDir();
    layout(root, ['app/out/main', 'app/resources/migrations']);
    expect(appPathsFrom(path.join(root, 'app/out/main'))).toEqual({
      migrationsDir: path.join(root, 'app/resources/migrations'),
      workersDir: path.join(root, 'app/out/main'),
    });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('says the installation is incomplete when migrations are missing', () => {
    const root = makeTempDir();
    layout(root, ['out/main']);
    expect(() => appPathsFrom(path.join(root, 'out/main'))).toThrow(/installation is incomplete/);
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe('the default data folder', () => {
  it('is the desktop app’s own folder on each system, unless VITALSYNC_DATA_DIR says otherwise', () => {
    expect(defaultDataDir({ HOME: '/home/jane', XDG_CONFIG_HOME: '/home/jane/.config' }, 'linux')).toBe('/home/jane/.config/VitalSync');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\jane\\AppData\\Roaming' }, 'win32')).toContain('VitalSync');
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/VitalSync$/);
    expect(defaultDataDir({ VITALSYNC_DATA_DIR: '/data/vs' }, 'linux')).toBe('/data/vs');
  });
});
