import { entropyToMnemonic, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CHUNK_BYTES,
  contentName,
  createVault,
  keyFromBase64,
  keyToBase64,
  openFile,
  parseHeader,
  sealFile,
  unlockWithPassphrase,
  unlockWithRecoveryPhrase,
  VaultCryptoError,
  type VaultErrorCode,
  type VaultHeader,
} from './crypto';

const PASSPHRASE = 'correct horse battery staple';
const CONTEXT = 'segment 3f2a9c0d41e8b7a6';
const PREFIX = 4 + 24; // magic + secretstream header
const ABYTES = 17;

/** Deterministic, non-repeating test bytes. */
function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Byte equality (toEqual walks a 300 KiB array element by element: seconds). */
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

async function codeOf(p: Promise<unknown>): Promise<VaultErrorCode | 'opened'> {
  try {
    await p;
    return 'opened';
  } catch (e) {
    if (e instanceof VaultCryptoError) return e.code;
    throw e;
  }
}

/** [start, end) of each chunk record (length prefix + ciphertext) of a sealed file. */
function records(sealed: Uint8Array): Array<[number, number]> {
  const view = new DataView(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const out: Array<[number, number]> = [];
  for (let at = PREFIX; at < sealed.length; ) {
    const len = view.getUint32(at, false);
    out.push([at, at + 4 + len]);
    at += 4 + len;
  }
  return out;
}

const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
let vault: Awaited<ReturnType<typeof createVault>>;
let other: Awaited<ReturnType<typeof createVault>>;

beforeAll(async () => {
  vault = await createVault(PASSPHRASE, 'interactive');
  other = await createVault('another vault, another passphrase', 'interactive');
});

afterAll(() => {
  // Nothing in this module logs: not the key, not anything.
  for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
});

describe('createVault / unlock', () => {
  it('makes a header that survives JSON and opens with the passphrase', async () => {
    const { header, key, recoveryPhrase } = vault;
    expect(key).toHaveLength(32);
    expect(header.format).toBe('vitalsync-vault');
    expect(header.version).toBe(1);
    expect(header.vaultId).toMatch(/^[0-9a-f]{32}$/);
    expect(header.kdf.alg).toBe('argon2id13');
    expect(recoveryPhrase.split(' ')).toHaveLength(24);
    expect(JSON.stringify(header)).not.toContain(keyToBase64(key));
    const parsed = parseHeader(JSON.stringify(header));
    expect(parsed).toEqual(header);
    expect(await unlockWithPassphrase(parsed, PASSPHRASE)).toEqual(key);
  });

  it('rejects a wrong passphrase, without echoing it', async () => {
    const err = await unlockWithPassphrase(vault.header, 'correct horse battery stapler').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultCryptoError);
    expect((err as VaultCryptoError).code).toBe('wrong-passphrase');
    expect((err as VaultCryptoError).message).not.toContain('stapler');
    expect(await codeOf(unlockWithPassphrase(vault.header, ''))).toBe('wrong-passphrase');
  });

  it('treats the passphrase as Unicode NFC (composed and decomposed accents are one passphrase)', async () => {
    const v = await createVault('caf\u00e9 au lait', 'interactive');
    expect(await unlockWithPassphrase(v.header, 'cafe\u0301 au lait')).toEqual(v.key);
  });

  it('says tampered when the header key check was edited', async () => {
    const edited: VaultHeader = { ...vault.header, keyCheck: other.header.keyCheck };
    expect(await codeOf(unlockWithPassphrase(edited, PASSPHRASE))).toBe('tampered');
  });

  it('opens with the 24-word recovery phrase, however it is spaced or cased', async () => {
    expect(vault.recoveryPhrase).toBe(entropyToMnemonic(vault.key, wordlist));
    expect(await unlockWithRecoveryPhrase(vault.header, vault.recoveryPhrase)).toEqual(vault.key);
    const messy = `  ${vault.recoveryPhrase.toUpperCase().split(' ').join('   \n\t')}  `;
    expect(await unlockWithRecoveryPhrase(vault.header, messy)).toEqual(vault.key);
  });

  it('says wrong-recovery-phrase for a valid phrase of another vault', async () => {
    expect(await codeOf(unlockWithRecoveryPhrase(vault.header, other.recoveryPhrase))).toBe('wrong-recovery-phrase');
  });

  it('says not-a-recovery-phrase for garbage, wrong word counts, unknown words and bad checksums', async () => {
    const words = vault.recoveryPhrase.split(' ');
    const unknown = [...words];
    unknown[4] = 'notaword';
    // A last word that breaks the checksum (found, not guessed, so the test is deterministic).
    const badChecksum = wordlist.map((w) => [...words.slice(0, 23), w].join(' ')).find((p) => !validateMnemonic(p, wordlist));
    expect(badChecksum).toBeDefined();
    const twelve = entropyToMnemonic(vault.key.subarray(0, 16), wordlist); // valid BIP39, but not a vault key
    for (const phrase of ['', 'hello world', PASSPHRASE, words.slice(0, 23).join(' '), [...words, 'abandon'].join(' '), unknown.join(' '), badChecksum!, twelve]) {
      const err = await unlockWithRecoveryPhrase(vault.header, phrase).catch((e: unknown) => e);
      expect((err as VaultCryptoError).code, phrase).toBe('not-a-recovery-phrase');
      expect((err as VaultCryptoError).message).not.toContain('notaword');
    }
  });
});

describe('parseHeader', () => {
  const good = () => JSON.parse(JSON.stringify(vault.header)) as Record<string, unknown>;
  const parse = (v: unknown) => {
    try {
      parseHeader(typeof v === 'string' ? v : JSON.stringify(v));
      return 'parsed';
    } catch (e) {
      return (e as VaultCryptoError).code;
    }
  };

  it('rejects anything malformed as not-a-vault', () => {
    const cases: unknown[] = [
      '',
      'not json',
      '{"format":',
      'null',
      '[]',
      '42',
      {},
      { ...good(), format: 'something-else' },
      { ...good(), version: 0 },
      { ...good(), version: '1' },
      { ...good(), version: 1.5 },
      { ...good(), vaultId: 'XYZ' },
      { ...good(), createdAt: 'yesterday' },
      { ...good(), kdf: undefined },
      { ...good(), kdf: { ...(good().kdf as object), alg: 'scrypt' } },
      { ...good(), kdf: { ...(good().kdf as object), salt: 'not base64!' } },
      { ...good(), kdf: { ...(good().kdf as object), salt: 'AAAA' } },
      { ...good(), kdf: { ...(good().kdf as object), memlimit: 64 * 1024 ** 3 } },
      { ...good(), kdf: { ...(good().kdf as object), opslimit: 0 } },
      { ...good(), wrappedKey: { nonce: 'AAAA', box: 'AAAA' } },
      { ...good(), wrappedKey: null },
      { ...good(), keyCheck: undefined },
    ];
    for (const c of cases) expect(parse(c), JSON.stringify(c)).toBe('not-a-vault');
  });

  it('says newer-format for a version above 1, whatever else it holds', () => {
    expect(parse({ format: 'vitalsync-vault', version: 2 })).toBe('newer-format');
    expect(parse({ ...good(), version: 7 })).toBe('newer-format');
  });

  it('accepts a good header and drops unknown fields', () => {
    const h = parseHeader(JSON.stringify({ ...good(), note: 'extra' }));
    expect(h).toEqual(vault.header);
    expect('note' in h).toBe(false);
  });
});

describe('sealFile / openFile', () => {
  const key = () => vault.key;

  it.each([
    ['empty', 0],
    ['1 byte', 1],
    ['exactly 64 KiB', CHUNK_BYTES],
    ['64 KiB + 1', CHUNK_BYTES + 1],
    ['200 KiB + 1', 200 * 1024 + 1],
  ])('round-trips %s', async (_name, n) => {
    const plain = bytes(n, n + 7);
    const sealed = await sealFile(key(), plain, CONTEXT);
    const chunks = Math.max(1, Math.ceil(n / CHUNK_BYTES));
    expect(sealed.length).toBe(PREFIX + chunks * (4 + ABYTES) + n);
    expect(Buffer.from(sealed.subarray(0, 4)).toString('ascii')).toBe('VSV1');
    expect(records(sealed)).toHaveLength(chunks);
    expect(same(await openFile(key(), sealed, CONTEXT), plain)).toBe(true);
  });

  it('opens a sealed file that sits inside a larger buffer (byteOffset)', async () => {
    const sealed = await sealFile(key(), bytes(1000), CONTEXT);
    const big = new Uint8Array(sealed.length + 10);
    big.set(sealed, 5);
    expect(await openFile(key(), big.subarray(5, 5 + sealed.length), CONTEXT)).toEqual(bytes(1000));
  });

  it('seals the same plaintext differently each time (fresh stream header)', async () => {
    const plain = bytes(100);
    const a = await sealFile(key(), plain, CONTEXT);
    const b = await sealFile(key(), plain, CONTEXT);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(Buffer.from(a.subarray(4, PREFIX)).equals(Buffer.from(b.subarray(4, PREFIX)))).toBe(false);
  });

  it('says incomplete for every cut at a chunk boundary and mid-chunk', async () => {
    const sealed = await sealFile(key(), bytes(200 * 1024 + 1), CONTEXT);
    const recs = records(sealed);
    expect(recs).toHaveLength(4);
    const cuts = new Set<number>([0, 1, 3, 4, 5, 27, PREFIX, PREFIX + 1, PREFIX + 3, sealed.length - 1]);
    for (const [start, end] of recs) {
      for (const c of [start, start + 2, start + 4, start + 5, Math.floor((start + end) / 2), end - 1, end]) cuts.add(c);
    }
    cuts.delete(sealed.length); // the whole file
    // Right after a non-final chunk: every record boundary but the last is one.
    for (const [, end] of recs.slice(0, -1)) expect(cuts.has(end)).toBe(true);
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      expect(await codeOf(openFile(key(), sealed.subarray(0, cut), CONTEXT)), `cut at ${cut}`).toBe('incomplete');
    }
  });

  it('says incomplete for a 1-chunk file cut short, and tampered for a bad magic', async () => {
    const sealed = await sealFile(key(), new Uint8Array(0), CONTEXT);
    expect(await codeOf(openFile(key(), sealed.subarray(0, sealed.length - 1), CONTEXT))).toBe('incomplete');
    expect(await codeOf(openFile(key(), new TextEncoder().encode('VSV2'), CONTEXT))).toBe('tampered');
    expect(await codeOf(openFile(key(), new TextEncoder().encode('PK\x03\x04 something else entirely, long enough'), CONTEXT))).toBe('tampered');
  });

  it('never opens a file with one byte flipped (header, length prefixes, chunk bodies, tags)', async () => {
    const sealed = await sealFile(key(), bytes(150 * 1024), CONTEXT);
    const positions = new Set<number>([0, 1, 2, 3, 4, 15, 27]);
    for (const [start, end] of records(sealed)) {
      for (const p of [start, start + 1, start + 2, start + 3, start + 4, start + 5, Math.floor((start + end) / 2), end - 17, end - 1]) positions.add(p);
    }
    for (const pos of positions) {
      for (const mask of [0x01, 0x80]) {
        const bad = sealed.slice();
        bad[pos] ^= mask;
        const code = await codeOf(openFile(key(), bad, CONTEXT));
        expect(['tampered', 'incomplete'], `flip ${mask} at ${pos}`).toContain(code);
      }
    }
  });

  it('says tampered when two chunks are swapped', async () => {
    const sealed = await sealFile(key(), bytes(3 * CHUNK_BYTES + 10), CONTEXT);
    const [r0, r1, r2, r3] = records(sealed);
    const swapped = new Uint8Array(sealed.length);
    swapped.set(sealed.subarray(0, r0[0]), 0);
    let at = r0[0];
    for (const [s, e] of [r0, r2, r1, r3]) {
      swapped.set(sealed.subarray(s, e), at);
      at += e - s;
    }
    expect(await codeOf(openFile(key(), swapped, CONTEXT))).toBe('tampered');
  });

  it('says tampered for another context, another key, or data after the final chunk', async () => {
    const sealed = await sealFile(key(), bytes(70_000), CONTEXT);
    expect(await codeOf(openFile(key(), sealed, 'segment 0000000000000000'))).toBe('tampered');
    expect(await codeOf(openFile(key(), sealed, 'manifest 3f2a9c0d41e8b7a6'))).toBe('tampered');
    expect(await codeOf(openFile(other.key, sealed, CONTEXT))).toBe('tampered');
    for (const extra of [new Uint8Array(1), new Uint8Array(4), sealed.subarray(PREFIX)]) {
      const appended = new Uint8Array(sealed.length + extra.length);
      appended.set(sealed, 0);
      appended.set(extra, sealed.length);
      expect(await codeOf(openFile(key(), appended, CONTEXT))).toBe('tampered');
    }
  });

  it('gives messages a person can act on, without contents', async () => {
    const secret = new TextEncoder().encode('heart rate 61 bpm');
    const sealed = await sealFile(key(), secret, CONTEXT);
    const cut = await openFile(key(), sealed.subarray(0, 30), CONTEXT).catch((e: Error) => e.message);
    expect(cut).toMatch(/not complete yet.*try again/);
    const bad = await openFile(other.key, sealed, CONTEXT).catch((e: Error) => e.message);
    expect(bad).not.toContain('heart');
    expect(bad).not.toContain(keyToBase64(other.key));
  });

  it('property: any plaintext round-trips, and no single-byte flip ever opens', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 * 1024, size: 'max' }), fc.nat(), fc.integer({ min: 1, max: 255 }), async (plain, where, mask) => {
        const sealed = await sealFile(key(), plain, CONTEXT);
        expect(same(await openFile(key(), sealed, CONTEXT), plain)).toBe(true);
        const bad = sealed.slice();
        bad[where % bad.length] ^= mask;
        expect(['tampered', 'incomplete']).toContain(await codeOf(openFile(key(), bad, CONTEXT)));
      }),
      { numRuns: 25 },
    );
  });
});

describe('contentName and key encoding', () => {
  it('is a stable 64-char lowercase hex name', async () => {
    const a = await contentName(bytes(1000));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await contentName(bytes(1000))).toBe(a);
    expect(await contentName(bytes(1001))).not.toBe(a);
    // BLAKE2b-256 of the empty input (RFC 7693 parameters, no key).
    expect(await contentName(new Uint8Array(0))).toBe('0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8');
  });

  it('round-trips the key through base64 and rejects anything else', () => {
    expect(keyFromBase64(keyToBase64(vault.key))).toEqual(vault.key);
    expect(() => keyFromBase64('AAAA')).toThrow(TypeError);
    expect(() => keyFromBase64('not base64 at all, really not')).toThrow(TypeError);
    expect(() => keyToBase64(new Uint8Array(16))).toThrow(TypeError);
  });
});
