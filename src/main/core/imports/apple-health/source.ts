// The three shapes an Apple Health export arrives in: export.zip (streamed straight out of the
// archive, never unzipped to disk), a bare export.xml, or the unzipped apple_health_export/
// folder. The main XML is found by its content, not its name (it is localized: 导出.xml,
// eksport.xml, Export.xml); macOS's __MACOSX/ and ._* companions are skipped.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform, Writable } from 'node:stream';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import type { ImportLimits } from '../protocol';
import { ImportInputError } from './parser';

const READ_CHUNK = 1024 * 1024;
// yauzl's default 16 KiB inflate chunks double the cost of zip input; the parser takes 1 MiB at a time.
const INFLATE_CHUNK = 1024 * 1024;
const SNIFF_BYTES = 64 * 1024;
const MAX_ROUTE_BYTES = 256 * 1024 * 1024;
const MAX_ENTRIES = 2_000_000;
const BLOCK = 1024 * 1024;

export type Sniff = 'health' | 'other' | 'unknown';

/** Whether the first bytes of a file are an Apple Health export's main XML. */
export function sniffHealthXml(head: Buffer): Sniff {
  let text = head.toString('latin1', 0, Math.min(head.length, SNIFF_BYTES));
  if (text.charCodeAt(0) === 0xef) text = text.slice(3); // UTF-8 BOM
  if (/<!DOCTYPE\s+HealthData[\s[>]/.test(text)) return 'health';
  text = text.replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  if (/^\s*<!DOCTYPE/i.test(text)) {
    // Some other document type; if its subset is still open we cannot tell yet.
    return /<!DOCTYPE\s+[A-Za-z]/.test(text) && !/<!DOCTYPE\s+HealthData/.test(text) ? 'other' : 'unknown';
  }
  const m = /<([A-Za-z_][\w.:-]*)/.exec(text);
  if (!m) return text.trim() === '' || /^\s*<?$/.test(text) ? 'unknown' : 'other';
  return m[1] === 'HealthData' ? 'health' : 'other';
}

export interface ExportSource {
  kind: 'zip' | 'xml' | 'folder';
  /** The main XML's name inside the input (for messages). */
  mainName: string;
  /** Bytes the progress bar runs over (the compressed size for a zip). */
  bytesTotal: number;
  /** Streams the main XML; `onChunk` gets its bytes and how many input bytes are consumed so far. */
  readMain(onChunk: (chunk: Buffer, inputBytes: number) => Promise<void> | void, shouldStop: () => boolean): Promise<void>;
  /** A route file referenced as `workout-routes/x.gpx` relative to the main XML. */
  readRoute(ref: string): Promise<{ ok: true; data: Buffer } | { ok: false; reason: string }>;
  close(): void;
  /** Entries skipped on the way (zip-slip names, encrypted entries), with why. */
  skipped: Record<string, number>;
}

async function readHead(file: string, bytes = SNIFF_BYTES): Promise<Buffer> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Opens whatever the user gave, or throws ImportInputError saying plainly what is wrong. */
export async function openExport(input: string, limits: ImportLimits): Promise<ExportSource> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(input);
  } catch {
    throw new ImportInputError(`VitalSync cannot read "${path.basename(input)}": the file does not exist or is not readable.`);
  }
  if (stat.isDirectory()) return openFolder(input);
  if (stat.size === 0) throw new ImportInputError(`"${path.basename(input)}" is empty (0 bytes). Export again from the Health app.`);
  const head = await readHead(input);
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) && (head[3] === 0x04 || head[3] === 0x06)) {
    return openZip(input, stat.size, limits);
  }
  const sniff = sniffHealthXml(head);
  if (sniff !== 'health') {
    throw new ImportInputError(`"${path.basename(input)}" is not an Apple Health export: it is neither export.zip nor an export.xml starting with <HealthData>.`);
  }
  return fileSource('xml', input, path.basename(input), stat.size, path.dirname(input));
}

function insideFolder(root: string, ref: string): string | null {
  const resolved = path.resolve(root, ref);
  const rel = path.relative(root, resolved);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return resolved;
}

function fileSource(kind: 'xml' | 'folder', file: string, mainName: string, size: number, routesRoot: string): ExportSource {
  return {
    kind,
    mainName,
    bytesTotal: size,
    skipped: {},
    async readMain(onChunk, shouldStop) {
      const stream = fs.createReadStream(file, { highWaterMark: READ_CHUNK });
      let read = 0;
      try {
        for await (const chunk of stream) {
          read += (chunk as Buffer).length;
          await onChunk(chunk as Buffer, read);
          if (shouldStop()) break;
        }
      } finally {
        stream.destroy();
      }
    },
    async readRoute(ref) {
      const full = insideFolder(routesRoot, ref);
      if (!full) return { ok: false, reason: 'route file path points outside the export' };
      // Synchronous on purpose: this runs in the parser worker, and thousands of small async
      // reads cost more in scheduling than in reading.
      try {
        if (fs.statSync(full).size > MAX_ROUTE_BYTES) return { ok: false, reason: 'route file too large' };
        return { ok: true, data: fs.readFileSync(full) };
      } catch {
        return { ok: false, reason: 'route file missing' };
      }
    },
    close() {},
  };
}

async function openFolder(dir: string): Promise<ExportSource> {
  const candidates: string[] = [];
  const look = async (d: string, depth: number) => {
    let names: fs.Dirent[];
    try {
      names = await fs.promises.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of names) {
      if (e.name.startsWith('._') || e.name === '__MACOSX') continue;
      const full = path.join(d, e.name);
      if (e.isFile() && /\.xml$/i.test(e.name)) candidates.push(full);
      else if (e.isDirectory() && depth < 1 && e.name !== 'workout-routes' && e.name !== 'electrocardiograms') await look(full, depth + 1);
    }
  };
  await look(dir, 0);
  let best: { file: string; size: number } | null = null;
  for (const file of candidates) {
    const size = (await fs.promises.stat(file)).size;
    if (!size) continue;
    if (sniffHealthXml(await readHead(file)) === 'health' && (!best || size > best.size)) best = { file, size };
  }
  if (!best) throw new ImportInputError(`No Apple Health export was found in the folder "${path.basename(dir)}": none of its .xml files starts with <HealthData>.`);
  return fileSource('folder', best.file, path.relative(dir, best.file), best.size, path.dirname(best.file));
}

// ---------------------------------------------------------------------------------------
// Zip

/** What is kept of each entry: yauzl's own objects (with their buffers) took 2 KB apiece. */
export interface ZipEntryInfo {
  name: string;
  offset: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
}

/**
 * Reads for yauzl served from 1 MiB blocks read synchronously: it reads the table of contents
 * in two small reads per entry, and as separate async reads those took half a second for the
 * 5,000 route files of a large export. Runs in the parser worker, where blocking is fine.
 */
export class BlockReader extends yauzl.RandomAccessReader {
  private block = Buffer.alloc(0);
  private blockStart = 0;

  constructor(
    private readonly file: string,
    private readonly fd: number,
  ) {
    super();
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    let copied = 0;
    try {
      while (copied < length) {
        const at = position + copied;
        if (at < this.blockStart || at >= this.blockStart + this.block.length) {
          this.block = Buffer.alloc(Math.max(BLOCK, length - copied));
          this.blockStart = at;
          this.block = this.block.subarray(0, fs.readSync(this.fd, this.block, 0, this.block.length, at));
          if (!this.block.length) break;
        }
        copied += this.block.copy(buffer, offset + copied, at - this.blockStart, Math.min(this.block.length, at - this.blockStart + length - copied));
      }
    } catch (err) {
      process.nextTick(callback, err as Error);
      return;
    }
    // Asynchronous like a real read: yauzl's entry loop would otherwise recurse per entry.
    process.nextTick(callback, null, copied);
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return fs.createReadStream(this.file, { start, end: end - 1 });
  }

  override close(callback: (err: Error | null) => void): void {
    // The descriptor belongs to openZip.
    setImmediate(callback, null);
  }
}

export function openZipFile(file: string, fd: number, size: number): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromRandomAccessReader(new BlockReader(file, fd), size, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) reject(err ?? new Error('no zip'));
      else resolve(zip);
    });
  });
}

export function listEntries(zip: yauzl.ZipFile, onEntry: (e: yauzl.Entry) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let n = 0;
    zip.on('entry', (e: yauzl.Entry) => {
      onEntry(e);
      if (++n > MAX_ENTRIES) {
        reject(new ImportInputError(`The archive holds more than ${MAX_ENTRIES} files; it is not an Apple Health export.`));
        return;
      }
      zip.readEntry();
    });
    zip.once('end', () => resolve());
    zip.once('error', reject);
    zip.readEntry();
  });
}

/** Where an entry's data starts: after its local header, whose name and extra lengths can differ from the directory's. */
function entryDataStart(fd: number, entry: ZipEntryInfo): number {
  const header = Buffer.alloc(30);
  if (fs.readSync(fd, header, 0, 30, entry.offset) !== 30 || header.readUInt32LE(0) !== 0x04034b50) {
    throw new Error('the local header of the entry is missing');
  }
  return entry.offset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}

export interface ZipHandle {
  file: string;
  /** For the synchronous reads; streams open their own (destroying a stream closes its descriptor). */
  fd: number;
}

/** The entry's stored bytes, read in large chunks (yauzl's 16 KiB reads made inflate run in small steps). */
function rawStream(zip: ZipHandle, entry: ZipEntryInfo): Readable {
  const start = entryDataStart(zip.fd, entry);
  if (entry.compressedSize === 0) return Readable.from([]);
  return fs.createReadStream(zip.file, { start, end: start + entry.compressedSize - 1, highWaterMark: READ_CHUNK });
}

/** The entry's bytes, inflated with large chunks and checked against zip-bomb limits. */
export function entryStream(zip: ZipHandle, entry: ZipEntryInfo, limits: ImportLimits, onCompressed?: (n: number) => void): Readable {
  const { name } = entry;
  const raw = rawStream(zip, entry);
  if (onCompressed) raw.on('data', (c: Buffer) => onCompressed(c.length));
  if (entry.method === 0) return raw;
  const inflate = zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK });
  let out = 0;
  const cap = Math.min(limits.maxEntryBytes, entry.uncompressedSize);
  const ratioCap = Math.max(entry.compressedSize, 1) * limits.maxRatio;
  // The declared size can lie: count what really comes out.
  const guard = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      out += chunk.length;
      if (out > cap || out > ratioCap) {
        cb(new ImportInputError(`"${name}" inflates to more than the archive declares (${entry.uncompressedSize} bytes): the zip is damaged or a zip bomb. Nothing more was read from it.`));
      } else cb(null, chunk);
    },
  });
  raw.on('error', (e) => inflate.destroy(e));
  inflate.on('error', (e) => guard.destroy(e));
  return raw.pipe(inflate).pipe(guard);
}

async function openZip(file: string, size: number, limits: ImportLimits): Promise<ExportSource> {
  let zip: yauzl.ZipFile;
  // The table of contents, the route files and the main XML's header are read through this
  // descriptor; the main XML itself streams through its own.
  const zipFd = fs.openSync(file, 'r');
  try {
    zip = await openZipFile(file, zipFd, size);
  } catch (err) {
    fs.closeSync(zipFd);
    // No table of contents (a cut download or copy): read the entries from the front instead,
    // so that what arrived is imported and the job says where it stopped.
    const salvaged = await salvageZip(file, limits).catch(() => null);
    if (salvaged) return salvaged;
    throw new ImportInputError(
      `"${path.basename(file)}" is a damaged or incomplete zip (${(err as Error).message.replace(/\.$/, '')}). If it was copied or downloaded, copy it again; otherwise export it again from the app it came from.`,
    );
  }
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
  const files: ZipEntryInfo[] = [];
  const keep = (entry: yauzl.Entry) => {
    const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileName as unknown as Buffer, entry.extraFields, false);
    if (name.endsWith('/')) return;
    // We never write entries to disk, but a name that climbs out of the archive is hostile: skip it.
    if (yauzl.validateFileName(name) !== null) return skip('zip entry whose name points outside the archive (skipped)');
    const base = name.split('/').pop() ?? '';
    if (name.startsWith('__MACOSX/') || base.startsWith('._') || base === '.DS_Store') return;
    if (entry.isEncrypted()) return skip('encrypted zip entry (skipped)');
    const method = entry.compressionMethod;
    if (method !== 0 && method !== 8) return skip(`zip entry with unsupported compression method ${method} (skipped)`);
    files.push({ name, offset: entry.relativeOffsetOfLocalHeader, method, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize });
  };
  try {
    await listEntries(zip, keep);
  } catch (err) {
    fs.closeSync(zipFd);
    if (err instanceof ImportInputError) throw err;
    throw new ImportInputError(`"${path.basename(file)}" is a damaged zip: its table of contents cannot be read (${(err as Error).message}).`);
  } finally {
    zip.close();
  }
  const handle: ZipHandle = { file, fd: zipFd };

  const bombCheck = (entry: ZipEntryInfo) => {
    const { name } = entry;
    if (entry.uncompressedSize > limits.maxEntryBytes) {
      throw new ImportInputError(`"${name}" in the archive declares ${entry.uncompressedSize} bytes, more than VitalSync accepts (${limits.maxEntryBytes}): not a real export.`);
    }
    if (entry.method === 8 && entry.uncompressedSize > Math.max(entry.compressedSize, 1) * limits.maxRatio && entry.uncompressedSize > 1024 * 1024) {
      throw new ImportInputError(
        `"${name}" in the archive would inflate ${Math.round(entry.uncompressedSize / Math.max(entry.compressedSize, 1))} times its size: that is a zip bomb, not an Apple Health export. Nothing was imported.`,
      );
    }
  };

  // Find the main XML by content: .xml entries first, biggest first.
  const candidates = files
    .filter((f) => !/\.(gpx|csv|pdf|png|jpe?g|heic|dtd)$/i.test(f.name) && f.uncompressedSize > 0)
    .sort((a, b) => Number(/\.xml$/i.test(b.name)) - Number(/\.xml$/i.test(a.name)) || b.uncompressedSize - a.uncompressedSize)
    .slice(0, 20);
  let main: ZipEntryInfo | null = null;
  for (const c of candidates) {
    try {
      bombCheck(c);
    } catch (err) {
      fs.closeSync(zipFd);
      throw err;
    }
    const head = await sniffEntry(handle, c, limits).catch(() => null);
    if (head && sniffHealthXml(head) === 'health') {
      main = c;
      break;
    }
  }
  if (!main) {
    fs.closeSync(zipFd);
    throw new ImportInputError(`No Apple Health export was found inside "${path.basename(file)}": none of its files starts with <HealthData>.`);
  }
  const mainInfo = main;
  const mainDir = mainInfo.name.includes('/') ? mainInfo.name.slice(0, mainInfo.name.lastIndexOf('/') + 1) : '';
  const byName = new Map(files.map((f) => [f.name, f]));
  return {
    kind: 'zip',
    mainName: mainInfo.name,
    bytesTotal: mainInfo.compressedSize,
    skipped,
    async readMain(onChunk, shouldStop) {
      let compressed = 0;
      let stopped = false;
      try {
        await pipeline(
          entryStream(handle, mainInfo, limits, (n) => (compressed += n)),
          new Writable({
            highWaterMark: 1,
            write(chunk: Buffer, _enc, cb) {
              if (stopped) return cb();
              Promise.resolve(onChunk(chunk, compressed)).then(() => {
                if (shouldStop()) {
                  stopped = true;
                  cb(new StopReading());
                } else cb();
              }, cb);
            },
          }),
        );
      } catch (err) {
        if (err instanceof StopReading) return;
        if (err instanceof ImportInputError) throw err;
        const message = (err as Error).message ?? String(err);
        throw new TruncatedInput(`the archive's data ends early or is damaged (${message})`);
      }
    },
    async readRoute(ref) {
      const clean = path.posix.normalize(ref.replace(/\\/g, '/'));
      if (clean.startsWith('..') || path.posix.isAbsolute(clean)) return { ok: false, reason: 'route file path points outside the export' };
      const info = byName.get(mainDir + clean) ?? byName.get(clean);
      if (!info) return { ok: false, reason: 'route file missing' };
      if (info.uncompressedSize > MAX_ROUTE_BYTES) return { ok: false, reason: 'route file too large' };
      try {
        bombCheck(info);
        return { ok: true, data: readSmallEntry(zipFd, info) };
      } catch {
        return { ok: false, reason: 'route file damaged in the archive' };
      }
    },
    close() {
      fs.closeSync(zipFd);
    },
  };
}

class StopReading extends Error {}

/**
 * A small entry (a route file) read whole and inflated synchronously: thousands of them go
 * through 5x faster than as streams. Its size is checked against what the archive declares.
 */
function readSmallEntry(fd: number, entry: ZipEntryInfo): Buffer {
  const dataStart = entryDataStart(fd, entry);
  const data = Buffer.alloc(entry.compressedSize);
  if (fs.readSync(fd, data, 0, data.length, dataStart) !== data.length) throw new Error('entry cut short');
  const out = entry.method === 0 ? data : zlib.inflateRawSync(data, { maxOutputLength: Math.max(entry.uncompressedSize, 1) });
  if (out.length !== entry.uncompressedSize) throw new Error('entry size differs from the archive directory');
  return out;
}

/** Streams a byte range of a file through inflate, as the main XML. */
function rangeSource(file: string, name: string, dataStart: number, compressed: boolean, limits: ImportLimits, bytesTotal: number): ExportSource {
  return {
    kind: 'zip',
    mainName: name,
    bytesTotal,
    skipped: {},
    async readMain(onChunk, shouldStop) {
      let consumed = 0;
      const raw = fs.createReadStream(file, { start: dataStart, highWaterMark: READ_CHUNK });
      raw.on('data', (c) => (consumed += (c as Buffer).length));
      let out = 0;
      const cap = limits.maxEntryBytes;
      let stream: Readable = raw;
      const parts: Readable[] = [raw];
      if (compressed) {
        const inflate = zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK });
        const guard = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            out += chunk.length;
            if (out > cap || out > Math.max(consumed, 1) * limits.maxRatio * 4) cb(new ImportInputError(`"${name}" inflates far beyond its size: a zip bomb, not an export.`));
            else cb(null, chunk);
          },
        });
        // pipe() does not pass errors along: every stage reports to the last one.
        raw.on('error', (e) => guard.destroy(e));
        inflate.on('error', (e) => guard.destroy(e));
        stream = raw.pipe(inflate).pipe(guard);
        parts.push(inflate, guard);
      }
      try {
        for await (const chunk of stream) {
          await onChunk(chunk as Buffer, Math.min(consumed, bytesTotal));
          if (shouldStop()) break;
        }
      } catch (err) {
        if (err instanceof ImportInputError) throw err;
        throw new TruncatedInput(`the zip is cut short: ${(err as Error).message}`);
      } finally {
        for (const p of parts) p.destroy();
      }
    },
    async readRoute() {
      return { ok: false, reason: 'route file missing (the archive is damaged)' };
    },
    close() {},
  };
}

/**
 * A zip whose end (the central directory) is missing: walk the local headers from the start
 * and use the first entry that is an Apple Health export. Returns null if there is none.
 */
async function salvageZip(file: string, limits: ImportLimits): Promise<ExportSource | null> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    let off = 0;
    for (let n = 0; n < 100 && off + 30 <= size; n++) {
      const hdr = Buffer.alloc(30);
      await fh.read(hdr, 0, 30, off);
      if (hdr.readUInt32LE(0) !== 0x04034b50) return null;
      const flags = hdr.readUInt16LE(6);
      const method = hdr.readUInt16LE(8);
      let csize = hdr.readUInt32LE(18);
      const nameLen = hdr.readUInt16LE(26);
      const extraLen = hdr.readUInt16LE(28);
      const meta = Buffer.alloc(nameLen + extraLen);
      await fh.read(meta, 0, meta.length, off + 30);
      const name = meta.subarray(0, nameLen).toString('utf8');
      if (csize === 0xffffffff) {
        // Zip64: the real size is in the extra field 0x0001 (uncompressed first, then compressed).
        for (let i = nameLen; i + 4 <= meta.length; ) {
          const id = meta.readUInt16LE(i);
          const len = meta.readUInt16LE(i + 2);
          if (id === 1 && len >= 16) csize = Number(meta.readBigUInt64LE(i + 4 + 8));
          i += 4 + len;
        }
      }
      const dataStart = off + 30 + nameLen + extraLen;
      const base = name.split('/').pop() ?? '';
      const candidate =
        !name.endsWith('/') && yauzl.validateFileName(name) === null && !name.startsWith('__MACOSX/') && !base.startsWith('._') && /\.xml$/i.test(name) && (method === 0 || method === 8) && !(flags & 1);
      if (candidate) {
        const source = rangeSource(file, name, dataStart, method === 8, limits, size - dataStart);
        const head: Buffer[] = [];
        let got = 0;
        try {
          await source.readMain(
            (c) => {
              head.push(c);
              got += c.length;
            },
            () => got >= 4096,
          );
        } catch {
          /* a short entry: the sniff below decides */
        }
        if (sniffHealthXml(Buffer.concat(head)) === 'health') return source;
      }
      // Skip to the next entry: by its size when the header has it, else by inflating through it.
      if (!(flags & 8) && csize !== 0xffffffff) off = dataStart + csize;
      else if (method === 8) {
        const inflate = zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK });
        const raw = fs.createReadStream(file, { start: dataStart, highWaterMark: READ_CHUNK });
        try {
          await pipeline(raw, inflate, new Writable({ write: (_c, _e, cb) => cb() }));
        } catch {
          return null;
        }
        off = dataStart + inflate.bytesWritten;
        const sig = Buffer.alloc(4);
        await fh.read(sig, 0, 4, off);
        // The data descriptor: optional signature, crc, then 32- or 64-bit sizes.
        off += sig.readUInt32LE(0) === 0x08074b50 ? 16 : 12;
      } else return null;
    }
    return null;
  } finally {
    await fh.close();
  }
}

/** Raised when the main XML's bytes stop before the end: what was read is kept. */
export class TruncatedInput extends Error {}

export async function sniffEntry(zip: ZipHandle, info: ZipEntryInfo, limits: ImportLimits, bytes = 4096): Promise<Buffer> {
  const stream = entryStream(zip, info, limits);
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const c of stream) {
      chunks.push(c as Buffer);
      n += (c as Buffer).length;
      if (n >= bytes) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks);
}
