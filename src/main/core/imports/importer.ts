// What an importer is (DESIGN.md "Imports"): a reader of one kind of export file. The worker,
// the job history, progress, cancel, resume and idempotency are shared (imports/index.ts,
// threads.ts, records.ts); an importer only recognises its files by their content, reads them,
// and hands records to the sink. Adding one = a folder under imports/ and a line in registry.ts.
import type { Readable } from 'node:stream';
import type { CsvMapping, ImporterId } from '../../../shared/contract';
import type { SourceId } from '../../../shared/catalog';
import type { SampleRecord, WorkoutRecord } from '../samples';

/** One file of what the person gave: the file itself, a file in a folder, or an entry in a zip. */
export interface InputEntry {
  /** '/'-separated path inside the input ('Takeout/Fitbit/…/steps-2020-01-01.json'); the file's own name for a single file. */
  path: string;
  /** Size in bytes once inflated (what the archive declares, for a zip entry). */
  size: number;
  /** The first `bytes` bytes (inflated); fewer for a short file. */
  head(bytes?: number): Promise<Buffer>;
  /** The whole content (inflated). Bytes read through it count towards the job's progress. */
  stream(): Readable;
}

export interface ImportInput {
  kind: 'file' | 'folder' | 'zip';
  /** Base name of what the person gave. */
  name: string;
  /** Every file in it, sorted by path, without macOS and sync-engine litter. */
  entries: InputEntry[];
  /** Entries left out on the way (a zip entry whose name climbs out of the archive), with why. */
  skipped: Record<string, number>;
  /** Inflated bytes read so far through `stream()`. */
  readonly bytesRead: number;
  close(): void;
}

/** What an importer found in an input: the entries it will read, and what they are. */
export interface Recognition {
  importer: ImporterId;
  /** Entries this importer reads, each with what it is ('Nutrition-Summary', 'steps (per day)'). */
  entries: { path: string; kind: string }[];
  /** In words, for the person: "MyFitnessPal export: nutrition, exercise, weight". */
  description: string;
}

/** Choices that come with an import (the contract's ImportChoices, resolved). */
export interface ImportChoices {
  /** The zone local times without an offset are read in (IANA or `+05:30`): the home zone, unless the person chose another. */
  zone: string;
  /** True when `zone` is the person's home zone (a date's total then moves with the home zone). */
  zoneIsHome: boolean;
  /** The generic CSV importer's column mapping. */
  mapping: CsvMapping | null;
  /** Weight unit of an export that never says it (MyFitnessPal's Measurement-Summary). */
  weightUnit: 'kg' | 'lb' | null;
}

/** Where an importer puts what it read. Records are buffered and written in batches, in order. */
export interface RecordSink {
  readonly choices: ImportChoices;
  /**
   * A sample, through the one sample writer (core/samples): dedup, day grain, records by ref.
   * Give the samples of one record (one `ref`) one after another: they are then always written
   * together, as that record's whole new version.
   */
  sample(r: SampleRecord): void;
  workout(r: WorkoutRecord): void;
  /** One record of the file counted as read, by the importer's own type name (the job's per-type counts). */
  read(rawType: string, n?: number): void;
  /**
   * A row or record that could not be stored: counted by `reason` (a kind: 'Weight: not a number'),
   * and the first 200 kept with where they were and `detail` (what exactly was wrong).
   */
  reject(reason: string, at?: { entry?: string; row?: number; column?: string; detail?: string }): void;
  /** Something counted that is not an error ('meal rows summed into daily totals'). */
  note(what: string, n?: number): void;
  /** A sentence the person should read after the import. */
  warn(message: string): void;
  /** Waits while the writer is behind; call it every few hundred records. Resolves at once otherwise. */
  pace(): Promise<void>;
  /** True once the person cancelled: stop reading and return. */
  readonly cancelled: boolean;
}

export interface Importer {
  id: ImporterId;
  /** What the person sees ('MyFitnessPal'). */
  label: string;
  /** samples.source / origins.source of what it writes. */
  source: SourceId;
  /** Recognises the input by content (headers, JSON shape), never by file name alone; null when it is not this importer's. */
  sniff(input: ImportInput): Promise<Recognition | null>;
  /** Questions this input needs answered before it can be imported ('weightUnit' for a file that never says it). */
  needs?(input: ImportInput, recognition: Recognition): Promise<'weightUnit'[]>;
  /**
   * Reads the recognised entries into the sink. Throws ImportInputError for a file it cannot read
   * at all. Absent for Apple Health only: its parser has its own pipeline (threads.ts), which
   * streams columns instead of records and resumes from a byte offset in export.xml.
   */
  run?(input: ImportInput, recognition: Recognition, sink: RecordSink): Promise<void>;
}
