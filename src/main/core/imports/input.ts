// Opens what the person gave an importer: one file, a folder (walked), or a zip (listed, each
// entry streamed out of the archive, never unzipped to disk). Entries come sorted by path, without
// macOS litter (__MACOSX/, ._*, .DS_Store) or sync-engine temp files. The zip handling (zip-bomb
// limits, large inflate chunks) is the Apple Health importer's, shared.
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { ImportInputError } from './apple-health/parser';
import { entryStream, listEntries, openZipFile, sniffEntry, type ZipEntryInfo, type ZipHandle } from './apple-health/source';
import type { ImportInput, InputEntry } from './importer';
import type { ImportLimits } from './protocol';
import yauzl from 'yauzl';
import { isLitter } from '../files/litter';

const HEAD_BYTES = 16 * 1024;
/** A folder deeper or larger than this is not an export (someone dropped their home folder). */
const MAX_DEPTH = 8;
const MAX_ENTRIES = 200_000;

const isZip = (head: Buffer) => head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) && (head[3] === 0x04 || head[3] === 0x06);

async function readFileHead(file: string, bytes: number): Promise<Buffer> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

class Counter {
  n = 0;
  /**
   * The stream, counting the bytes read through it. A pass-through rather than a 'data'
   * listener: a listener would switch the stream to flowing mode behind its reader's back.
   */
  wrap(stream: Readable): Readable {
    const counted = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        this.n += chunk.length;
        cb(null, chunk);
      },
    });
    stream.on('error', (err) => counted.destroy(err));
    counted.on('close', () => stream.destroy());
    return stream.pipe(counted);
  }
}

function fileEntry(full: string, rel: string, size: number, counter: Counter): InputEntry {
  return {
    path: rel,
    size,
    head: (bytes = HEAD_BYTES) => readFileHead(full, bytes),
    stream: () => counter.wrap(fs.createReadStream(full, { highWaterMark: 1024 * 1024 })),
  };
}

/**
 * Opens a file, folder or zip for the importers, or throws ImportInputError saying plainly what
 * is wrong (missing, empty, a damaged zip).
 */
export async function openInput(input: string, limits: ImportLimits): Promise<ImportInput> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(input);
  } catch {
    throw new ImportInputError(`VitalSync cannot read "${path.basename(input)}": the file does not exist or is not readable.`);
  }
  const counter = new Counter();
  const base = { name: path.basename(input), skipped: {} as Record<string, number> };
  if (stat.isDirectory()) {
    const entries: InputEntry[] = [];
    const walk = async (dir: string, depth: number) => {
      let names: fs.Dirent[];
      try {
        names = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of names) {
        const full = path.join(dir, e.name);
        const rel = path.relative(input, full).split(path.sep).join('/');
        if (isLitter(rel)) continue;
        if (e.isDirectory() && depth < MAX_DEPTH) await walk(full, depth + 1);
        else if (e.isFile()) {
          if (entries.length >= MAX_ENTRIES) throw new ImportInputError(`The folder "${base.name}" holds more than ${MAX_ENTRIES} files: choose the export's own folder.`);
          entries.push(fileEntry(full, rel, (await fs.promises.stat(full)).size, counter));
        }
      }
    };
    await walk(input, 0);
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return made(base, 'folder', entries, counter, () => undefined);
  }
  if (stat.size === 0) throw new ImportInputError(`"${base.name}" is empty (0 bytes). Export it again.`);
  const head = await readFileHead(input, 8);
  if (!isZip(head)) return made(base, 'file', [fileEntry(input, base.name, stat.size, counter)], counter, () => undefined);
  return openZipInput(input, stat.size, limits, counter, base);
}

async function openZipInput(file: string, size: number, limits: ImportLimits, counter: Counter, base: Pick<ImportInput, 'name' | 'skipped'>): Promise<ImportInput> {
  const fd = fs.openSync(file, 'r');
  let zip: yauzl.ZipFile;
  try {
    zip = await openZipFile(file, fd, size);
  } catch (err) {
    fs.closeSync(fd);
    throw new ImportInputError(`"${base.name}" is a damaged or incomplete zip (${(err as Error).message.replace(/\.$/, '')}). If it was copied or downloaded, copy it again.`);
  }
  const skip = (reason: string) => (base.skipped[reason] = (base.skipped[reason] ?? 0) + 1);
  const infos: ZipEntryInfo[] = [];
  try {
    await listEntries(zip, (entry) => {
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileName as unknown as Buffer, entry.extraFields, false);
      if (name.endsWith('/') || isLitter(name)) return;
      if (yauzl.validateFileName(name) !== null) return skip('zip entry whose name points outside the archive (skipped)');
      if (entry.isEncrypted()) return skip('encrypted zip entry (skipped)');
      const method = entry.compressionMethod;
      if (method !== 0 && method !== 8) return skip(`zip entry with unsupported compression method ${method} (skipped)`);
      infos.push({ name, offset: entry.relativeOffsetOfLocalHeader, method, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize });
    });
  } catch (err) {
    fs.closeSync(fd);
    if (err instanceof ImportInputError) throw err;
    throw new ImportInputError(`"${base.name}" is a damaged zip: its table of contents cannot be read (${(err as Error).message}).`);
  } finally {
    zip.close();
  }
  const handle: ZipHandle = { file, fd };
  const bombCheck = (info: ZipEntryInfo) => {
    if (info.uncompressedSize > limits.maxEntryBytes || (info.method === 8 && info.uncompressedSize > 1024 * 1024 && info.uncompressedSize > Math.max(info.compressedSize, 1) * limits.maxRatio)) {
      throw new ImportInputError(`"${info.name}" in "${base.name}" would inflate far beyond its size: the zip is damaged or a zip bomb. Nothing was imported from it.`);
    }
  };
  const entries: InputEntry[] = infos
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((info) => ({
      path: info.name,
      size: info.uncompressedSize,
      async head(bytes = HEAD_BYTES) {
        bombCheck(info);
        const buf = await sniffEntry(handle, info, limits, bytes);
        return buf.subarray(0, bytes);
      },
      stream() {
        bombCheck(info);
        return counter.wrap(entryStream(handle, info, limits));
      },
    }));
  let closed = false;
  return made(base, 'zip', entries, counter, () => {
    if (!closed) fs.closeSync(fd);
    closed = true;
  });
}

function made(base: Pick<ImportInput, 'name' | 'skipped'>, kind: ImportInput['kind'], entries: InputEntry[], counter: Counter, close: () => void): ImportInput {
  return {
    ...base,
    kind,
    entries,
    close,
    get bytesRead() {
      return counter.n;
    },
  };
}
