// The vault's cryptography: one random 32-byte vault key per vault, wrapped under a key derived
// from the person's passphrase (Argon2id), and shown once as a 24-word recovery phrase. Every file
// the vault holds is sealed with that key as a libsodium secretstream (XChaCha20-Poly1305), so a
// half-copied file is told apart from a tampered one, and a file moved to another device's folder
// or used as another kind of file fails to open (its `context` is bound to every chunk).
//
// Plain Node: no 'electron'. Nothing here logs, and no error message carries a key, a passphrase,
// a recovery phrase or file contents.
import sodium from 'libsodium-wrappers-sumo';
import { entropyToMnemonic, mnemonicToEntropy } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english';

export type VaultErrorCode =
  | 'wrong-passphrase'
  | 'wrong-recovery-phrase'
  | 'not-a-recovery-phrase'
  | 'incomplete'
  | 'tampered'
  | 'not-a-vault'
  | 'newer-format';

/**
 * Every failure of this module. `code` is for the caller's logic (e.g. 'incomplete': try again
 * later; 'tampered': set the file aside); `message` is for the person and never holds secrets.
 */
export class VaultCryptoError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VaultCryptoError';
  }
}

/** Argon2id parameters of the passphrase key, as stored in the header. */
export interface KdfParams {
  alg: 'argon2id13';
  /** base64 (standard, padded) of crypto_pwhash_SALTBYTES (16) random bytes. */
  salt: string;
  /** libsodium opslimit (passes). */
  opslimit: number;
  /** libsodium memlimit, in bytes. */
  memlimit: number;
}

/** moderate = libsodium OPSLIMIT/MEMLIMIT_MODERATE (default, ~0.8 s here); interactive = *_INTERACTIVE (tests). */
export type KdfStrength = 'moderate' | 'interactive';

/** The plaintext header at <vault>/vitalsync-vault.json, written once by init. It reveals nothing about health data. */
export interface VaultHeader {
  format: 'vitalsync-vault';
  version: 1;
  /** 16 random bytes, lowercase hex (32 chars). */
  vaultId: string;
  /** Epoch ms. */
  createdAt: number;
  kdf: KdfParams;
  /** secretbox (XSalsa20-Poly1305) of the 32-byte vault key under the Argon2id key; both base64. */
  wrappedKey: { nonce: string; box: string };
  /** base64 of crypto_generichash(32, 'vitalsync-vault key check', vaultKey): a keyed hash, not the key. */
  keyCheck: string;
}

export const HEADER_FILE = 'vitalsync-vault.json';
const FORMAT = 'vitalsync-vault';
const VERSION = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16; // crypto_pwhash_SALTBYTES
const SECRETBOX_NONCE_BYTES = 24; // crypto_secretbox_NONCEBYTES
const SECRETBOX_MAC_BYTES = 16; // crypto_secretbox_MACBYTES
const KEY_CHECK_MESSAGE = 'vitalsync-vault key check';
/**
 * Bounds a header's KDF parameters must lie in. A header is plaintext that anyone with write
 * access to the folder can edit: without an upper bound, a crafted memlimit would make unlocking
 * allocate gigabytes. 1..16 passes and 8 KiB (argon2id MEMLIMIT_MIN) .. 1 GiB (SENSITIVE).
 */
const OPSLIMIT_RANGE = [1, 16] as const;
const MEMLIMIT_RANGE = [8192, 1024 * 1024 * 1024] as const;

/** Sealed-file layout (see sealFile). */
const FILE_MAGIC = new Uint8Array([0x56, 0x53, 0x56, 0x31]); // ASCII "VSV1": format 1
const STREAM_HEADER_BYTES = 24; // crypto_secretstream_xchacha20poly1305_HEADERBYTES
const ABYTES = 17; // crypto_secretstream_xchacha20poly1305_ABYTES
const LENGTH_BYTES = 4;
/** Plaintext bytes per chunk (the last chunk may be shorter, down to 0). */
export const CHUNK_BYTES = 64 * 1024;
const TAG_MESSAGE = 0;
const TAG_FINAL = 3;

let ready: Promise<typeof sodium> | null = null;
/** libsodium, initialised once per process (its WebAssembly instantiates asynchronously). */
function lib(): Promise<typeof sodium> {
  ready ??= sodium.ready.then(() => sodium);
  return ready;
}

const INCOMPLETE_MESSAGE = 'This vault file is not complete yet (the sync engine may still be copying it); VitalSync will try again.';
const TAMPERED_MESSAGE =
  'This vault file is damaged or was changed outside VitalSync, so it cannot be trusted and was not read. If it keeps happening, check the sync engine for conflicts or disk errors.';
const incomplete = () => new VaultCryptoError('incomplete', INCOMPLETE_MESSAGE);
const tampered = () => new VaultCryptoError('tampered', TAMPERED_MESSAGE);

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const toBase64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Strict standard base64 (Buffer.from would silently skip bad characters), or null. */
function fromBase64(s: unknown, bytes?: number): Uint8Array | null {
  if (typeof s !== 'string' || !BASE64.test(s)) return null;
  const out = new Uint8Array(Buffer.from(s, 'base64'));
  return bytes === undefined || out.length === bytes ? out : null;
}

/**
 * The passphrase as bytes: Unicode NFC first, so the same passphrase typed on macOS, Windows or
 * Linux (whose input methods may compose accents differently) gives the same key.
 */
const passphraseBytes = (passphrase: string) => utf8(passphrase.normalize('NFC'));

/** Derives a key from a passphrase (Argon2id); the vault runs it in a worker thread (kdfThread.ts). */
export type DeriveKey = (kdf: KdfParams, passphrase: string) => Promise<Uint8Array>;

/**
 * Argon2id of the passphrase with the header's salt and cost: the key that wraps the vault key.
 * libsodium's WebAssembly memory grows to the cost's memlimit (256 MiB for 'moderate') and is
 * never given back, so long-lived processes run this in a thread that then ends.
 */
export async function passphraseKey(kdf: KdfParams, passphrase: string): Promise<Uint8Array> {
  const s = await lib();
  const salt = fromBase64(kdf.salt, SALT_BYTES);
  if (!salt) throw new VaultCryptoError('not-a-vault', 'The vault header is damaged (its salt is not valid).');
  return s.crypto_pwhash(KEY_BYTES, passphraseBytes(passphrase), salt, kdf.opslimit, kdf.memlimit, s.crypto_pwhash_ALG_ARGON2ID13);
}

async function keyCheckOf(key: Uint8Array): Promise<Uint8Array> {
  const s = await lib();
  return s.crypto_generichash(32, utf8(KEY_CHECK_MESSAGE), key);
}

/** True when `key` is the key `header` was made for (constant-time comparison of keyCheck). */
async function matchesHeader(header: VaultHeader, key: Uint8Array): Promise<boolean> {
  const s = await lib();
  const expected = fromBase64(header.keyCheck, 32);
  if (!expected || key.length !== KEY_BYTES) return false;
  return s.memcmp(await keyCheckOf(key), expected);
}

/**
 * A new vault: a random 32-byte key, its header (the key wrapped under Argon2id(passphrase)) and
 * its recovery phrase (the BIP39 English mnemonic of the key itself: 24 words, the last carrying
 * a checksum). The caller writes the header to <vault>/vitalsync-vault.json, stores the key in the
 * keychain and shows the phrase once; none of them is logged here.
 * `strength` 'moderate' (default) takes ~0.8 s and 256 MiB; 'interactive' is for tests.
 */
export async function createVault(
  passphrase: string,
  strength: KdfStrength = 'moderate',
  derive: DeriveKey = passphraseKey,
): Promise<{ header: VaultHeader; key: Uint8Array; recoveryPhrase: string }> {
  const s = await lib();
  const key = s.randombytes_buf(KEY_BYTES);
  const kdf: KdfParams = {
    alg: 'argon2id13',
    salt: toBase64(s.randombytes_buf(SALT_BYTES)),
    opslimit: strength === 'interactive' ? s.crypto_pwhash_OPSLIMIT_INTERACTIVE : s.crypto_pwhash_OPSLIMIT_MODERATE,
    memlimit: strength === 'interactive' ? s.crypto_pwhash_MEMLIMIT_INTERACTIVE : s.crypto_pwhash_MEMLIMIT_MODERATE,
  };
  const kek = await derive(kdf, passphrase);
  const nonce = s.randombytes_buf(SECRETBOX_NONCE_BYTES);
  const box = s.crypto_secretbox_easy(key, nonce, kek);
  s.memzero(kek);
  const header: VaultHeader = {
    format: FORMAT,
    version: VERSION,
    vaultId: s.to_hex(s.randombytes_buf(16)),
    createdAt: Date.now(),
    kdf,
    wrappedKey: { nonce: toBase64(nonce), box: toBase64(box) },
    keyCheck: toBase64(await keyCheckOf(key)),
  };
  return { header, key, recoveryPhrase: entropyToMnemonic(key, wordlist) };
}

/**
 * The vault key, from the passphrase. Throws VaultCryptoError 'wrong-passphrase' when the
 * passphrase does not open the wrapped key, 'tampered' when it does but the key does not match the
 * header's keyCheck (the header was edited), 'not-a-vault' for a header with unusable fields.
 * Takes as long as the header's Argon2id parameters say (~0.8 s for 'moderate').
 */
export async function unlockWithPassphrase(header: VaultHeader, passphrase: string, derive: DeriveKey = passphraseKey): Promise<Uint8Array> {
  const s = await lib();
  const nonce = fromBase64(header.wrappedKey?.nonce, SECRETBOX_NONCE_BYTES);
  const box = fromBase64(header.wrappedKey?.box, KEY_BYTES + SECRETBOX_MAC_BYTES);
  if (!nonce || !box) throw new VaultCryptoError('not-a-vault', 'The vault header is damaged (its wrapped key is not valid).');
  const kek = await derive(header.kdf, passphrase);
  let key: Uint8Array;
  try {
    key = s.crypto_secretbox_open_easy(box, nonce, kek);
  } catch {
    throw new VaultCryptoError('wrong-passphrase', 'That passphrase does not open this vault. Check it and try again, or use the recovery phrase.');
  } finally {
    s.memzero(kek);
  }
  if (!(await matchesHeader(header, key))) {
    s.memzero(key);
    throw new VaultCryptoError('tampered', 'The vault header was changed outside VitalSync: its key check does not match. Join with the recovery phrase instead.');
  }
  return key;
}

/** The recovery phrase as BIP39 wants it: lower case, single spaces, no leading/trailing blanks. */
export function normaliseRecoveryPhrase(phrase: string): string {
  return phrase.normalize('NFKD').trim().toLowerCase().split(/\s+/).filter(Boolean).join(' ');
}

/**
 * The vault key, from its 24-word recovery phrase (case and blanks do not matter).
 * Throws 'not-a-recovery-phrase' when the words are not a valid 24-word BIP39 English phrase
 * (unknown word, wrong count, bad checksum: likely a typo), 'wrong-recovery-phrase' when they are
 * valid but belong to another vault (keyCheck mismatch).
 */
export async function unlockWithRecoveryPhrase(header: VaultHeader, phrase: string): Promise<Uint8Array> {
  const words = normaliseRecoveryPhrase(phrase).split(' ').filter(Boolean);
  if (words.length !== 24) {
    throw new VaultCryptoError('not-a-recovery-phrase', `A recovery phrase has 24 words; this has ${words.length}.`);
  }
  const unknown = words.findIndex((w) => !wordlist.includes(w));
  if (unknown >= 0) {
    throw new VaultCryptoError('not-a-recovery-phrase', `Word ${unknown + 1} of the recovery phrase is not a recovery word. Check its spelling.`);
  }
  let key: Uint8Array;
  try {
    key = mnemonicToEntropy(words.join(' '), wordlist);
  } catch {
    throw new VaultCryptoError('not-a-recovery-phrase', 'These words are not a valid recovery phrase (a word is probably mistyped or out of order).');
  }
  if (!(await matchesHeader(header, key))) {
    (await lib()).memzero(key);
    throw new VaultCryptoError('wrong-recovery-phrase', 'This recovery phrase belongs to another vault. Check that you chose the right folder.');
  }
  return key;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIntIn = (v: unknown, [lo, hi]: readonly [number, number]) => typeof v === 'number' && Number.isSafeInteger(v) && v >= lo && v <= hi;

/**
 * The header read from <vault>/vitalsync-vault.json's text. Throws 'not-a-vault' for anything
 * that is not a well-formed version-1 header (not JSON, wrong format name, missing or malformed
 * fields, KDF parameters outside sane bounds) and 'newer-format' for a version above 1 (made by a
 * newer VitalSync). Unknown extra fields are dropped.
 */
export function parseHeader(json: string): VaultHeader {
  const notAVault = (what: string) => new VaultCryptoError('not-a-vault', `This folder's ${HEADER_FILE} is not a VitalSync vault header (${what}).`);
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw notAVault('it is not valid JSON');
  }
  if (!isRecord(v) || v.format !== FORMAT) throw notAVault('wrong format name');
  if (typeof v.version !== 'number' || !Number.isSafeInteger(v.version) || v.version < 1) throw notAVault('bad version');
  if (v.version > VERSION) {
    throw new VaultCryptoError('newer-format', 'This vault was made by a newer version of VitalSync. Update VitalSync on this computer to use it.');
  }
  if (typeof v.vaultId !== 'string' || !/^[0-9a-f]{32}$/.test(v.vaultId)) throw notAVault('bad vault id');
  if (typeof v.createdAt !== 'number' || !Number.isSafeInteger(v.createdAt) || v.createdAt < 0) throw notAVault('bad creation time');
  const kdf = v.kdf;
  if (!isRecord(kdf) || kdf.alg !== 'argon2id13' || !fromBase64(kdf.salt, SALT_BYTES) || !isIntIn(kdf.opslimit, OPSLIMIT_RANGE) || !isIntIn(kdf.memlimit, MEMLIMIT_RANGE)) {
    throw notAVault('bad key derivation parameters');
  }
  const wk = v.wrappedKey;
  if (!isRecord(wk) || !fromBase64(wk.nonce, SECRETBOX_NONCE_BYTES) || !fromBase64(wk.box, KEY_BYTES + SECRETBOX_MAC_BYTES)) throw notAVault('bad wrapped key');
  if (!fromBase64(v.keyCheck, 32)) throw notAVault('bad key check');
  return {
    format: FORMAT,
    version: VERSION,
    vaultId: v.vaultId,
    createdAt: v.createdAt,
    kdf: { alg: 'argon2id13', salt: kdf.salt as string, opslimit: kdf.opslimit as number, memlimit: kdf.memlimit as number },
    wrappedKey: { nonce: wk.nonce as string, box: wk.box as string },
    keyCheck: v.keyCheck as string,
  };
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) throw new TypeError('A vault key is 32 bytes.');
}

/**
 * `plaintext` sealed under the vault key, bound to `context` (e.g. `segment <deviceId>`,
 * `manifest <deviceId>`). Layout, all lengths big-endian:
 *
 *   "VSV1" (4 bytes: magic + format version 1)
 *   secretstream header (24 bytes, random: two seals of the same plaintext differ)
 *   then per chunk: u32 ciphertext length (4 bytes) + ciphertext (plaintext length + 17)
 *
 * Chunks carry at most 64 KiB (CHUNK_BYTES) of plaintext; all but the last carry exactly that.
 * The last chunk has TAG_FINAL (an empty plaintext is one empty FINAL chunk), the others
 * TAG_MESSAGE. `context`, as UTF-8, is the additional data of every chunk.
 */
export async function sealFile(key: Uint8Array, plaintext: Uint8Array, context: string): Promise<Uint8Array> {
  checkKey(key);
  const s = await lib();
  const ad = utf8(context);
  const chunks = Math.max(1, Math.ceil(plaintext.length / CHUNK_BYTES));
  const out = new Uint8Array(FILE_MAGIC.length + STREAM_HEADER_BYTES + chunks * (LENGTH_BYTES + ABYTES) + plaintext.length);
  const view = new DataView(out.buffer);
  const { state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(key);
  out.set(FILE_MAGIC, 0);
  out.set(header, FILE_MAGIC.length);
  let at = FILE_MAGIC.length + STREAM_HEADER_BYTES;
  for (let i = 0; i < chunks; i++) {
    const last = i === chunks - 1;
    const part = plaintext.subarray(i * CHUNK_BYTES, Math.min(plaintext.length, (i + 1) * CHUNK_BYTES));
    const c = s.crypto_secretstream_xchacha20poly1305_push(state, part, ad, last ? TAG_FINAL : TAG_MESSAGE);
    view.setUint32(at, c.length, false);
    out.set(c, at + LENGTH_BYTES);
    at += LENGTH_BYTES + c.length;
  }
  return out;
}

/**
 * The plaintext of a file sealed by sealFile with the same key and context. Throws
 * VaultCryptoError:
 * - 'incomplete': the bytes end before the FINAL chunk (shorter than a header, a length prefix
 *   pointing past the end, no FINAL chunk yet): a half-copied file; try again later.
 * - 'tampered': bad magic, a chunk failing authentication (wrong key, wrong context, edited,
 *   reordered, or chunks spliced from another file), an impossible length prefix, or bytes after
 *   the FINAL chunk.
 */
export async function openFile(key: Uint8Array, bytes: Uint8Array, context: string): Promise<Uint8Array> {
  checkKey(key);
  const s = await lib();
  const magicLen = Math.min(bytes.length, FILE_MAGIC.length);
  for (let i = 0; i < magicLen; i++) if (bytes[i] !== FILE_MAGIC[i]) throw tampered();
  if (bytes.length < FILE_MAGIC.length + STREAM_HEADER_BYTES) throw incomplete();
  const ad = utf8(context);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const state = s.crypto_secretstream_xchacha20poly1305_init_pull(bytes.subarray(FILE_MAGIC.length, FILE_MAGIC.length + STREAM_HEADER_BYTES), key);
  const parts: Uint8Array[] = [];
  let total = 0;
  let at = FILE_MAGIC.length + STREAM_HEADER_BYTES;
  for (;;) {
    if (at + LENGTH_BYTES > bytes.length) throw incomplete();
    const len = view.getUint32(at, false);
    if (len < ABYTES || len > CHUNK_BYTES + ABYTES) throw tampered();
    if (at + LENGTH_BYTES + len > bytes.length) throw incomplete();
    const r = s.crypto_secretstream_xchacha20poly1305_pull(state, bytes.subarray(at + LENGTH_BYTES, at + LENGTH_BYTES + len), ad);
    if (!r || (r.tag !== TAG_MESSAGE && r.tag !== TAG_FINAL)) throw tampered();
    at += LENGTH_BYTES + len;
    parts.push(r.message);
    total += r.message.length;
    if (r.tag === TAG_FINAL) {
      if (at !== bytes.length) throw tampered();
      break;
    }
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The content address of some bytes: BLAKE2b-256 (crypto_generichash, 32 bytes), lowercase hex, 64 chars. */
export async function contentName(bytes: Uint8Array): Promise<string> {
  const s = await lib();
  return s.to_hex(s.crypto_generichash(32, bytes, null));
}

/** The vault key as standard padded base64 (for the keychain). */
export function keyToBase64(key: Uint8Array): string {
  checkKey(key);
  return toBase64(key);
}

/** The vault key back from keyToBase64's text. Throws a TypeError (without the text) unless it is 32 bytes of valid base64. */
export function keyFromBase64(s: string): Uint8Array {
  const key = fromBase64(s.trim(), KEY_BYTES);
  if (!key) throw new TypeError('The stored vault key is not valid (expected 32 bytes in base64).');
  return key;
}
