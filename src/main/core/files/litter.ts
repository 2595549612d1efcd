// One rule for files that are not ours: what the importers skip when they walk a folder or a zip
// (isLitter), and what the vault reader skips in a folder carried by a sync engine
// (isSyncEngineFile: litter, plus the engines' own folders, placeholders and conflict copies).
// Paths are relative, with '/' between parts.

/** Files no importer reads: macOS and Windows litter, and sync engines' temp and partial files. */
export function isLitter(relPath: string): boolean {
  const parts = relPath.split('/');
  const base = parts.at(-1) ?? '';
  return (
    parts.includes('__MACOSX') ||
    base.startsWith('._') ||
    base === '.DS_Store' ||
    base === 'Thumbs.db' ||
    base === 'desktop.ini' ||
    base.startsWith('~$') ||
    /^\.syncthing\..*\.tmp$/.test(base) ||
    /\.(part|crdownload|tmp)$/i.test(base)
  );
}

/**
 * Conflict copies, by the engine that writes them. When two computers change the same file before
 * hearing from each other, these engines keep one under the name and rename the other:
 * - Syncthing: `notes.sync-conflict-20240518-093012-ABCDEF7.txt` (date, time, then the first 7
 *   characters of the device ID that made the losing change; versions before 0.14.x had no ID).
 * - Dropbox: `notes (Jane's conflicted copy 2024-05-18).txt` (sometimes with ` (1)` after), plus
 *   `notes (Case Conflict).txt` / `(Case Conflict 1)` for names differing only by case, and
 *   `(Selective Sync Conflict)`.
 * - Nextcloud / ownCloud desktop client 2.5 and later: `notes (conflicted copy 2024-05-18 093012).txt`
 *   (ownCloud PR #6417 took Dropbox's wording); before 2.5: `notes_conflict-20240518-093012.txt`,
 *   with the user name after `_conflict-` on some versions.
 * Too vague to tell from a person's own name, so not matched: OneDrive's `notes-<PCNAME>.txt`,
 * Google Drive's `notes (1).txt`, iCloud Drive's `notes 2.txt`.
 * Matched on any part of the path (a conflicted folder's contents are conflict copies too).
 */
const CONFLICT_PATTERNS: readonly RegExp[] = [
  /\.sync-conflict-\d{8}-\d{6}(?:-[A-Z0-9]{7})?(?=$|[.\s])/, // Syncthing
  / \([^()]*conflicted copy[^()]*\)/i, // Dropbox, Nextcloud/ownCloud >= 2.5
  / \((?:Case|Selective Sync) Conflict(?: \d+)?\)/i, // Dropbox
  /_conflict-(?:[^/]*-)?\d{8}-\d{6}/, // ownCloud/Nextcloud < 2.5
];

/** True when `name` (a file or folder name, or a relative path) is a sync engine's conflict copy. */
export function isSyncConflictCopy(name: string): boolean {
  return name.split('/').some((part) => CONFLICT_PATTERNS.some((re) => re.test(part)));
}

/**
 * Folders sync engines keep inside the folders they carry (anything under them is skipped):
 * Syncthing `.stfolder` (marker) and `.stversions` (old versions), Dropbox `.dropbox.cache`,
 * Resilio Sync `.sync`, Google Drive for desktop `.tmp.drivedownload` / `.tmp.driveupload`, and
 * trash folders (`.Trash`, `.Trashes`, `.Trash-1000`).
 */
const ENGINE_FOLDERS = new Set(['.stfolder', '.stversions', '.dropbox.cache', '.sync', '.tmp.drivedownload', '.tmp.driveupload']);

/**
 * Engine files by name: Syncthing's `.stignore` and Windows temp files `~syncthing~name.tmp`,
 * Dropbox's `.dropbox` / `.dropbox.attr` markers, Resilio's partial downloads `name.!sync`,
 * ownCloud/Nextcloud's sync journal `.sync_<id>.db` (and `-wal`/`-shm`, `._sync_` on older
 * clients) and `.owncloudsync.log`, LibreOffice lock files `.~lock.name#` (they travel when the
 * folder does), and iCloud Drive placeholders `.name.icloud` (a file not downloaded yet).
 */
const ENGINE_FILE_PATTERNS: readonly RegExp[] = [
  /^\.stignore$/,
  /^~syncthing~.*\.tmp$/,
  /^\.dropbox(?:\.attr)?$/,
  /\.!sync$/,
  /^\._?sync_[0-9a-f]+\.db(?:-wal|-shm)?$/i,
  /^\.owncloudsync\.log$/,
  /^\.~lock\..*#$/,
  /^\..+\.icloud$/,
];

/**
 * True for every path the vault reader ignores: litter (isLitter: OS litter, `.syncthing.*.tmp`,
 * `~$*`, `*.tmp`, `*.part`, `*.crdownload`), the engine folders and files above, and conflict
 * copies (isSyncConflictCopy). Backslashes are read as separators too (Windows relative paths).
 */
export function isSyncEngineFile(relPath: string): boolean {
  const normal = relPath.replaceAll('\\', '/');
  if (isLitter(normal) || isSyncConflictCopy(normal)) return true;
  const parts = normal.split('/').filter(Boolean);
  const base = parts.at(-1) ?? '';
  if (parts.some((p) => ENGINE_FOLDERS.has(p) || p.startsWith('.Trash'))) return true;
  return ENGINE_FILE_PATTERNS.some((re) => re.test(base));
}
