// A first import killed mid-way (no home zone set yet) keeps what the export said about its
// owner's zone with each batch, so the resumed run, which skips what was stored, still assumes
// the zone the whole export points to.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BatchMsg } from '../protocol';
import type { HomeZoneEvidence } from '../../time/inferHomeZone';
import { AppleHealthParser } from './parser';
import { fx } from '../test/importCores';

/** Parses `text` as the import's parser thread does; the evidence of the last batch and the zone assumed. */
function parse(text: string, resumeOffset = 0, evidence: HomeZoneEvidence | null = null) {
  let last: BatchMsg['evidence'] = null;
  const parser = new AppleHealthParser({
    homeZone: null,
    resumeOffset,
    evidence,
    batchSize: 1,
    maxElementBytes: 1 << 20,
    onBatch: (b) => (last = b.evidence ?? last),
    onMeta: () => undefined,
  });
  parser.push(Buffer.from(text));
  parser.finish();
  return { evidence: last as HomeZoneEvidence | null, zone: parser.inferredHomeZone()?.zone ?? null };
}

describe('home-zone evidence across a resumed import', () => {
  // A Phoenix export (en_US, -07:00 all year): winter dates, then spring ones. The spring
  // dates alone fit Los Angeles (-07:00 in summer), the first choice among US zones; only the
  // winter ones, which the interrupted run stored, rule it out.
  const text = fs.readFileSync(fx('export-phoenix-winter-then-spring.xml'), 'utf8');
  const cut = text.indexOf('2024-04-10 20:31') - ' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Sam’s iPhone" sourceVersion="17.4" unit="count" creationDate="'.length;

  it('each batch carries the evidence so far, and a resumed run starts from it', () => {
    expect(text.slice(cut, cut + 8)).toBe(' <Record');
    const whole = parse(text);
    expect(whole.zone).toBe('America/Phoenix');
    // The interrupted run stored the winter records: the evidence its batches kept.
    const prefix = parse(text.slice(0, cut) + '</HealthData>\n');
    expect(prefix.evidence?.offsets.every((o) => o.offsetMin === -420)).toBe(true);
    // Resumed without that evidence, only the spring records speak, and they fit Los Angeles.
    expect(parse(text, cut, null).zone).toBe('America/Los_Angeles');
    // Resumed with it, the same zone as an uninterrupted run.
    expect(parse(text, cut, prefix.evidence).zone).toBe('America/Phoenix');
  });
});
