// The block reader that serves yauzl's many small reads of a zip's table of contents.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/tempCore';
import { BlockReader } from './source';

const MiB = 1024 * 1024;
const dir = makeTempDir();
const file = path.join(dir, 'bytes.bin');
const bytes = crypto.randomBytes(3 * MiB + 12345);
fs.writeFileSync(file, bytes);
const fd = fs.openSync(file, 'r');
afterAll(() => {
  fs.closeSync(fd);
  fs.rmSync(dir, { recursive: true, force: true });
});

function read(reader: BlockReader, position: number, length: number): Promise<{ n: number; data: Buffer }> {
  const data = Buffer.alloc(length);
  return new Promise((resolve, reject) => reader.read(data, 0, length, position, (err, n) => (err ? reject(err) : resolve({ n: n ?? 0, data }))));
}

describe('BlockReader', () => {
  it('returns the bytes asked for, within a block, across blocks, backwards, larger than a block, and short at the end', async () => {
    const reader = new BlockReader(file, fd);
    const cases: [number, number][] = [
      [bytes.length - 22, 22], // the end-of-directory record first, as yauzl does
      [10, 46],
      [MiB - 20, 46], // straddles the first block's end
      [5, 3],
      [MiB + 17, 2 * MiB + 100], // longer than a block
      [3 * MiB, 12345],
    ];
    for (const [position, length] of cases) {
      const { n, data } = await read(reader, position, length);
      expect(n, `${position}+${length}`).toBe(length);
      expect(data.equals(bytes.subarray(position, position + length)), `${position}+${length}`).toBe(true);
    }
    const tail = await read(reader, bytes.length - 10, 50);
    expect(tail.n).toBe(10);
    expect(tail.data.subarray(0, 10).equals(bytes.subarray(bytes.length - 10))).toBe(true);
  });

  it('answers asynchronously, so that a loop over thousands of entries does not grow the stack', async () => {
    const reader = new BlockReader(file, fd);
    let answered = false;
    const done = new Promise<void>((resolve) =>
      reader.read(Buffer.alloc(4), 0, 4, 0, () => {
        answered = true;
        resolve();
      }),
    );
    expect(answered).toBe(false);
    await done;
    expect(answered).toBe(true);
  });
});
