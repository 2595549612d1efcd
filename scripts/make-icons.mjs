// Makes every icon the installers need from the one drawing, resources/icon.svg:
//   resources/icons/png/<N>x<N>.png  Linux (hicolor sizes) and the window icon
//   resources/icons/icon.ico         Windows (16–256, PNG-compressed entries)
//   resources/icons/icon.icns        macOS (16–1024, including the @2x variants)
// Run `npm run icons` after changing the SVG, and commit the results (scripts/icons.test.ts
// checks that every file is there, at every size, and well formed).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SVG = path.join(root, 'resources', 'icon.svg');
export const OUT = path.join(root, 'resources', 'icons');
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS element types holding PNG data, with their pixel size (Apple's icns format). */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

export function renderPng(svg, size) {
  return Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render().asPng());
}

/** ICO with PNG entries (Windows Vista and later read them at every size). */
export function buildIco(pngs) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  const dir = Buffer.alloc(16 * pngs.length);
  let offset = 6 + dir.length;
  pngs.forEach(({ size, data }, i) => {
    const e = i * 16;
    dir.writeUInt8(size >= 256 ? 0 : size, e);
    dir.writeUInt8(size >= 256 ? 0 : size, e + 1);
    dir.writeUInt8(0, e + 2);
    dir.writeUInt8(0, e + 3);
    dir.writeUInt16LE(1, e + 4);
    dir.writeUInt16LE(32, e + 6);
    dir.writeUInt32LE(data.length, e + 8);
    dir.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, dir, ...pngs.map((p) => p.data)]);
}

/** ICNS: 'icns' + total length, then per element a 4-byte type, its length (with header) and PNG data. */
export function buildIcns(elements) {
  const parts = elements.map(({ type, data }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

/** Every icon file, as { relative path: bytes }. */
export function makeIcons(svg = fs.readFileSync(SVG)) {
  const png = new Map(PNG_SIZES.map((s) => [s, renderPng(svg, s)]));
  const files = {};
  for (const [size, data] of png) files[`png/${size}x${size}.png`] = data;
  files['icon.ico'] = buildIco(ICO_SIZES.map((size) => ({ size, data: png.get(size) })));
  files['icon.icns'] = buildIcns(ICNS_TYPES.map(([type, size]) => ({ type, data: png.get(size) })));
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const files = makeIcons();
  for (const [rel, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(OUT, rel)), { recursive: true });
    fs.writeFileSync(path.join(OUT, rel), data);
  }
  console.log(`wrote ${Object.keys(files).length} icon files to ${path.relative(root, OUT)}`);
}
