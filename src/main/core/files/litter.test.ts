import { describe, expect, it } from 'vitest';
import { isLitter, isSyncConflictCopy, isSyncEngineFile } from './litter';

const SEGMENT = 'devices/3f2a9c0d41e8b7a6/segments/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.vss';
const MANIFEST = 'devices/3f2a9c0d41e8b7a6/manifest.vsm';

describe('isLitter (moved from imports/input.ts, same behaviour)', () => {
  it.each([
    '__MACOSX/export/._export.xml',
    'export/._export.xml',
    'export/.DS_Store',
    'Thumbs.db',
    'a/desktop.ini',
    '~$report.xlsx',
    '.syncthing.export.xml.tmp',
    'export.zip.part',
    'export.zip.crdownload',
    'export.xml.TMP',
  ])('%s is litter', (p) => expect(isLitter(p)).toBe(true));

  it.each(['apple_health_export/export.xml', 'workouts.csv', 'export.zip', SEGMENT, MANIFEST])('%s is not litter', (p) =>
    expect(isLitter(p)).toBe(false),
  );
});

describe('isSyncConflictCopy', () => {
  it.each([
    // Syncthing
    'manifest.sync-conflict-20240518-093012-ABCDEF7.vsm',
    'devices/3f2a/manifest.sync-conflict-20240518-093012-Q2W3E4R.vsm',
    'notes.sync-conflict-20160101-120000.txt', // before device IDs were added
    'README.sync-conflict-20240518-093012-ABCDEF7',
    // Dropbox
    "manifest (Jane's conflicted copy 2024-05-18).vsm",
    "manifest (Jane Doe's conflicted copy 2024-05-18) (1).vsm",
    'manifest (Case Conflict).vsm',
    'manifest (Case Conflict 1).vsm',
    'segments (Selective Sync Conflict)/x.vss',
    // Nextcloud / ownCloud
    'manifest (conflicted copy 2024-05-18 093012).vsm',
    'manifest_conflict-20240518-093012.vsm',
    'manifest_conflict-jane-20240518-093012.vsm',
    // a conflicted folder
    "devices (Jane's conflicted copy 2024-05-18)/3f2a/manifest.vsm",
  ])('%s is a conflict copy', (p) => expect(isSyncConflictCopy(p)).toBe(true));

  it.each([
    SEGMENT,
    MANIFEST,
    'vitalsync-vault.json',
    'Romeo and Juliet (Conflicts between families).pdf',
    'Git handbook (Conflict resolution chapter).txt',
    'notes (1).txt', // Google Drive: too vague
    'notes 2.txt', // iCloud: too vague
    'notes-DESKTOP-1234.txt', // OneDrive: too vague
    'sync-conflict-notes.md',
  ])('%s is not a conflict copy', (p) => expect(isSyncConflictCopy(p)).toBe(false));
});

describe('isSyncEngineFile', () => {
  it.each([
    // temp and partial files
    `devices/3f2a/segments/.syncthing.${SEGMENT.split('/').at(-1)}.tmp`,
    'devices/3f2a/segments/~syncthing~manifest.vsm.tmp',
    '~$manifest.vsm',
    'devices/3f2a/manifest.vsm.tmp',
    'devices/3f2a/manifest.vsm.part',
    'devices/3f2a/.~lock.manifest.vsm#',
    'devices/3f2a/segments/abc.vss.!sync',
    // engine folders and markers
    '.stfolder',
    '.stfolder/syncthing-folder-9c1a2b.txt',
    '.stversions/devices/3f2a/manifest~20240518-093012.vsm',
    '.stignore',
    '.dropbox.cache/2024-05-18/abc.vss',
    '.dropbox',
    '.dropbox.attr',
    '.sync/ID',
    '.sync/Archive/devices/3f2a/manifest.vsm',
    '.tmp.drivedownload/123',
    '.Trash-1000/files/manifest.vsm',
    '.Trashes/501/manifest.vsm',
    '.sync_6a1b2c3d4e5f.db',
    '._sync_6a1b2c3d4e5f.db-wal',
    '.owncloudsync.log',
    // iCloud Drive placeholder of a file not downloaded yet
    `devices/3f2a/segments/.${SEGMENT.split('/').at(-1)}.icloud`,
    'devices/3f2a/.manifest.vsm.icloud',
    // OS litter
    'devices/.DS_Store',
    'devices/3f2a/._manifest.vsm',
    // conflict copies
    'devices/3f2a/manifest.sync-conflict-20240518-093012-ABCDEF7.vsm',
    "devices/3f2a/manifest (Jane's conflicted copy 2024-05-18).vsm",
    // Windows separators
    'devices\\3f2a\\.stversions\\manifest.vsm',
  ])('%s is ignored', (p) => expect(isSyncEngineFile(p)).toBe(true));

  it.each([
    SEGMENT,
    MANIFEST,
    SEGMENT.replaceAll('/', '\\'),
    'vitalsync-vault.json',
    'devices/3f2a/device.json',
    '.stfolderish/manifest.vsm',
    'sync/manifest.vsm',
    'icloud/manifest.vsm',
    'devices/3f2a/manifest.icloud.vsm',
  ])('%s is read', (p) => expect(isSyncEngineFile(p)).toBe(false));
});
