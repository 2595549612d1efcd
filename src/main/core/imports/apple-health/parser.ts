// A byte-level scanner specialised for Apple Health's export.xml. A general XML parser
// (sax: 26 MB/s, saxes: 64 MB/s) cannot be on the hot path of a multi-gigabyte file; this one
// only knows what the export contains: start/end tags with quoted attributes, comments,
// processing instructions and one DOCTYPE, which it skips without reading (the iOS 16 DTD is
// malformed, and a DTD is where entity-expansion bombs live: no entity is ever expanded).
//
// It works on bytes: strings are made only for values that must be strings, dimension values
// (type, source, device, unit) are cached by their raw bytes, and dates and numbers are read
// from the digits. Text is decoded only over complete byte ranges (a chunk boundary inside a
// multi-byte character would otherwise turn "Jane’s" into U+FFFD).
import type { WrittenZone } from '../../../../shared/contract';
import { normalizeOriginName } from '../../../../shared/sourceKey';
import type { BatchMsg, DailyRow, DimCategory, DimDevice, DimOrigin, DimType, DimZone, MetaMsg, RoutePoints, WorkoutKey, WorkoutRow } from '../protocol';
import { contradictedHomeZoneWarning, exportZoneContradicting, inferHomeZone, type HomeZoneEvidence, type InferredHomeZone } from '../../time/inferHomeZone';
import { FALLBACK_HOME_ZONE, isKnownZone, localMidnightMs, parseDay } from '../../time/zones';
import { parseAppleDate, parseAppleDateString, writtenOffsetMin, writtenOffsetOf } from './dates';
import { deviceKind, nameDecidesKind, parseDevice, type DeviceFields } from './device';
import { convertValue, mapType, SLEEP_TYPE, SLEEP_VALUES, toKcal, toKm, toSeconds, type TypeMapping } from './types';

/** A problem that stops the import (not one bad record: those are rejected and counted). */
export class ImportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportInputError';
  }
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QUOT = 0x22;
const APOS = 0x27;
const EQ = 0x3d;
const AMP = 0x26;

function isSpace(c: number): boolean {
  // Vertical tab and form feed are not XML whitespace, but real exports carry stray ones.
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0b || c === 0x0c;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
// eslint-disable-next-line no-control-regex -- stray control characters are exactly what we strip
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/** Decodes an attribute value: UTF-8 over a complete range, predefined and numeric entities. */
export function decodeText(buf: Buffer, s: number, e: number): string {
  let ascii = true;
  let amp = false;
  let ctl = false;
  for (let i = s; i < e; i++) {
    const c = buf[i];
    if (c >= 0x80) ascii = false;
    else if (c === AMP) amp = true;
    else if (c < 0x20) ctl = true;
  }
  let text = ascii ? buf.toString('latin1', s, e) : buf.toString('utf8', s, e);
  if (amp) {
    text = text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,4});/g, (whole: string, ent: string) => {
      if (ent[0] === '#') {
        const code = ent[1] === 'x' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
      // Entities the DTD declares are never expanded (that is how expansion bombs work).
      return ENTITIES[ent] ?? whole;
    });
  }
  if (ctl) text = text.replace(CONTROL, '');
  return text;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * A decimal number from bytes, or NaN. Mantissa and power of ten are both exact doubles, so
 * one division is correctly rounded: the same result as Number(text), without the string.
 */
export function parseNumber(buf: Buffer, s: number, e: number): number {
  let p = s;
  while (p < e && isSpace(buf[p])) p++;
  let end = e;
  while (end > p && isSpace(buf[end - 1])) end--;
  if (p >= end) return NaN;
  let neg = false;
  if (buf[p] === 0x2d) {
    neg = true;
    p++;
  } else if (buf[p] === 0x2b) p++;
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let seenDot = false;
  let any = false;
  for (; p < end; p++) {
    const c = buf[p];
    if (c >= 0x30 && c <= 0x39) {
      any = true;
      if (mant === 0 && c === 0x30) {
        if (seenDot) frac++;
        continue;
      }
      if (digits >= 15) return Number(buf.toString('latin1', s, e));
      mant = mant * 10 + (c - 0x30);
      digits++;
      if (seenDot) frac++;
    } else if (c === 0x2e && !seenDot) seenDot = true;
    else if (c === 0x65 || c === 0x45 || c === 0x2c) return slowNumber(buf.toString('latin1', s, e));
    else return NaN;
  }
  if (!any) return NaN;
  const v = frac === 0 ? mant : frac <= 22 ? mant / POW10[frac] : Number(buf.toString('latin1', s, e));
  return neg ? -v : v;
}

function slowNumber(text: string): number {
  const t = text.trim();
  // Some locales write a decimal comma ("0,5"); a thousands separator never appears here.
  const n = Number(/^[-+]?\d+,\d+$/.test(t) ? t.replace(',', '.') : t);
  return Number.isFinite(n) ? n : NaN;
}

function bytesEqual(buf: Buffer, s: number, e: number, word: Buffer): boolean {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[s + i] !== word[i]) return false;
  return true;
}

const W = (s: string) => Buffer.from(s, 'latin1');
const N_RECORD = W('Record');
const N_META = W('MetadataEntry');
const N_BEAT = W('InstantaneousBeatsPerMinute');
const N_HRV = W('HeartRateVariabilityMetadataList');
const A_TYPE = W('type');
const A_UNIT = W('unit');
const A_VALUE = W('value');
const A_SOURCE = W('sourceName');
/** iOS 8 wrote `source` where later exports write `sourceName`. */
const A_SOURCE_OLD = W('source');
const A_DEVICE = W('device');
const A_START = W('startDate');
const A_END = W('endDate');
const A_KEY = W('key');
const A_BPM = W('bpm');
const A_TIME = W('time');
const HKDEVICE_PREFIX = W('&lt;&lt;HKDevice: 0x');
const N_ROOT = W('HealthData');

/**
 * Elements that only ever appear at the top level (a Record also inside a Correlation). Met
 * inside another element, they mean that element was never closed: it is closed there.
 */
const TOP_LEVEL_ONLY = new Set(['Record', 'Workout', 'Correlation', 'ActivitySummary', 'ClinicalRecord', 'Audiogram', 'VisionPrescription', 'ExportDate', 'Me']);
/** The name given to an element skipped as malformed while its children are read past. */
const MALFORMED = '\u0000malformed';

/** Home-zone evidence: one written offset per ~month of instants, at most this many. */
const MONTH_MS = 2_629_746_000;
const MAX_OFFSET_OBSERVATIONS = 1200;

/**
 * The last few distinct byte strings seen for one attribute, with what they resolved to.
 * Exports are grouped by type and alternate between a few sources and devices, so nearly every
 * lookup hits here without making a string (no allocation, no hashing).
 */
class ByteMemo<T> {
  private readonly keys: Buffer[] = [];
  private readonly vals: T[] = [];
  private next = 0;

  private last = 0;

  get(buf: Buffer, s: number, e: number): T | undefined {
    const len = e - s;
    // The slot that hit last time first; compared in JS (a native Buffer.compare call costs
    // more than comparing the ~100 bytes of a device key here).
    const keys = this.keys;
    const m = this.last;
    if (m < keys.length) {
      const k = keys[m];
      if (k.length === len && sameBytes(k, buf, s, len)) return this.vals[m];
    }
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (i === m || k.length !== len) continue;
      if (sameBytes(k, buf, s, len)) {
        this.last = i;
        return this.vals[i];
      }
    }
    return undefined;
  }

  set(buf: Buffer, s: number, e: number, v: T): void {
    const slot = this.keys.length < 4 ? this.keys.length : this.next++ % 4;
    this.keys[slot] = Buffer.from(buf.subarray(s, e));
    this.vals[slot] = v;
  }
}

function sameBytes(k: Buffer, buf: Buffer, s: number, len: number): boolean {
  // From the end: keys that differ (dates, pointers, numbers) mostly differ in their last bytes.
  for (let j = len - 1; j >= 0; j--) if (k[j] !== buf[s + j]) return false;
  return true;
}

/** A parsed element outside the record fast path (workouts, correlations, summaries, …). */
interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
}

interface RecordState {
  typeS: number;
  typeE: number;
  unit: number;
  valueS: number;
  valueE: number;
  valueKey: string | null;
  numValue: number;
  origin: number;
  device: number;
  start: number;
  end: number;
  typeIdx: number;
  meta: MetaEntry[] | null;
  beats: { bpm: number; time: string }[] | null;
  children: Node[] | null;
  /** Local zone id: 0 = the home zone, else the record's own (HKTimeZone). */
  zone: number;
}

interface MetaEntry {
  key: string;
  value: string;
  raw: string;
  /** For HKTimeZone: its local zone id (0 when this system does not know the zone); else -1. */
  zone: number;
}

/** Metadata keys whose values come from a small set: samples share one stored copy. */
const SHARED_KEYS = new Set([
  'HKMetadataKeyHeartRateMotionContext',
  'HKWasUserEntered',
  'HKTimeZone',
  'HKIndoorWorkout',
  'HKMetadataKeyAppleDeviceCalibrated',
  'HKMetadataKeySessionEstimate',
  'HKMetadataKeyDevicePlacementSide',
  'HKAlgorithmVersion',
  'HKMetadataKeyUserMotionContext',
  'HKMetadataKeySyncVersion',
  'HKWasTakenInLab',
  'HKSwimmingLocationType',
  'HKMetadataKeyVO2MaxTestType',
]);

interface Combo {
  local: number;
  mapping: TypeMapping;
  sleep: boolean;
  quantityType: boolean;
}

export interface ParserOptions {
  /** settings.homeTimeZone; null when not set (ActivitySummary days then use the zone the export points to). */
  homeZone: string | null;
  /** Skip top-level elements that end before this byte (already stored by an interrupted run). */
  resumeOffset: number;
  /** Home-zone evidence an interrupted run gathered before resumeOffset (it is not read again). */
  evidence?: HomeZoneEvidence | null;
  batchSize: number;
  maxElementBytes: number;
  onBatch(batch: BatchMsg, transfer: ArrayBuffer[]): void;
  onMeta(meta: MetaMsg): void;
}

export interface RouteRef {
  /** The path as written in FileReference, normalised (no leading slash). */
  path: string;
  workout: WorkoutKey;
}

const MAX_CHILDREN = 2_000_000;

/** One distance of a workout (a multisport leg), in km, kept in the workout's details. */
interface Leg {
  type: string;
  km: number;
  startDate: string | undefined;
  endDate: string | undefined;
}

export class AppleHealthParser {
  private carry: Buffer | null = null;
  /** Absolute offset of the first byte of the current buffer. */
  private base = 0;
  private depth = 0;
  private sawRoot = false;
  private rootClosed = false;
  private lastTopEnd = 0;
  private inRecord = false;
  private rec: RecordState = this.freshRecord();
  private stack: Node[] = [];
  /** The zone ActivitySummary days are placed in: the setting, else inferred when first needed. */
  private homeZone: string | null;
  private homeZoneInferred: InferredHomeZone | null = null;
  /** With a home zone set: the zone the dates were written in when it is not that one (set by finish()). */
  writtenZone: WrittenZone | null = null;

  // Dimensions, numbered locally; the writer maps them to database ids.
  private readonly typeIdx = new Map<string, number>();
  private readonly typeNames: string[] = [];
  private readonly unitCache = new Map<string, string>();
  private readonly combos = new Map<string, Combo>();
  private readonly originCache = new Map<string, number>();
  private readonly originByKey = new Map<string, number>();
  /**
   * Origins created by the element being read whose name says nothing of their kind ("Connect"):
   * the device of that first element decides it, before the dimension is sent.
   */
  private readonly kindPending = new Map<number, DimOrigin>();
  private readonly deviceCache = new Map<string, number>();
  private readonly deviceByKey = new Map<string, number>();
  private readonly deviceFields: (DeviceFields | null)[] = [null];
  private readonly categoryCache = new Map<string, number>();
  /** HKTimeZone value -> local zone id (0: unknown to this system, the home zone is used). */
  private readonly zoneCache = new Map<string, number>();
  private readonly zoneNames: string[] = [''];
  /** Records and workouts stored per local zone (home-zone evidence). */
  private readonly zoneCounts: number[] = [0];
  private readonly offsetSeen = new Set<number>();
  private readonly offsetObs: { ms: number; offsetMin: number }[] = [];
  private lastMonth = NaN;
  private readonly metaCache = new Map<string, MetaEntry>();
  private readonly typeMemo = new ByteMemo<number>();
  private readonly unitMemo = new ByteMemo<number>();
  private readonly sourceMemo = new ByteMemo<number>();
  private readonly deviceMemo = new ByteMemo<number>();
  private readonly valueMemo = new ByteMemo<string>();
  private readonly metaMemo = new ByteMemo<MetaEntry>();
  private readonly unitIdx = new Map<string, number>();
  private readonly unitKeys: string[] = [''];
  private readonly comboByNum = new Map<number, Combo>();
  private readonly detailCache = new Map<string, { json: string; shared: boolean }>();
  private nextType = 1;
  private nextOrigin = 1;
  private nextDevice = 1;
  private nextCategory = 1;
  private newTypes: DimType[] = [];
  private newOrigins: DimOrigin[] = [];
  private newDevices: DimDevice[] = [];
  private newCategories: DimCategory[] = [];
  private newZones: DimZone[] = [];

  // The batch being filled.
  private n = 0;
  private cols!: Pick<BatchMsg, 'type' | 'origin' | 'device' | 'start' | 'end' | 'zone' | 'value' | 'cat'>;
  private detailRows: number[] = [];
  private detailJson: string[] = [];
  private detailShared: boolean[] = [];
  private workouts: WorkoutRow[] = [];
  private daily: DailyRow[] = [];
  private readCounts: number[] = [];
  private rejected: Record<string, number> = {};
  private notes: Record<string, number> = {};
  private pendingBytes = 0;

  readonly routeRefs: RouteRef[] = [];
  readonly warnings: string[] = [];
  exportVersion: string | null = null;
  records = 0;
  /** Set by the reader: input bytes consumed so far, reported with each batch. */
  inputBytes = 0;

  constructor(private readonly opts: ParserOptions) {
    this.homeZone = opts.homeZone && isKnownZone(opts.homeZone) ? opts.homeZone : null;
    // Months the interrupted run already observed are not observed twice.
    for (const o of opts.evidence?.offsets ?? []) this.offsetSeen.add(Math.floor(o.ms / MONTH_MS));
    this.allocate();
  }

  private allocate(): void {
    this.cols = this.newColumns(this.opts.batchSize);
  }

  private newColumns(size: number): AppleHealthParser['cols'] {
    return {
      type: new Int32Array(size),
      origin: new Int32Array(size),
      device: new Int32Array(size),
      start: new Float64Array(size),
      end: new Float64Array(size),
      zone: new Int32Array(size),
      value: new Float64Array(size),
      cat: new Int32Array(size),
    };
  }

  /**
   * A batch is sent only between top-level elements (so that where a resumed run starts is
   * always an element boundary), and one element may add several rows: a full batch grows
   * rather than drop the rows that do not fit (typed arrays ignore writes past their end).
   */
  private grow(): void {
    const c = this.cols;
    const bigger = this.newColumns(c.type.length * 2);
    bigger.type.set(c.type);
    bigger.origin.set(c.origin);
    bigger.device.set(c.device);
    bigger.start.set(c.start);
    bigger.end.set(c.end);
    bigger.zone.set(c.zone);
    bigger.value.set(c.value);
    bigger.cat.set(c.cat);
    this.cols = bigger;
  }

  private freshRecord(): RecordState {
    return { typeS: 0, typeE: 0, unit: 0, valueS: -1, valueE: -1, valueKey: null, numValue: 0, origin: 0, device: 0, start: NaN, end: NaN, typeIdx: 0, meta: null, beats: null, children: null, zone: 0 };
  }

  /** Bytes of the main XML fully handled (the end of the last complete top-level element). */
  get position(): number {
    return this.lastTopEnd;
  }

  get complete(): boolean {
    return this.rootClosed;
  }

  get sawHealthData(): boolean {
    return this.sawRoot;
  }

  reject(reason: string, count = 1): void {
    this.rejected[reason] = (this.rejected[reason] ?? 0) + count;
  }

  note(key: string, count = 1): void {
    this.notes[key] = (this.notes[key] ?? 0) + count;
  }

  /** Feeds the next chunk of the file. */
  push(chunk: Buffer): void {
    if (this.carry) {
      // Join only the straddling part: '<' never occurs inside a well-formed tag (attribute
      // values escape it), so the carried tag ends before the chunk's first '<'. This avoids
      // copying every whole chunk.
      const lt = chunk.indexOf(LT);
      if (lt > 0) {
        const head = Buffer.concat([this.carry, chunk.subarray(0, lt)]);
        this.carry = null;
        const pos = this.scan(head);
        this.base += pos;
        chunk = pos === head.length ? chunk.subarray(lt) : Buffer.concat([head.subarray(pos), chunk.subarray(lt)]);
      } else {
        chunk = Buffer.concat([this.carry, chunk]);
        this.carry = null;
      }
    }
    const buf = chunk;
    const pos = this.scan(buf);
    if (pos < buf.length) {
      if (buf.length - pos > this.opts.maxElementBytes) {
        throw new ImportInputError(`The export has an element larger than ${Math.round(this.opts.maxElementBytes / 1048576)} MB at byte ${this.base + pos}; it is damaged or not an Apple Health export.`);
      }
      this.carry = Buffer.from(buf.subarray(pos));
    } else this.carry = null;
    this.base += pos;
  }

  /** Sends what is left, and warns when the dates contradict the home zone set. Returns whether the document ended properly. */
  finish(): boolean {
    // The interrupted run had read the whole document (it stopped while reading routes).
    if (!this.rootClosed && this.sawRoot && this.opts.resumeOffset > 0 && this.base + (this.carry?.length ?? 0) <= this.opts.resumeOffset) this.rootClosed = true;
    if (this.opts.homeZone && this.homeZone) {
      const written = exportZoneContradicting(this.homeZone, this.homeZoneEvidence());
      if (written) {
        this.writtenZone = written;
        this.warnings.push(contradictedHomeZoneWarning(written));
      }
    }
    if (this.sawRoot) this.sendMeta();
    this.flush();
    return this.rootClosed;
  }

  // ---------------------------------------------------------------------------------------
  // Scanner

  private scan(buf: Buffer): number {
    const len = buf.length;
    let pos = 0;
    const resumeAt = this.opts.resumeOffset;
    for (;;) {
      if (resumeAt > 0 && this.depth === 1 && this.base + pos < resumeAt) {
        // Already stored by the interrupted run: jump to where it stopped.
        if (resumeAt - this.base <= len) pos = resumeAt - this.base;
        else return len;
      }
      const lt = buf.indexOf(LT, pos);
      if (lt < 0) return len;
      if (lt + 1 >= len) return lt;
      const c = buf[lt + 1];
      if (c === SLASH) {
        const gt = buf.indexOf(GT, lt + 2);
        if (gt < 0) return lt;
        let ne = lt + 2;
        while (ne < gt && !isSpace(buf[ne])) ne++;
        this.endTag(buf, lt + 2, ne, gt + 1);
        pos = gt + 1;
      } else if (c === 0x3f /* ? */) {
        const end = buf.indexOf('?>', lt + 2, 'latin1');
        if (end < 0) return lt;
        pos = end + 2;
      } else if (c === 0x21 /* ! */) {
        const r = this.bang(buf, lt);
        if (r < 0) return lt;
        pos = r;
      } else {
        const r = this.startTag(buf, lt);
        if (r === -1) return lt;
        pos = r;
      }
    }
  }

  /** Comments, CDATA and the DOCTYPE. Returns the position after it, or -1 if incomplete. */
  private bang(buf: Buffer, lt: number): number {
    if (buf[lt + 2] === 0x2d && buf[lt + 3] === 0x2d) {
      const end = buf.indexOf('-->', lt + 4, 'latin1');
      return end < 0 ? -1 : end + 3;
    }
    if (buf.length - lt < 9) return -1;
    const head = buf.toString('latin1', lt, lt + 9);
    if (head === '<![CDATA[') {
      const end = buf.indexOf(']]>', lt + 9, 'latin1');
      return end < 0 ? -1 : end + 3;
    }
    if (head.toUpperCase() === '<!DOCTYPE') {
      // The internal subset ends at "]>". The iOS 16 DTD leaves ATTLISTs unclosed and adds a
      // stray ">" before "]>", so nothing inside it is parsed: only its version comment is read.
      const gt = buf.indexOf(GT, lt + 9);
      const bracket = buf.indexOf(0x5b /* [ */, lt + 9);
      let end: number;
      if (bracket >= 0 && (gt < 0 || bracket < gt)) {
        const close = buf.indexOf(']>', bracket, 'latin1');
        if (close < 0) return -1;
        end = close + 2;
      } else {
        if (gt < 0) return -1;
        end = gt + 1;
      }
      const m = /HealthKit Export Version:\s*([\w.]+)/.exec(buf.toString('latin1', lt, Math.min(end, lt + 4096)));
      if (m) this.exportVersion = m[1];
      return end;
    }
    // Any other declaration: skip to its end.
    const gt = buf.indexOf(GT, lt + 2);
    return gt < 0 ? -1 : gt + 1;
  }

  /** Attribute positions of the tag being read: [nameStart, nameEnd, valueStart, valueEnd]*. */
  private attrs = new Int32Array(64 * 4);
  private nAttrs = 0;

  /**
   * Reads attributes from p. Returns the position after the tag's `>` (negated and minus 2 when
   * self-closing, i.e. -(end)-2), -1 when the buffer ends first, or 0 for a malformed tag.
   */
  private readAttrs(buf: Buffer, p: number): number {
    const len = buf.length;
    this.nAttrs = 0;
    for (;;) {
      while (p < len && isSpace(buf[p])) p++;
      if (p >= len) return -1;
      const c = buf[p];
      if (c === GT) return p + 1;
      if (c === SLASH) {
        if (p + 1 >= len) return -1;
        return buf[p + 1] === GT ? -(p + 2) - 2 : 0;
      }
      const ns = p;
      // Names are letters (above '>'): the common case costs one comparison per byte.
      for (; p < len; p++) {
        const b = buf[p];
        if (b <= GT && (b === EQ || b === GT || isSpace(b))) break;
      }
      const ne = p;
      while (p < len && isSpace(buf[p])) p++;
      if (p >= len) return -1;
      if (buf[p] !== EQ) return 0;
      p++;
      while (p < len && isSpace(buf[p])) p++;
      if (p >= len) return -1;
      const q = buf[p];
      if (q !== QUOT && q !== APOS) return 0;
      // Values are short: a loop here beats a native indexOf call per attribute.
      let ve = p + 1;
      while (ve < len && buf[ve] !== q) ve++;
      if (ve >= len) return -1;
      if (this.nAttrs * 4 + 4 > this.attrs.length) {
        const bigger = new Int32Array(this.attrs.length * 2);
        bigger.set(this.attrs);
        this.attrs = bigger;
      }
      const k = this.nAttrs++ * 4;
      this.attrs[k] = ns;
      this.attrs[k + 1] = ne;
      this.attrs[k + 2] = p + 1;
      this.attrs[k + 3] = ve;
      p = ve + 1;
    }
  }

  private attrObject(buf: Buffer): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0; i < this.nAttrs; i++) {
      const k = i * 4;
      out[buf.toString('latin1', this.attrs[k], this.attrs[k + 1])] = decodeText(buf, this.attrs[k + 2], this.attrs[k + 3]);
    }
    return out;
  }

  private startTag(buf: Buffer, lt: number): number {
    const len = buf.length;
    let ne = lt + 1;
    while (ne < len && buf[ne] !== GT && buf[ne] !== SLASH && !isSpace(buf[ne])) ne++;
    if (ne >= len) return -1;
    const r = this.readAttrs(buf, ne);
    if (r === -1) return -1;
    if (r === 0) {
      // A malformed tag (iOS 8 wrote attribute names with spaces): skip it, count it, keep
      // going. When it has children, they are read past up to its end tag.
      const gt = buf.indexOf(GT, ne);
      if (gt < 0) return -1;
      this.reject('malformed XML element');
      if (buf[gt - 1] !== SLASH && this.depth > 0) {
        if (this.inRecord) this.depth++;
        else {
          const skipped: Node = { name: MALFORMED, attrs: {}, children: [] };
          if (this.depth === 1) this.stack = [skipped];
          else this.stack.push(skipped);
          this.depth++;
        }
      }
      return gt + 1;
    }
    const selfClosing = r < 0;
    const end = selfClosing ? -r - 2 : r;
    const ns = lt + 1;

    if (this.depth === 0) {
      const name = buf.toString('latin1', ns, ne);
      if (name === 'HealthData') {
        this.sawRoot = true;
        const attrs = this.attrObject(buf);
        this.locale = attrs.locale ?? null;
        if (selfClosing) {
          this.rootClosed = true;
          this.lastTopEnd = this.base + end;
        } else this.depth = 1;
        return end;
      }
      throw new ImportInputError(`This is not an Apple Health export: its first element is <${name.slice(0, 40)}>, not <HealthData>.`);
    }

    if (this.depth === 1) {
      if (bytesEqual(buf, ns, ne, N_RECORD)) {
        this.beginRecord(buf);
        if (selfClosing) this.endRecord(end);
        else {
          this.inRecord = true;
          this.depth = 2;
        }
        return end;
      }
      const node: Node = { name: buf.toString('latin1', ns, ne), attrs: this.attrObject(buf), children: [] };
      if (selfClosing) this.topLevel(node, end);
      else {
        this.stack = [node];
        this.depth = 2;
      }
      return end;
    }

    if (this.inRecord) {
      if (this.depth === 2 && bytesEqual(buf, ns, ne, N_META)) {
        this.recordMeta(buf);
      } else if (this.depth === 3 && bytesEqual(buf, ns, ne, N_BEAT)) {
        this.recordBeat(buf);
      } else if (!(this.depth === 2 && bytesEqual(buf, ns, ne, N_HRV))) {
        const name = buf.toString('latin1', ns, ne);
        if (TOP_LEVEL_ONLY.has(name)) {
          // The record was never closed: close it here and read this element at the top level.
          this.closeUnclosed(lt);
          return this.startTag(buf, lt);
        }
        (this.rec.children ??= []).push({ name, attrs: this.attrObject(buf), children: [] });
      }
      if (!selfClosing) this.depth++;
      return end;
    }

    // Inside a workout, correlation or other top-level element: build its small tree.
    const parent = this.stack[this.stack.length - 1];
    const name = buf.toString('latin1', ns, ne);
    const top = this.stack[0].name;
    if (TOP_LEVEL_ONLY.has(name) && top !== MALFORMED && !(name === 'Record' && top === 'Correlation')) {
      this.closeUnclosed(lt);
      return this.startTag(buf, lt);
    }
    const node: Node = { name, attrs: this.attrObject(buf), children: [] };
    if (parent.name === MALFORMED) {
      // Children of a skipped element are not kept.
    } else if (parent.children.length < MAX_CHILDREN) parent.children.push(node);
    else this.reject(`more than ${MAX_CHILDREN} children in one <${this.stack[0].name}>`);
    if (!selfClosing) {
      this.stack.push(node);
      this.depth++;
    }
    return end;
  }

  private endTag(buf: Buffer, ns: number, ne: number, end: number): void {
    if (this.depth === 0) return;
    if (this.depth > 1 && ne - ns === N_ROOT.length && bytesEqual(buf, ns, ne, N_ROOT)) {
      // </HealthData> while an element is still open: that element was never closed.
      this.closeUnclosed(ns - 2);
    }
    if (this.depth === 1) {
      if (!bytesEqual(buf, ns, ne, N_ROOT)) {
        // The end tag of an element closed already (it lacked its own end tag): not the root's.
        this.note('stray end tag');
        return;
      }
      this.depth = 0;
      this.rootClosed = true;
      this.lastTopEnd = this.base + end;
      return;
    }
    this.depth--;
    if (this.inRecord) {
      if (this.depth === 1) {
        this.inRecord = false;
        this.endRecord(end);
      }
      return;
    }
    const node = this.stack.pop();
    if (this.depth === 1 && node) this.topLevel(node, end);
    void buf;
    void ns;
    void ne;
  }

  /** Closes the open top-level element at buf[pos] (where the next element starts) when its end tag is missing. */
  private closeUnclosed(pos: number): void {
    this.note('element without an end tag (closed where the next one starts)');
    if (this.inRecord) {
      this.inRecord = false;
      this.depth = 1;
      this.endRecord(pos);
      return;
    }
    const root = this.stack[0];
    this.stack = [];
    this.depth = 1;
    if (root) this.topLevel(root, pos);
  }

  locale: string | null = null;

  // ---------------------------------------------------------------------------------------
  // Records (the hot path)

  private beginRecord(buf: Buffer): void {
    const r = this.rec;
    r.typeS = r.typeE = 0;
    r.unit = 0;
    r.valueS = r.valueE = -1;
    r.valueKey = null;
    r.origin = 0;
    r.device = 0;
    r.start = NaN;
    r.end = NaN;
    r.meta = null;
    r.beats = null;
    r.children = null;
    r.zone = 0;
    let sourceSeen = false;
    const a = this.attrs;
    for (let i = 0; i < this.nAttrs; i++) {
      const k = i * 4;
      const ns = a[k];
      const ne = a[k + 1];
      const vs = a[k + 2];
      const ve = a[k + 3];
      switch (ne - ns) {
        case 4:
          if (bytesEqual(buf, ns, ne, A_TYPE)) {
            r.typeS = vs;
            r.typeE = ve;
          } else if (bytesEqual(buf, ns, ne, A_UNIT)) {
            let u = this.unitMemo.get(buf, vs, ve);
            if (u === undefined) {
              const key = buf.toString('latin1', vs, ve);
              u = this.unitIdx.get(key);
              if (u === undefined) {
                u = this.unitKeys.length;
                this.unitKeys.push(key);
                this.unitIdx.set(key, u);
              }
              this.unitMemo.set(buf, vs, ve, u);
            }
            r.unit = u;
          }
          break;
        case 5:
          if (bytesEqual(buf, ns, ne, A_VALUE)) {
            r.valueS = vs;
            r.valueE = ve;
          }
          break;
        case 6:
          if (bytesEqual(buf, ns, ne, A_DEVICE)) r.device = this.deviceId(buf, vs, ve);
          else if (bytesEqual(buf, ns, ne, A_SOURCE_OLD)) {
            r.origin = this.sourceOrigin(buf, vs, ve);
            sourceSeen = true;
          }
          break;
        case 7:
          if (bytesEqual(buf, ns, ne, A_END)) r.end = parseAppleDate(buf, vs, ve);
          break;
        case 9:
          if (bytesEqual(buf, ns, ne, A_START)) {
            const t = parseAppleDate(buf, vs, ve);
            r.start = t;
            // Home-zone evidence: the offset written with one date per month of instants.
            if (Math.floor(t / MONTH_MS) !== this.lastMonth) this.observeOffset(t, writtenOffsetMin(buf, vs, ve));
          }
          break;
        case 10:
          if (bytesEqual(buf, ns, ne, A_SOURCE)) {
            r.origin = this.sourceOrigin(buf, vs, ve);
            sourceSeen = true;
          }
          break;
      }
    }
    if (!sourceSeen) r.origin = this.originIdFromText('', 'Unknown source');
    if (this.kindPending.size) this.settleKind(r.origin, r.device);
    if (r.typeE > r.typeS) {
      let t = this.typeMemo.get(buf, r.typeS, r.typeE);
      if (t === undefined) {
        t = this.typeIndex(buf.toString('latin1', r.typeS, r.typeE), buf, r.typeS, r.typeE);
        this.typeMemo.set(buf, r.typeS, r.typeE, t);
      }
      r.typeIdx = t;
    } else r.typeIdx = 0;
    // Values are read now: the buffer may be gone by the time </Record> arrives.
    if (r.valueS >= 0) {
      const v = parseNumber(buf, r.valueS, r.valueE);
      if (Number.isNaN(v)) {
        let k = this.valueMemo.get(buf, r.valueS, r.valueE);
        if (k === undefined) {
          k = buf.toString('latin1', r.valueS, r.valueE);
          if (r.valueE - r.valueS < 80) this.valueMemo.set(buf, r.valueS, r.valueE, k);
        }
        r.valueKey = k;
        r.valueS = -2;
      } else {
        r.valueS = -3;
        r.numValue = v;
      }
    }
  }

  private sourceOrigin(buf: Buffer, vs: number, ve: number): number {
    let o = this.sourceMemo.get(buf, vs, ve);
    if (o === undefined) {
      o = this.originId(buf.toString('latin1', vs, ve), buf, vs, ve);
      this.sourceMemo.set(buf, vs, ve, o);
    }
    return o;
  }

  /** Keeps the offset written with a date at instant t, once per month of instants (bounded). */
  private observeOffset(t: number, offsetMin: number): void {
    if (!Number.isFinite(t)) return;
    const month = Math.floor(t / MONTH_MS);
    this.lastMonth = month;
    if (Number.isNaN(offsetMin) || this.offsetSeen.has(month) || this.offsetObs.length >= MAX_OFFSET_OBSERVATIONS) return;
    this.offsetSeen.add(month);
    this.offsetObs.push({ ms: t, offsetMin });
  }

  private observeOffsetOf(text: string | undefined): void {
    if (!text) return;
    const t = parseAppleDateString(text);
    if (Math.floor(t / MONTH_MS) !== this.lastMonth) this.observeOffset(t, writtenOffsetOf(text));
  }

  /** What this export says about its owner's home zone (bounded whatever the file's size). */
  homeZoneEvidence(): HomeZoneEvidence {
    const seed = this.opts.evidence;
    const recordZones: Record<string, number> = { ...seed?.recordZones };
    for (let z = 1; z < this.zoneNames.length; z++) if (this.zoneCounts[z]) recordZones[this.zoneNames[z]] = (recordZones[this.zoneNames[z]] ?? 0) + this.zoneCounts[z];
    const offsets = seed?.offsets.length ? [...seed.offsets, ...this.offsetObs].slice(0, MAX_OFFSET_OBSERVATIONS) : this.offsetObs;
    return { recordZones, offsets, locale: this.locale ?? seed?.locale ?? null };
  }

  /**
   * With no home zone set: the zone the export points to. When ActivitySummary days needed a
   * zone before the end (Apple writes them after the records), the zone chosen then, so the
   * days stored and the zone reported agree.
   */
  inferredHomeZone(): InferredHomeZone | null {
    if (this.opts.homeZone && this.homeZone) return null;
    return this.homeZoneInferred ?? inferHomeZone(this.homeZoneEvidence());
  }

  /** The zone ActivitySummary days are placed in. */
  private activityZone(): string {
    if (this.homeZone === null) {
      this.homeZoneInferred = inferHomeZone(this.homeZoneEvidence());
      this.homeZone = this.homeZoneInferred?.zone ?? FALLBACK_HOME_ZONE;
    }
    return this.homeZone;
  }

  private recordMeta(buf: Buffer): void {
    const a = this.attrs;
    if (!this.nAttrs) return;
    // Most entries repeat (a motion context, HKWasUserEntered): cache them by their raw bytes.
    const rs = a[0];
    const re = a[(this.nAttrs - 1) * 4 + 3];
    let entry = this.metaMemo.get(buf, rs, re);
    if (entry) {
      if (entry.zone >= 0) this.rec.zone = entry.zone;
      (this.rec.meta ??= []).push(entry);
      return;
    }
    const raw = buf.toString('latin1', rs, re);
    entry = this.metaCache.get(raw);
    if (!entry) {
      let key = '';
      let value = '';
      for (let i = 0; i < this.nAttrs; i++) {
        const k = i * 4;
        if (bytesEqual(buf, a[k], a[k + 1], A_KEY)) key = decodeText(buf, a[k + 2], a[k + 3]);
        else if (bytesEqual(buf, a[k], a[k + 1], A_VALUE)) value = decodeText(buf, a[k + 2], a[k + 3]);
      }
      entry = { key, value, raw, zone: key === 'HKTimeZone' ? this.zoneId(value) : -1 };
      if (this.metaCache.size < 100_000) this.metaCache.set(raw, entry);
    }
    if (re - rs < 200) this.metaMemo.set(buf, rs, re, entry);
    if (entry.zone >= 0) this.rec.zone = entry.zone;
    (this.rec.meta ??= []).push(entry);
  }

  private recordBeat(buf: Buffer): void {
    let bpm = NaN;
    let time = '';
    const a = this.attrs;
    for (let i = 0; i < this.nAttrs; i++) {
      const k = i * 4;
      if (bytesEqual(buf, a[k], a[k + 1], A_BPM)) bpm = parseNumber(buf, a[k + 2], a[k + 3]);
      else if (bytesEqual(buf, a[k], a[k + 1], A_TIME)) time = decodeText(buf, a[k + 2], a[k + 3]);
    }
    (this.rec.beats ??= []).push({ bpm, time });
  }

  private endRecord(end: number): void {
    const r = this.rec;
    this.lastTopEnd = this.base + end;
    this.records++;
    if (!r.typeIdx) {
      this.reject('record without a type');
      return this.afterTop();
    }
    this.readCounts[r.typeIdx] = (this.readCounts[r.typeIdx] ?? 0) + 1;
    const rawType = this.typeNames[r.typeIdx];
    if (!Number.isFinite(r.start)) {
      this.reject('record with a missing or unreadable startDate');
      return this.afterTop();
    }
    if (!Number.isFinite(r.end)) r.end = r.start;
    if (r.end < r.start) {
      this.reject('record that ends before it starts');
      return this.afterTop();
    }
    const combo = this.comboNum(r.typeIdx, rawType, r.unit);
    let value = 0;
    let cat = 0;
    if (combo.sleep) {
      const raw = r.valueS === -3 ? String(r.numValue) : (r.valueKey ?? '');
      cat = this.categoryId(SLEEP_VALUES[raw] ?? raw);
    } else if (r.valueS === -3) {
      value = convertValue(combo.mapping, r.numValue);
    } else if (r.valueS === -2) {
      if (combo.quantityType) {
        this.reject('quantity record with a value that is not a number');
        return this.afterTop();
      }
      cat = this.categoryIdRaw(r.valueKey!);
    } else if (combo.quantityType) {
      this.reject('quantity record without a value');
      return this.afterTop();
    }
    if (r.zone) this.zoneCounts[r.zone]++;
    this.addRow(combo.local, r.origin, r.device, r.start, r.end, r.zone, value, cat, this.recordDetails(r));
    this.afterTop();
  }

  private recordDetails(r: RecordState): { json: string; shared: boolean } | null {
    if (!r.meta && !r.beats && !r.children) return null;
    if (r.meta && !r.beats && !r.children) {
      const key = r.meta.length === 1 ? r.meta[0].raw : r.meta.map((m) => m.raw).join('\u0000');
      let d = this.detailCache.get(key);
      if (!d) {
        const json = JSON.stringify({ metadata: Object.fromEntries(r.meta.map((m) => [m.key, m.value])) });
        d = { json, shared: json.length <= 200 && r.meta.every((m) => SHARED_KEYS.has(m.key)) };
        if (this.detailCache.size < 50_000) this.detailCache.set(key, d);
      }
      return d;
    }
    const d: Record<string, unknown> = {};
    if (r.meta) d.metadata = Object.fromEntries(r.meta.map((m) => [m.key, m.value]));
    if (r.beats) d.beats = r.beats;
    if (r.children) d.children = r.children;
    return { json: JSON.stringify(d), shared: false };
  }

  /**
   * The local zone id of an HKTimeZone value: a zone dimension like types and origins (the
   * writer stores the name in the zones table). A zone this system does not know is 0, the
   * home zone, and counted. The zone decides the sample's day at merge time; Apple's written
   * offset never does.
   */
  private zoneId(name: string): number {
    let z = this.zoneCache.get(name);
    if (z === undefined) {
      if (this.zoneCache.size >= 10_000) return 0;
      if (isKnownZone(name) && name.length <= 64) {
        z = this.zoneNames.length;
        this.zoneNames.push(name);
        this.zoneCounts.push(0);
        this.newZones.push({ local: z, name });
      } else {
        z = 0;
        this.note('unknown HKTimeZone (home zone used)');
      }
      this.zoneCache.set(name, z);
    }
    return z;
  }

  private addRow(type: number, origin: number, device: number, start: number, end: number, zone: number, value: number, cat: number, details: { json: string; shared: boolean } | null): void {
    const i = this.n++;
    if (i >= this.cols.type.length) this.grow();
    const c = this.cols;
    c.type[i] = type;
    c.origin[i] = origin;
    c.device[i] = device;
    c.start[i] = start;
    c.end[i] = end;
    c.zone[i] = zone;
    c.value[i] = value;
    c.cat[i] = cat;
    if (details !== null) {
      this.detailRows.push(i);
      this.detailJson.push(details.json);
      this.detailShared.push(details.shared);
      this.pendingBytes += details.json.length;
    }
  }

  /** After each top-level element: send the batch when it is full. */
  private afterTop(): void {
    if (this.n + this.daily.length >= this.opts.batchSize || this.workouts.length >= 256 || this.pendingBytes > 4 * 1024 * 1024) this.flush();
  }

  private readonly groupOf = new Map<number, number>();

  /**
   * Reorders the batch so that rows of one type and origin are contiguous (file order kept
   * within each, so the first of two equal rows still wins). Exports interleave sources
   * within a type (watch and phone steps); grouped, the writer's index inserts land in
   * sequence instead of alternating between two places, which costs SQLite less. Returns the
   * columns to send (the current ones when already grouped).
   */
  private grouped(n: number): AppleHealthParser['cols'] {
    const c = this.cols;
    const groupOf = this.groupOf;
    groupOf.clear();
    if (!this.rowGroup || this.rowGroup.length < n) this.rowGroup = new Int32Array(c.type.length);
    const rowGroup = this.rowGroup;
    let lastKey = -1;
    let last = -1;
    let sorted = true;
    for (let i = 0; i < n; i++) {
      const key = c.type[i] * 1048576 + c.origin[i];
      if (key !== lastKey) {
        let g = groupOf.get(key);
        if (g === undefined) groupOf.set(key, (g = groupOf.size));
        else sorted = false;
        lastKey = key;
        last = g;
      }
      rowGroup[i] = last;
    }
    if (sorted) return c;
    const starts = new Int32Array(groupOf.size + 1);
    for (let i = 0; i < n; i++) starts[rowGroup[i] + 1]++;
    for (let g = 1; g < starts.length; g++) starts[g] += starts[g - 1];
    const out = this.newColumns(c.type.length);
    if (!this.rowTo || this.rowTo.length < n) this.rowTo = new Int32Array(c.type.length);
    const to = this.rowTo;
    for (let i = 0; i < n; i++) {
      const j = starts[rowGroup[i]]++;
      to[i] = j;
      out.type[j] = c.type[i];
      out.origin[j] = c.origin[i];
      out.device[j] = c.device[i];
      out.start[j] = c.start[i];
      out.end[j] = c.end[i];
      out.zone[j] = c.zone[i];
      out.value[j] = c.value[i];
      out.cat[j] = c.cat[i];
    }
    if (this.detailRows.length) {
      // Details follow their rows; the writer walks them in row order.
      const at = new Int32Array(n).fill(-1);
      for (let d = 0; d < this.detailRows.length; d++) at[to[this.detailRows[d]]] = d;
      const rows: number[] = [];
      const json: string[] = [];
      const shared: boolean[] = [];
      for (let j = 0; j < n; j++) {
        const d = at[j];
        if (d < 0) continue;
        rows.push(j);
        json.push(this.detailJson[d]);
        shared.push(this.detailShared[d]);
      }
      this.detailRows = rows;
      this.detailJson = json;
      this.detailShared = shared;
    }
    return out;
  }

  private rowGroup: Int32Array | null = null;
  private rowTo: Int32Array | null = null;

  private flush(): void {
    const hasCounts = Object.keys(this.rejected).length || Object.keys(this.notes).length;
    const hasDims = this.newTypes.length || this.newOrigins.length || this.newDevices.length || this.newCategories.length || this.newZones.length;
    if (!this.n && !this.workouts.length && !this.daily.length && !hasDims && !hasCounts && !this.readCounts.length) return;
    const n = this.n;
    const c = this.grouped(n);
    const reuse = c !== this.cols;
    const read: Record<string, number> = {};
    this.readCounts.forEach((v, i) => {
      if (v) read[this.typeNames[i]] = (read[this.typeNames[i]] ?? 0) + v;
    });
    const batch: BatchMsg = {
      t: 'batch',
      n,
      // The columns are handed over whole (transferred, not copied); `n` says how much is filled.
      type: c.type,
      origin: c.origin,
      device: c.device,
      start: c.start,
      end: c.end,
      zone: c.zone,
      value: c.value,
      cat: c.cat,
      detailRows: this.detailRows,
      detailJson: this.detailJson,
      detailShared: this.detailShared,
      dims: { types: this.newTypes, origins: this.newOrigins, devices: this.newDevices, categories: this.newCategories, zones: this.newZones },
      daily: this.daily,
      workouts: this.workouts,
      resumeOffset: this.lastTopEnd,
      // With no home zone set, what the export says so far travels with the batch, so a run
      // resumed after a crash still knows what the part it skips said.
      evidence: this.opts.homeZone === null ? this.homeZoneEvidence() : null,
      inputBytes: this.inputBytes,
      read,
      rejected: this.rejected,
      notes: this.notes,
    };
    const transfer: ArrayBuffer[] = [];
    for (const col of [batch.type, batch.origin, batch.device, batch.start, batch.end, batch.zone, batch.value, batch.cat]) transfer.push(col.buffer as ArrayBuffer);
    for (const w of this.workouts) if (w.points) for (const col of Object.values(w.points)) transfer.push((col as Float64Array).buffer as ArrayBuffer);
    this.n = 0;
    // When the rows went out reordered into new columns, the current ones were not
    // transferred and are filled again.
    if (!reuse) this.allocate();
    this.detailRows = [];
    this.detailJson = [];
    this.detailShared = [];
    this.workouts = [];
    this.daily = [];
    this.newTypes = [];
    this.newOrigins = [];
    this.newDevices = [];
    this.newCategories = [];
    this.newZones = [];
    this.readCounts = [];
    this.rejected = {};
    this.notes = {};
    this.pendingBytes = 0;
    this.opts.onBatch(batch, transfer);
  }

  // ---------------------------------------------------------------------------------------
  // Dimensions

  private typeIndex(key: string, buf: Buffer, s: number, e: number): number {
    let idx = this.typeIdx.get(key);
    if (idx === undefined) {
      idx = this.typeNames.length || 1;
      if (!this.typeNames.length) this.typeNames.push('');
      this.typeNames.push(decodeText(buf, s, e).trim());
      this.typeIdx.set(key, idx);
    }
    return idx;
  }

  private comboNum(typeIdx: number, rawType: string, unit: number): Combo {
    const key = typeIdx * 65536 + unit;
    let c = this.comboByNum.get(key);
    if (!c) {
      c = this.combo(typeIdx, rawType, this.unitKeys[unit]);
      this.comboByNum.set(key, c);
    }
    return c;
  }

  private combo(typeIdx: number, rawType: string, unitKey: string): Combo {
    const key = `${typeIdx}\u0000${unitKey}`;
    let c = this.combos.get(key);
    if (!c) {
      let unit = this.unitCache.get(unitKey);
      if (unit === undefined) {
        const b = Buffer.from(unitKey, 'latin1');
        unit = decodeText(b, 0, b.length).trim();
        this.unitCache.set(unitKey, unit);
      }
      const mapping = mapType(rawType, unit);
      const local = this.nextType++;
      this.newTypes.push({ local, rawType, unit: mapping.unit, metric: mapping.metric });
      c = { local, mapping, sleep: rawType === SLEEP_TYPE, quantityType: rawType.startsWith('HKQuantityTypeIdentifier') };
      this.combos.set(key, c);
    }
    return c;
  }

  private originId(key: string, buf: Buffer, s: number, e: number): number {
    const id = this.originCache.get(key);
    if (id !== undefined) return id;
    const name = decodeText(buf, s, e).trim();
    const local = this.originIdFromText(key, name || 'Unknown source');
    return local;
  }

  /**
   * An origin's local id, created on first use with its kind: `kind` when given, else what its
   * name says, else (pending) what the device of the element that created it says (settleKind).
   */
  private originIdFromText(cacheKey: string, name: string, kind?: string): number {
    const cached = this.originCache.get(cacheKey);
    if (cached !== undefined) return cached;
    // Curly and straight apostrophes name one origin: the normalised name is the key.
    const key = normalizeOriginName(name);
    let local = this.originByKey.get(key);
    if (local === undefined) {
      local = this.nextOrigin++;
      this.originByKey.set(key, local);
      const dim: DimOrigin = { local, name, kind: kind ?? deviceKind(null, name) };
      this.newOrigins.push(dim);
      if (kind === undefined && !nameDecidesKind(name)) this.kindPending.set(local, dim);
    }
    this.originCache.set(cacheKey, local);
    return local;
  }

  /** Decides the kind of an origin its first element just created, from that element's device. */
  private settleKind(origin: number, device: number): void {
    const dim = this.kindPending.get(origin);
    if (!dim) return;
    this.kindPending.delete(origin);
    dim.kind = deviceKind(device ? (this.deviceFields[device] ?? null) : null, dim.name);
  }

  private deviceId(buf: Buffer, s: number, e: number): number {
    if (e <= s) return 0;
    // The pointer in "<<HKDevice: 0x…>" changes per record: key on what follows it.
    let ks = s;
    if (e - s > HKDEVICE_PREFIX.length && sameBytes(HKDEVICE_PREFIX, buf, s, HKDEVICE_PREFIX.length)) {
      const comma = buf.indexOf(0x2c, s + HKDEVICE_PREFIX.length);
      if (comma > 0 && comma < e) ks = comma;
    }
    const memo = this.deviceMemo.get(buf, ks, e);
    if (memo !== undefined) return memo;
    const cacheKey = buf.toString('latin1', ks, e);
    const id = this.deviceCache.get(cacheKey);
    if (id !== undefined) this.deviceMemo.set(buf, ks, e, id);
    if (id !== undefined) return id;
    const fields = parseDevice(decodeText(buf, s, e));
    const local = this.deviceFromFields(fields);
    this.deviceCache.set(cacheKey, local);
    this.deviceMemo.set(buf, ks, e, local);
    return local;
  }

  private deviceFromFields(fields: DeviceFields): number {
    const key = [fields.name, fields.manufacturer, fields.model, fields.hardware, fields.software].join('\u0000');
    let local = this.deviceByKey.get(key);
    if (local === undefined) {
      local = this.nextDevice++;
      this.deviceByKey.set(key, local);
      this.deviceFields[local] = fields;
      this.newDevices.push({ local, fields });
    }
    return local;
  }

  private categoryIdRaw(rawKey: string): number {
    const b = Buffer.from(rawKey, 'latin1');
    return this.categoryId(decodeText(b, 0, b.length));
  }

  private categoryId(value: string): number {
    if (!value) return 0;
    let id = this.categoryCache.get(value);
    if (id === undefined) {
      id = this.nextCategory++;
      this.categoryCache.set(value, id);
      this.newCategories.push({ local: id, value: value.slice(0, 500) });
    }
    return id;
  }

  // ---------------------------------------------------------------------------------------
  // Everything else at the top level (rare: built as small trees)

  private topLevel(node: Node, end: number): void {
    this.lastTopEnd = this.base + end;
    switch (node.name) {
      case MALFORMED:
        // Counted as rejected when it was read.
        break;
      case 'ExportDate':
        this.exportDate = node.attrs.value ?? null;
        this.observeOffsetOf(node.attrs.value);
        this.sendMeta();
        break;
      case 'Me':
        this.me = node.attrs;
        this.sendMeta();
        break;
      case 'Workout':
        this.records++;
        this.workout(node);
        break;
      case 'Correlation':
        this.records++;
        this.correlation(node);
        break;
      case 'ActivitySummary':
        this.records++;
        this.activitySummary(node);
        break;
      default:
        this.records++;
        this.otherElement(node);
    }
    this.afterTop();
  }

  exportDate: string | null = null;
  me: Record<string, string> | null = null;

  private sendMeta(): void {
    this.opts.onMeta({ t: 'meta', exportDate: this.exportDate, exportVersion: this.exportVersion, locale: this.locale, me: this.me });
  }

  /** The origin of a workout, correlation or other element, its kind settled by the element's device. */
  private originFromAttrs(attrs: Record<string, string>): number {
    const name = (attrs.sourceName ?? attrs.source ?? '').trim();
    const origin = this.originIdFromText(`\u0001${name}`, name || 'Unknown source');
    if (this.kindPending.size) this.settleKind(origin, this.deviceFromAttrs(attrs));
    return origin;
  }

  private deviceFromAttrs(attrs: Record<string, string>): number {
    const d = attrs.device;
    if (!d) return 0;
    const b = Buffer.from(d.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'), 'utf8');
    return this.deviceId(b, 0, b.length);
  }

  private metaOf(node: Node): Record<string, string> | undefined {
    const metas = node.children.filter((c) => c.name === 'MetadataEntry');
    if (!metas.length) return undefined;
    return Object.fromEntries(metas.map((m) => [m.attrs.key ?? '', m.attrs.value ?? '']));
  }

  /** The local zone of an element with metadata: its HKTimeZone, else 0 (the home zone). Counted as evidence. */
  private zoneOfMeta(meta: Record<string, string> | undefined): number {
    const z = meta?.HKTimeZone ? this.zoneId(meta.HKTimeZone) : 0;
    if (z) this.zoneCounts[z]++;
    return z;
  }

  private sampleFromNode(node: Node, rawType: string, unit: string, value: number, category: string, details: unknown): boolean {
    const start = parseAppleDateString(node.attrs.startDate ?? '');
    let end = parseAppleDateString(node.attrs.endDate ?? '');
    if (!Number.isFinite(start)) {
      this.reject(`<${node.name}> with a missing or unreadable startDate`);
      return false;
    }
    if (!Number.isFinite(end) || end < start) end = start;
    const typeKey = `\u0001${rawType}`;
    let typeIdx = this.typeIdx.get(typeKey);
    if (typeIdx === undefined) {
      const b = Buffer.from(rawType, 'utf8');
      typeIdx = this.typeIndex(typeKey, b, 0, b.length);
    }
    this.readCounts[typeIdx] = (this.readCounts[typeIdx] ?? 0) + 1;
    const combo = this.combo(typeIdx, rawType, unit);
    const zone = this.zoneOfMeta(this.metaOf(node));
    this.observeOffsetOf(node.attrs.startDate);
    this.addRow(combo.local, this.originFromAttrs(node.attrs), this.deviceFromAttrs(node.attrs), start, end, zone, value, this.categoryId(category), { json: JSON.stringify(details), shared: false });
    return true;
  }

  /**
   * A correlation (blood pressure, food) is stored once, as one sample with its parts in its
   * details. Its child records also appear at the top level of the export, where they are
   * stored: storing them here too would count them twice.
   */
  private correlation(node: Node): void {
    const parts = node.children.filter((c) => c.name === 'Record');
    this.note('correlation child records (stored at top level)', parts.length);
    const type = node.attrs.type ?? 'Correlation';
    this.sampleFromNode(node, type, '', 0, '', {
      metadata: this.metaOf(node),
      records: parts.map((p) => ({ type: p.attrs.type, unit: p.attrs.unit, value: p.attrs.value, startDate: p.attrs.startDate, endDate: p.attrs.endDate })),
    });
  }

  /**
   * An ActivitySummary is Apple's totals for a named local date (the rings): daily grain rows,
   * `day` = its date, in the home zone, from that day's local midnight to the next. A newer
   * export's summary of the same day replaces the older row (the writer's day-revision rule).
   * The move and exercise totals count as daily totals of active energy and exercise minutes
   * (types.ts); stand hours and every goal are kept raw.
   */
  private activitySummary(node: Node): void {
    const day = parseDay(node.attrs.dateComponents ?? '');
    if (day === null) {
      this.reject('ActivitySummary without a date');
      return;
    }
    const zone = this.activityZone();
    const ms = localMidnightMs(zone, day)!;
    const next = localMidnightMs(zone, day + 1)!;
    // Apple's own daily totals, not a device: ranked after worn devices, before the phone.
    const origin = this.originIdFromText('\u0002activity', 'Activity rings', 'summary');
    const unitOf = (field: string) =>
      field.startsWith('activeEnergyBurned') ? (node.attrs.activeEnergyBurnedUnit ?? 'kcal') : field.startsWith('appleStandHours') ? 'count' : 'min';
    let stored = 0;
    for (const [field, text] of Object.entries(node.attrs)) {
      if (field === 'dateComponents' || field.endsWith('Unit')) continue;
      const v = Number(text);
      if (!Number.isFinite(v)) continue;
      const rawType = `ActivitySummary.${field}`;
      const typeKey = `\u0001${rawType}`;
      let typeIdx = this.typeIdx.get(typeKey);
      if (typeIdx === undefined) {
        const b = Buffer.from(rawType, 'utf8');
        typeIdx = this.typeIndex(typeKey, b, 0, b.length);
      }
      const combo = this.combo(typeIdx, rawType, unitOf(field));
      this.readCounts[typeIdx] = (this.readCounts[typeIdx] ?? 0) + 1;
      this.daily.push({ type: combo.local, origin, day, startMs: ms, endMs: next, value: convertValue(combo.mapping, v) });
      stored++;
    }
    this.note('ActivitySummary days');
    if (!stored) this.reject('ActivitySummary without values');
  }

  private otherElement(node: Node): void {
    if (node.attrs.startDate) {
      // Elements VitalSync does not know (Audiogram, VisionPrescription, StateOfMind, …) are
      // kept raw, as a sample of their own type with everything in its details.
      const rawType = node.attrs.type ? `${node.name}:${node.attrs.type}` : node.name;
      this.sampleFromNode(node, rawType, '', 0, '', { attributes: node.attrs, children: node.children.length ? node.children : undefined });
    } else {
      this.note(`<${node.name}> elements not stored`);
    }
  }

  private workout(node: Node): void {
    const a = node.attrs;
    const start = parseAppleDateString(a.startDate ?? '');
    let end = parseAppleDateString(a.endDate ?? '');
    if (!Number.isFinite(start)) {
      this.reject('workout with a missing or unreadable startDate');
      return;
    }
    if (!Number.isFinite(end) || end < start) end = start;
    const activityType = (a.workoutActivityType ?? 'HKWorkoutActivityTypeOther').replace(/^HKWorkoutActivityType/, '');
    const meta = this.metaOf(node);
    const zone = this.zoneOfMeta(meta);
    this.observeOffsetOf(a.startDate);
    const num = (v: string | undefined) => (v === undefined || v === '' ? NaN : Number(v));

    let durationS = toSeconds(num(a.duration), a.durationUnit ?? 'min');
    if (durationS === null || !Number.isFinite(durationS)) durationS = (end - start) / 1000;
    const totalDistanceKm = Number.isFinite(num(a.totalDistance)) ? toKm(num(a.totalDistance), a.totalDistanceUnit ?? 'km') : null;
    let energyKcal = Number.isFinite(num(a.totalEnergyBurned)) ? toKcal(num(a.totalEnergyBurned), a.totalEnergyBurnedUnit ?? 'kcal') : null;
    let avgHeartRate: number | null = null;
    let maxHeartRate: number | null = null;

    const statistics: Record<string, string>[] = [];
    const events: Record<string, string>[] = [];
    const activities: unknown[] = [];
    const other: Node[] = [];
    const routeFiles = new Set<string>();
    const time: number[] = [];
    const lat: number[] = [];
    const lon: number[] = [];
    const ele: number[] = [];
    const speed: number[] = [];
    const routeMeta: Record<string, string>[] = [];

    // Distance statistics, one per kind of distance: a multisport workout (swim, bike, run)
    // has one per leg, and its distance is their sum whatever their order.
    const legs: Leg[] = [];
    const activityLegs: Leg[] = [];
    const distanceOf = (n: Node, into: Leg[]) => {
      const t = n.attrs.type ?? '';
      const sum = num(n.attrs.sum);
      if (!/Distance/.test(t) || !Number.isFinite(sum)) return;
      const km = toKm(sum, n.attrs.unit ?? '');
      if (km === null) return;
      // The same statistic written twice is one leg.
      if (into.some((l) => l.type === t && l.startDate === n.attrs.startDate && l.endDate === n.attrs.endDate)) return;
      into.push({ type: t.replace(/^HKQuantityTypeIdentifier/, ''), km, startDate: n.attrs.startDate, endDate: n.attrs.endDate });
    };
    const statsFrom = (n: Node, into: Record<string, string>[]) => {
      into.push(n.attrs);
      const t = n.attrs.type ?? '';
      const unit = n.attrs.unit ?? '';
      const sum = num(n.attrs.sum);
      if (t.endsWith('HeartRate') && unit === 'count/min') {
        if (Number.isFinite(num(n.attrs.average))) avgHeartRate = num(n.attrs.average);
        if (Number.isFinite(num(n.attrs.maximum))) maxHeartRate = num(n.attrs.maximum);
      } else if (/Distance/.test(t)) {
        distanceOf(n, legs);
      } else if (t.endsWith('ActiveEnergyBurned') && Number.isFinite(sum) && energyKcal === null) {
        energyKcal = toKcal(sum, unit);
      }
    };

    for (const child of node.children) {
      switch (child.name) {
        case 'MetadataEntry':
          break;
        case 'WorkoutStatistics':
          statsFrom(child, statistics);
          break;
        case 'WorkoutEvent':
          events.push(child.attrs);
          break;
        case 'WorkoutActivity': {
          const stats: Record<string, string>[] = [];
          for (const g of child.children)
            if (g.name === 'WorkoutStatistics') {
              stats.push(g.attrs);
              distanceOf(g, activityLegs);
            }
          activities.push({
            ...child.attrs,
            metadata: this.metaOf(child),
            statistics: stats.length ? stats : undefined,
            events: child.children.filter((g) => g.name === 'WorkoutEvent').map((g) => g.attrs),
          });
          break;
        }
        case 'WorkoutRoute':
          routeMeta.push({ ...child.attrs, ...(this.metaOf(child) ?? {}) });
          for (const g of child.children) {
            if (g.name === 'FileReference' && g.attrs.path) routeFiles.add(g.attrs.path.replace(/^\/+/, ''));
            else if (g.name === 'Location') {
              const t = parseAppleDateString(g.attrs.date ?? '');
              const la = num(g.attrs.latitude);
              const lo = num(g.attrs.longitude);
              if (!Number.isFinite(la) || !Number.isFinite(lo) || !Number.isFinite(t)) {
                this.reject('route location without a date or coordinates');
                continue;
              }
              time.push(t);
              lat.push(la);
              lon.push(lo);
              ele.push(num(g.attrs.altitude));
              speed.push(num(g.attrs.speed));
            }
          }
          break;
        default:
          other.push(child);
      }
    }
    // The workout's own statistics are its totals per kind of distance; kinds only its
    // activities have (iOS 16 multisport legs) add theirs; without either, the totalDistance
    // attribute (which a multisport workout fills with one leg only).
    const distanceLegs = [...legs, ...activityLegs.filter((l) => !legs.some((t) => t.type === l.type))];
    const distanceKm = distanceLegs.length ? distanceLegs.reduce((sum, l) => sum + l.km, 0) : totalDistanceKm;
    const details = {
      sourceName: a.sourceName,
      sourceVersion: a.sourceVersion,
      creationDate: a.creationDate,
      metadata: meta,
      statistics: statistics.length ? statistics : undefined,
      events: events.length ? events : undefined,
      activities: activities.length ? activities : undefined,
      routes: routeMeta.length ? routeMeta : undefined,
      routeFiles: routeFiles.size ? [...routeFiles] : undefined,
      distances: distanceLegs.length > 1 ? distanceLegs : undefined,
      other: other.length ? other : undefined,
      attributes: Object.fromEntries(Object.entries(a).filter(([k]) => !['startDate', 'endDate', 'sourceName', 'sourceVersion', 'creationDate', 'device'].includes(k))),
    };
    const points: RoutePoints | null = time.length
      ? { time: Float64Array.from(time), lat: Float64Array.from(lat), lon: Float64Array.from(lon), ele: Float64Array.from(ele), speed: Float64Array.from(speed) }
      : null;
    const originLocal = this.originFromAttrs(a);
    const row: WorkoutRow = {
      originLocal,
      deviceLocal: this.deviceFromAttrs(a),
      activityType,
      startMs: start,
      endMs: end,
      zone,
      durationS,
      distanceKm,
      energyKcal,
      avgHeartRate,
      maxHeartRate,
      detailsJson: JSON.stringify(details),
      points,
    };
    this.workouts.push(row);
    for (const path of routeFiles) this.routeRefs.push({ path, workout: { originLocal, activityType, startMs: start, endMs: end } });
  }
}
