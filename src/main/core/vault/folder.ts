// The vault folder's layout. The person's sync engine carries it; VitalSync only reads and
// writes files here, and each computer writes only under its own devices/<device id>/, so no
// file ever has two writers and the engines never need to make conflict copies.
//
//   <vault>/vitalsync-vault.json            plaintext header: vault id, Argon2id salt and
//                                           parameters, the wrapped key (crypto.ts)
//   <vault>/devices/<device id>/manifest.vsm the device's name and its segments, in order
//   <vault>/devices/<device id>/<hash>.vss   a segment, named by the hash of its bytes
//
// Every .vsm/.vss file is encrypted and authenticated; names reveal only device ids and
// content hashes. Anything else (sync engines' temp files, conflict copies) is ignored.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isSyncConflictCopy, isSyncEngineFile } from '../files/litter';
import { contentName, HEADER_FILE, openFile, parseHeader, sealFile, VaultCryptoError, type VaultHeader } from './crypto';

export { HEADER_FILE };
export const DEVICES_DIR = 'devices';
export const MANIFEST_FILE = 'manifest.vsm';
export const SEGMENT_EXT = '.vss';
const DEVICE_ID = /^[0-9a-f]{16}$/;
const SEGMENT_NAME = /^[0-9a-f]{64}\.vss$/;

export interface ManifestEntry {
  /** The segment's content hash (file name without .vss). */
  name: string;
  seq: number;
  kind: 'data' | 'intent';
  /** Size of the encrypted file, so a copy still arriving is told from a damaged one. */
  bytes: number;
  records: number;
  createdAt: number;
}

export interface Manifest {
  v: 1;
  device: string;
  /** The computer's name as the person knows it ("Jane's laptop"). */
  name: string;
  updatedAt: number;
  /** The computer left the vault: what it wrote stays for the others, and it writes no more. */
  left?: boolean;
  entries: ManifestEntry[];
}

export const newDeviceId = () => randomBytes(8).toString('hex');

export function deviceDir(folder: string, device: string): string {
  return path.join(folder, DEVICES_DIR, device);
}

/** The header of the vault in `folder`; a VaultCryptoError('not-a-vault') when there is none. */
export function readHeader(folder: string): VaultHeader {
  let text: string;
  try {
    text = fs.readFileSync(path.join(folder, HEADER_FILE), 'utf8');
  } catch {
    throw new VaultCryptoError('not-a-vault', `There is no VitalSync vault in ${folder} (no ${HEADER_FILE}). Choose the folder you created the vault in, or wait until your sync engine has copied it here.`);
  }
  return parseHeader(text);
}

/** Writes the header of a new vault; refuses a folder that already holds one. */
export function writeHeader(folder: string, header: VaultHeader): void {
  fs.mkdirSync(path.join(folder, DEVICES_DIR), { recursive: true });
  try {
    fs.writeFileSync(path.join(folder, HEADER_FILE), JSON.stringify(header, null, 2), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new VaultCryptoError('not-a-vault', `${folder} already holds a VitalSync vault: join it instead of creating one.`);
    throw err;
  }
}

/** Device ids with a folder in the vault (sync-engine litter ignored). */
export function listDevices(folder: string): string[] {
  try {
    return fs
      .readdirSync(path.join(folder, DEVICES_DIR), { withFileTypes: true })
      .filter((d) => d.isDirectory() && DEVICE_ID.test(d.name))
      .map((d) => d.name);
  } catch {
    return [];
  }
}

/**
 * Conflict copies of a device's manifest: a sync engine saw two computers write it, so two
 * computers use that device id (restored from one backup). Other stray files prove nothing.
 */
export function manifestConflictCopies(folder: string, device: string): string[] {
  try {
    return fs.readdirSync(deviceDir(folder, device)).filter((n) => n.startsWith('manifest') && n !== MANIFEST_FILE && isSyncConflictCopy(n));
  } catch {
    return [];
  }
}

/** Deletes this device's segment files that no published segment names and that were last written before `olderThan` (epoch ms): left by a pass that died before recording them. */
export function removeOrphanSegments(folder: string, device: string, published: ReadonlySet<string>, olderThan: number): number {
  let removed = 0;
  for (const name of segmentFiles(folder, device)) {
    if (published.has(name)) continue;
    const file = path.join(deviceDir(folder, device), `${name}${SEGMENT_EXT}`);
    try {
      if (fs.statSync(file).mtimeMs >= olderThan) continue;
    } catch {
      continue;
    }
    fs.rmSync(file, { force: true });
    removed++;
  }
  return removed;
}

/** Segment files present in a device's folder (names without .vss). */
export function segmentFiles(folder: string, device: string): Set<string> {
  try {
    return new Set(
      fs
        .readdirSync(deviceDir(folder, device))
        .filter((n) => !isSyncEngineFile(n) && SEGMENT_NAME.test(n))
        .map((n) => n.slice(0, -SEGMENT_EXT.length)),
    );
  } catch {
    return new Set();
  }
}

/** Write-then-rename, so the sync engine and other readers never see half a file from us. */
function writeAtomic(file: string, bytes: Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // A dot-name ending in .tmp: every sync engine and our reader leave it alone.
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
}

const manifestContext = (device: string) => `manifest ${device}`;
const segmentContext = (device: string) => `segment ${device}`;

/** Manifests last read, by file: decrypted again only when the file changed (status is polled). */
const manifestCache = new Map<string, { stamp: string; manifest: Manifest }>();

/** A device's manifest, or null when it has none yet. Throws VaultCryptoError when it cannot be read (incomplete, tampered). */
export async function readManifest(folder: string, key: Uint8Array, device: string): Promise<Manifest | null> {
  const file = path.join(deviceDir(folder, device), MANIFEST_FILE);
  let stamp: string;
  try {
    const st = fs.statSync(file);
    stamp = `${st.size}:${st.mtimeMs}:${st.ino}`;
  } catch {
    return null;
  }
  const cached = manifestCache.get(file);
  if (cached?.stamp === stamp) return structuredClone(cached.manifest);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return null;
  }
  const m = JSON.parse(Buffer.from(await openFile(key, bytes, manifestContext(device))).toString('utf8')) as Manifest;
  if (m.device !== device) throw new VaultCryptoError('tampered', `The vault's list of segments for one computer names another one; it was moved or altered. Remove ${path.join(DEVICES_DIR, device)} from the vault folder if that computer no longer syncs.`);
  manifestCache.set(file, { stamp, manifest: structuredClone(m) });
  return m;
}

export async function writeManifest(folder: string, key: Uint8Array, m: Manifest): Promise<void> {
  writeAtomic(path.join(deviceDir(folder, m.device), MANIFEST_FILE), await sealFile(key, Buffer.from(JSON.stringify(m)), manifestContext(m.device)));
}

/** Encrypts a segment into this device's folder; returns its name and size. */
export async function writeSegment(folder: string, key: Uint8Array, device: string, plaintext: Uint8Array): Promise<{ name: string; bytes: number }> {
  const sealed = await sealFile(key, plaintext, segmentContext(device));
  const name = await contentName(sealed);
  writeAtomic(path.join(deviceDir(folder, device), `${name}${SEGMENT_EXT}`), sealed);
  return { name, bytes: sealed.length };
}

/**
 * A segment's plaintext. A file not there yet, or shorter than the manifest says, is
 * 'incomplete' (the sync engine is still copying it: try again later); one whose bytes do not
 * hash to its name, or fail authentication, is 'tampered'.
 */
export async function readSegment(folder: string, key: Uint8Array, device: string, entry: ManifestEntry): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path.join(deviceDir(folder, device), `${entry.name}${SEGMENT_EXT}`));
  } catch {
    throw new VaultCryptoError('incomplete', 'A segment listed by another computer has not arrived yet; VitalSync will take it in once your sync engine has copied it.');
  }
  if (bytes.length < entry.bytes) throw new VaultCryptoError('incomplete', 'A segment is still being copied by your sync engine; VitalSync will take it in once it is complete.');
  if (bytes.length > entry.bytes || (await contentName(bytes)) !== entry.name) {
    throw new VaultCryptoError(
      'tampered',
      'A segment in the vault does not match what its computer wrote (it was altered or damaged), so nothing of it was taken in, and that computer’s later segments wait behind it. If your sync engine brings a good copy, it is taken in then; otherwise remove that computer from the vault and join again there: it writes everything anew.',
    );
  }
  return openFile(key, bytes, segmentContext(device));
}

