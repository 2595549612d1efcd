// Apple's `device` attribute: `<<HKDevice: 0x282a45810>, name:Apple Watch, manufacturer:Apple
// Inc., model:Watch, hardware:Watch2,4, software:4.3.1>`. The pointer changes per record, so
// the string is never a key: its fields are.

export interface DeviceFields {
  name: string;
  manufacturer: string;
  model: string;
  hardware: string;
  software: string;
}

const KEYS = ['name', 'manufacturer', 'model', 'hardware', 'software', 'localIdentifier', 'UDIDeviceIdentifier', 'firmware', 'FDAUDI'];
const FIELD = new RegExp(`(?:^|, )(${KEYS.join('|')}):(.*?)(?=, (?:${KEYS.join('|')}):|$)`, 'g');

/** Parses a decoded device string; anything that is not Apple's form becomes its name. */
export function parseDevice(text: string): DeviceFields {
  const out: DeviceFields = { name: '', manufacturer: '', model: '', hardware: '', software: '' };
  let body = text.trim();
  const m = /^<<HKDevice: [^>]*>,?\s*(.*)>$/s.exec(body);
  if (!m) {
    body = body.replace(/^<|>$/g, '').trim();
    out.name = body.slice(0, 200);
    return out;
  }
  body = m[1];
  for (const f of body.matchAll(FIELD)) {
    const key = f[1] as keyof DeviceFields;
    if (key in out) out[key] = f[2].trim().slice(0, 200);
  }
  return out;
}

/**
 * What a text names, most specific first: a blood-pressure cuff or a scale before the brand's
 * watches (a Garmin Index scale, a Withings BPM), words matched whole (a "ring" is not
 * "rings" nor "Monitoring"). The kinds are the ones the priority module orders.
 */
const KIND_RULES: readonly (readonly [RegExp, string])[] = [
  [/\bomron\b|\bbpm\b|\bblood ?pressure\b|\bqardio ?arm\b/, 'cuff'],
  [/\bsleep ?analy[sz]er\b|\bsleep ?mat\b/, 'sleep_mat'],
  [/\bscales?\b|\bwbs\d*\b|\bbody ?(?:\+|cardio\b|comp\b|scan\b)|\bindex s\d\b|\brenpho\b|\beufy\b/, 'scale'],
  [/\boura\b|\bring\b/, 'ring'],
  [/\bwhoop\b/, 'band'],
  [
    /watch|\bwear ?os\b|\bgarmin\b|\bforerunner\b|\bf[eē]nix\b|\bvenu\b|\bv[ií]vo ?(?:active|smart|move|sport|fit)\b|\binstinct\b|\bepix\b|\benduro\b|\bdescent\b|\bmarq\b|\bquatix\b|\btactix\b|\bpolar\b|\bsuunto\b|\bcoros\b|\bfitbit\b|\bamazfit\b|\bzepp\b/,
    'watch',
  ],
  [/\bband\b/, 'band'],
  [/\biphone|\bphone\b/, 'phone'],
];

/** Words that point to a kind only when nothing more specific is known (Withings also makes watches and cuffs). */
const WEAK_RULES: readonly (readonly [RegExp, string])[] = [[/\bwithings\b/, 'scale']];

function kindOf(text: string, rules: readonly (readonly [RegExp, string])[]): string | null {
  const t = text.toLowerCase();
  for (const [re, kind] of rules) if (re.test(t)) return kind;
  return null;
}

/** The device fields that say what a device is (not its software version). */
function deviceText(fields: DeviceFields | null): string {
  return fields ? `${fields.name} ${fields.manufacturer} ${fields.model} ${fields.hardware}` : '';
}

/**
 * The device kind VitalSync shows and ranks an origin by. An Apple Health origin is a source
 * name ("Jane’s Apple Watch", "Connect"): what that name says decides; when it says nothing
 * (Garmin's "Connect", "Health Mate", "Unknown source"), the device fields of its first record
 * do (name, manufacturer, model, hardware); a bare "Withings" means a scale only when neither
 * says more. A device none of that classifies is `unknown`; no device at all, an `app`.
 */
export function deviceKind(fields: DeviceFields | null, sourceName: string): string {
  const device = deviceText(fields);
  return (
    kindOf(sourceName, KIND_RULES) ??
    kindOf(device, KIND_RULES) ??
    kindOf(`${sourceName} ${device}`, WEAK_RULES) ??
    (device.trim() ? 'unknown' : 'app')
  );
}

/** Whether an origin's name alone decides its kind (else its first record's device is needed). */
export function nameDecidesKind(sourceName: string): boolean {
  return kindOf(sourceName, KIND_RULES) !== null;
}
