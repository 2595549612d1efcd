// FHIR R4 resources for an export: one Device per origin, and Observations that point to it.
//
// Provenance: each Observation names the device or app that measured it (`device`, a reference
// to the bundle's Device entry for that origin, with the origin's name as display) and the
// source it came through (`meta.source`, `urn:vitalsync:source:<source id>`). A merged day made
// by several origins names the one that supplied most of it, and lists every origin's share in
// `note`. Provenance resources were considered and left out: they would double the bundle, and
// personal health records read `device` and `meta.source`, not Provenance.
import crypto from 'node:crypto';
import { getMetric, type MetricId } from '../../../shared/catalog';
import type { SeriesBucket } from '../../../shared/contract';
import { BP_DIASTOLIC, BP_PANEL, BP_SYSTOLIC, BP_UCUM, CATEGORY_SYSTEM, FHIR_METRICS, UCUM_SYSTEM, type Coding } from './loinc';
import { isoWithOffset } from './out';
import type { RawRow } from './raw';

const CATEGORY_DISPLAY = { 'vital-signs': 'Vital Signs', activity: 'Activity', laboratory: 'Laboratory' } as const;

export interface BundleEntry {
  fullUrl: string;
  resource: Record<string, unknown>;
}

export const newUrn = () => `urn:uuid:${crypto.randomUUID()}`;

/** The Device entry for an origin (a watch, a scale, an app inside a source). */
export function deviceEntry(source: string, origin: string, deviceKind: string): BundleEntry {
  return {
    fullUrl: newUrn(),
    resource: {
      resourceType: 'Device',
      identifier: [{ system: 'urn:vitalsync:origin', value: `${source}:${origin}` }],
      deviceName: [{ name: origin, type: 'user-friendly-name' }],
      type: { text: deviceKind },
      note: [{ text: `Recorded through ${source}` }],
    },
  };
}

export interface DeviceRef {
  reference: string;
  display: string;
  source: string;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
const quantity = (value: number, ucum: string, unit: string) => ({ value: round(value), unit, system: UCUM_SYSTEM, code: ucum });
const category = (c: keyof typeof CATEGORY_DISPLAY) => [{ coding: [{ system: CATEGORY_SYSTEM, code: c, display: CATEGORY_DISPLAY[c] }] }];
const code = (codes: Coding[], text: string) => ({ coding: codes, text });

/** When a raw sample happened: its date for a day's total, an instant for a reading, else a period. */
function effective(row: RawRow, dayText: (day: number) => string): Record<string, unknown> {
  if (row.day !== null) return { effectiveDateTime: dayText(row.day) };
  if (row.startMs === row.endMs) return { effectiveDateTime: isoWithOffset(row.startMs, row.offsetMin) };
  return { effectivePeriod: { start: isoWithOffset(row.startMs, row.offsetMin), end: isoWithOffset(row.endMs, row.offsetMin) } };
}

function observation(base: { codes: Coding[]; text: string; category: keyof typeof CATEGORY_DISPLAY }, device: DeviceRef, when: Record<string, unknown>, rest: Record<string, unknown>) {
  return {
    resourceType: 'Observation',
    meta: { source: `urn:vitalsync:source:${device.source}` },
    status: 'final',
    category: category(base.category),
    code: code(base.codes, base.text),
    ...when,
    ...rest,
    device: { reference: device.reference, display: device.display },
  };
}

/** One raw sample as an Observation; null when its metric has no code (or is merged-only). */
export function rawObservation(row: RawRow, device: DeviceRef, dayText: (day: number) => string): Record<string, unknown> | null {
  const m = FHIR_METRICS[row.metric as MetricId];
  if (!m || m.mergedOnly) return null;
  const label = getMetric(row.metric)?.label ?? row.metric;
  return observation({ codes: m.codes, text: label, category: m.category }, device, effective(row, dayText), { valueQuantity: quantity(row.value * m.factor, m.ucum, m.unit) });
}

/** A blood-pressure reading: one 85354-9 panel with its systolic and diastolic components (either may be missing). */
export function bpObservation(systolic: number | null, diastolic: number | null, device: DeviceRef, when: Record<string, unknown>, note?: string): Record<string, unknown> {
  const component = [
    ...(systolic !== null ? [{ code: code([BP_SYSTOLIC], 'Systolic'), valueQuantity: quantity(systolic, BP_UCUM, 'mmHg') }] : []),
    ...(diastolic !== null ? [{ code: code([BP_DIASTOLIC], 'Diastolic'), valueQuantity: quantity(diastolic, BP_UCUM, 'mmHg') }] : []),
  ];
  return observation({ codes: [BP_PANEL], text: 'Blood pressure', category: 'vital-signs' }, device, when, { component, ...(note ? { note: [{ text: note }] } : {}) });
}

export const rawEffective = effective;

/** Who supplied a merged day, in words: "Jane’s Apple Watch (apple_health) 70%, iPhone (apple_health) 30%". */
export function sharesNote(b: SeriesBucket): string {
  return `Merged by VitalSync from: ${b.sources.map((s) => `${s.origin} (${s.source}) ${Math.round(s.share * 1000) / 10}%`).join(', ')}`;
}

/** One merged day as an Observation (its date as effectiveDateTime: the local day it was recorded). */
export function mergedObservation(metric: string, b: SeriesBucket, device: DeviceRef): Record<string, unknown> | null {
  const m = FHIR_METRICS[metric as MetricId];
  if (!m) return null;
  const label = getMetric(metric)?.label ?? metric;
  return observation({ codes: m.dailyCodes ?? m.codes, text: `${label} (day)`, category: m.category }, device, { effectiveDateTime: b.start }, {
    valueQuantity: quantity(b.value * m.factor, m.dailyUcum ?? m.ucum, m.dailyUnit ?? m.unit),
    note: [{ text: sharesNote(b) }],
  });
}
