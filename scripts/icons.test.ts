import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ICNS_TYPES, ICO_SIZES, OUT, PNG_SIZES, renderPng } from './make-icons.mjs';

/** Width and height from a PNG's IHDR. */
function pngSize(data: Buffer): [number, number] {
  expect(data.subarray(1, 4).toString('ascii')).toBe('PNG');
  return [data.readUInt32BE(16), data.readUInt32BE(20)];
}

describe('the icons made from resources/icon.svg', () => {
  it('Linux: one PNG per size', () => {
    for (const size of PNG_SIZES) expect(pngSize(fs.readFileSync(path.join(OUT, 'png', `${size}x${size}.png`)))).toEqual([size, size]);
  });

  it('Windows: an .ico with every size up to 256', () => {
    const ico = fs.readFileSync(path.join(OUT, 'icon.ico'));
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => {
      const e = 6 + i * 16;
      const data = ico.subarray(ico.readUInt32LE(e + 12), ico.readUInt32LE(e + 12) + ico.readUInt32LE(e + 8));
      const [w] = pngSize(data);
      expect(ico.readUInt8(e) || 256).toBe(w);
      return w;
    });
    expect(sizes).toEqual(ICO_SIZES);
  });

  it('macOS: an .icns with every size from 16 to 1024, @2x included', () => {
    const icns = fs.readFileSync(path.join(OUT, 'icon.icns'));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: [string, number][] = [];
    for (let at = 8; at < icns.length; ) {
      const len = icns.readUInt32BE(at + 4);
      found.push([icns.subarray(at, at + 4).toString('ascii'), pngSize(icns.subarray(at + 8, at + len))[0]]);
      at += len;
    }
    expect(found).toEqual(ICNS_TYPES);
  });

  it('the script draws the SVG at the size asked for', () => {
    expect(pngSize(renderPng(fs.readFileSync(path.join(OUT, '..', 'icon.svg')), 48))).toEqual([48, 48]);
  });
});
