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

/** The device kind VitalSync shows for an origin, guessed from the device's model and name. */
export function deviceKind(fields: DeviceFields | null, sourceName: string): string {
  const text = `${fields?.model ?? ''} ${fields?.name ?? ''} ${fields?.hardware ?? ''} ${sourceName}`.toLowerCase();
  if (/watch/.test(text)) return 'watch';
  if (/iphone|phone/.test(text)) return 'phone';
  if (/ring|oura/.test(text)) return 'ring';
  if (/scale|withings|body\+|renpho/.test(text)) return 'scale';
  return fields ? 'unknown' : 'app';
}
