import { fromBase64, fromUtf8, toBase64, utf8 } from './bytes.js';
import { loadSodium } from './sodium.js';
import type { VaultKeys } from './vault-keys.js';

// How one vault entry is sealed (docs/vault-format.md):
// - its value: `{"hv":1,"n":<nonce>,"c":<ciphertext>}`, XChaCha20-Poly1305 under the value subkey;
// - its server metadata: `{"hv":1,"kind","size","sealed"}`, where `sealed` holds the notes, file
//   name and type, XChaCha20-Poly1305 under the metadata subkey.
// Both bind the realm and the key name as additional data, so a ciphertext moved to another name
// or realm fails to open. The marker is `hv`, never `_enc`, so Hoody's SDK cannot mistake it for its
// own format (whose marker is a numeric `_enc`).

export const ENVELOPE_VERSION = 1;

export type EntryKind = 'secret' | 'file';

export interface SealedMeta {
  notes?: string;
  filename?: string;
  content_type?: string;
  sha256?: string;
  /**
   * The kind and plaintext size, sealed (since format 1.1): the clear `kind` and `size` beside
   * `sealed` are only hints, checked against these. Metadata written before has neither.
   */
  kind?: EntryKind;
  size?: number;
  /** A secret's earlier values, newest first (docs/vault-format.md, "Value history"). */
  history?: SealedHistoryEntry[];
}

/** One earlier value of a secret: the value, and when it was stored (its `updated_at` then). */
export interface SealedHistoryEntry {
  value: string;
  at: string;
}

export interface EntryMetadata {
  hv: 1;
  kind: EntryKind;
  /** Bytes of the plaintext value (the app shows it before any value is fetched). */
  size: number;
  sealed: string;
}

/** `id`: the keyring's vault_id; `n`, `w`: its recovery nonce and wrapped_key. */
export interface KeyringHint {
  id: string;
  n: string;
  w: string;
}

const ad = (what: 'value' | 'meta', realmId: string, key: string) => utf8(`hoody-vault/${what}/v1\n${realmId}\n${key}`);
// A value with a revision (`r`) also binds it: a server that edits `r` breaks the tag.
const revisedValueAd = (realmId: string, key: string, revision: number) => utf8(`hoody-vault/value/v1r\n${realmId}\n${key}\n${revision}`);

/** The highest revision a value may carry: revisions are milliseconds since 1970, far below this. */
const MAX_REVISION = Number.MAX_SAFE_INTEGER;

/**
 * A revision for a new value of a key: the time in milliseconds, or one more than the highest seen
 * for that key when a clock is behind, so a later write always has the higher revision.
 */
export function nextRevision(highestSeen: number | undefined, now = Date.now()): number {
  return Math.max(now, (highestSeen ?? 0) + 1);
}

/**
 * Seals a secret's value as `{"hv":1,"n","c","r":<revision>}`: the revision is sealed with it (in
 * the additional data), so the server can serve an older value, but not pass it off as newer.
 */
export async function sealValue(keys: VaultKeys, realmId: string, key: string, plaintext: string | Uint8Array, revision = nextRevision(undefined)): Promise<string> {
  const sodium = await loadSodium();
  if (!Number.isSafeInteger(revision) || revision < 1) throw new RangeError('revision must be a positive safe integer');
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const bytes = typeof plaintext === 'string' ? utf8(plaintext) : plaintext;
  const c = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(bytes, revisedValueAd(realmId, key, revision), null, nonce, keys.value);
  // A copy of the keyring's recovery wrapping rides along (public, as in the keyring record), so the
  // recovery key can rebuild a keyring another tool deleted, given the entries.
  const kr: KeyringHint | undefined = keys.recoveryWrap ? { id: keys.vaultId, n: keys.recoveryWrap.nonce, w: keys.recoveryWrap.wrapped_key } : undefined;
  return JSON.stringify({ hv: ENVELOPE_VERSION, n: toBase64(nonce), c: toBase64(c), r: revision, ...(kr ? { kr } : {}) });
}

export type ValueFormat = 'hv1' | 'hoody-enc1' | 'plain';

/** What a stored value is: ours, Hoody's own `_enc` envelope, or plain text. */
export function valueFormat(value: string): ValueFormat {
  if (!value.startsWith('{')) return 'plain';
  // A sealed file can be tens of megabytes: known by its prefix, without parsing it.
  if (value.startsWith('{"hv":1,"f":')) return 'hv1';
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return 'plain';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'plain';
  const record = parsed as Record<string, unknown>;
  // The SDK's own test: a JSON object whose `_enc` is a number.
  if (typeof record._enc === 'number') return 'hoody-enc1';
  if (record.hv === ENVELOPE_VERSION && typeof record.n === 'string' && typeof record.c === 'string' && (record.r === undefined || isRevision(record.r))) return 'hv1';
  return 'plain';
}

const isRevision = (r: unknown): r is number => typeof r === 'number' && Number.isSafeInteger(r) && r >= 1 && r <= MAX_REVISION;

/** An opened secret: its bytes, and its sealed revision (0 for a value written before revisions existed). */
export interface OpenedValue {
  bytes: Uint8Array;
  revision: number;
}

/** Opens a sealed value of either version, with its authenticated revision; undefined when it does not open. */
export async function openVersionedValue(keys: VaultKeys, realmId: string, key: string, envelope: string): Promise<OpenedValue | undefined> {
  const sodium = await loadSodium();
  let parsed: { hv?: unknown; r?: unknown; n?: unknown; c?: unknown };
  try {
    parsed = JSON.parse(envelope) as typeof parsed;
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const nonce = fromBase64(parsed.n, sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const c = fromBase64(parsed.c);
  if (!nonce || !c) return undefined;
  let additional: Uint8Array;
  let revision: number;
  if (parsed.hv === ENVELOPE_VERSION && parsed.r === undefined) {
    additional = ad('value', realmId, key);
    revision = 0;
  } else if (parsed.hv === ENVELOPE_VERSION && isRevision(parsed.r)) {
    additional = revisedValueAd(realmId, key, parsed.r);
    revision = parsed.r;
  } else {
    return undefined;
  }
  try {
    return { bytes: sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, c, additional, nonce, keys.value), revision };
  } catch {
    return undefined;
  }
}

/** The opened text of a value and its revision, or undefined (does not open, or not UTF-8). */
export async function openValueText(keys: VaultKeys, realmId: string, key: string, envelope: string): Promise<{ value: string; revision: number } | undefined> {
  const opened = await openVersionedValue(keys, realmId, key, envelope);
  if (!opened) return undefined;
  try {
    return { value: fromUtf8(opened.bytes), revision: opened.revision };
  } catch {
    return undefined;
  }
}

/** The plaintext bytes, or undefined when it does not open (wrong key, tampered, or moved). */
export async function openValueBytes(keys: VaultKeys, realmId: string, key: string, envelope: string): Promise<Uint8Array | undefined> {
  return (await openVersionedValue(keys, realmId, key, envelope))?.bytes;
}

export async function openValue(keys: VaultKeys, realmId: string, key: string, envelope: string): Promise<string | undefined> {
  const bytes = await openValueBytes(keys, realmId, key, envelope);
  if (!bytes) return undefined;
  try {
    return fromUtf8(bytes);
  } catch {
    return undefined;
  }
}

export async function sealMetadata(keys: VaultKeys, realmId: string, key: string, kind: EntryKind, size: number, meta: SealedMeta): Promise<EntryMetadata> {
  const sodium = await loadSodium();
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  // The kind and size go inside the seal too: the clear copies are only what a locked app shows.
  const c = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(utf8(JSON.stringify({ ...meta, kind, size })), ad('meta', realmId, key), null, nonce, keys.meta);
  const sealed = new Uint8Array(nonce.length + c.length);
  sealed.set(nonce);
  sealed.set(c, nonce.length);
  return { hv: ENVELOPE_VERSION, kind, size, sealed: toBase64(sealed) };
}

export function isEntryMetadata(value: unknown): value is EntryMetadata {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return m.hv === ENVELOPE_VERSION && (m.kind === 'secret' || m.kind === 'file') && typeof m.size === 'number' && typeof m.sealed === 'string';
}

/** A sealed value's copy of its keyring's recovery wrapping, when it carries a well-formed one. */
export function keyringHint(value: string): KeyringHint | undefined {
  if (!value.startsWith('{"hv":1,"n":')) return undefined;
  let kr: unknown;
  try {
    kr = (JSON.parse(value) as { kr?: unknown }).kr;
  } catch {
    return undefined;
  }
  if (typeof kr !== 'object' || kr === null) return undefined;
  const { id, n, w } = kr as Record<string, unknown>;
  return typeof id === 'string' && typeof n === 'string' && typeof w === 'string' ? { id, n, w } : undefined;
}

async function openSealedMeta(keys: VaultKeys, realmId: string, key: string, metadata: EntryMetadata): Promise<SealedMeta | undefined> {
  const sodium = await loadSodium();
  const bytes = fromBase64(metadata.sealed);
  const nonceBytes = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (!bytes || bytes.length < nonceBytes + sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES) return undefined;
  try {
    const plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, bytes.subarray(nonceBytes), ad('meta', realmId, key), bytes.subarray(0, nonceBytes), keys.meta);
    const parsed = JSON.parse(fromUtf8(plain)) as SealedMeta;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The descriptive sealed fields (notes, file name, type, hash); the sealed kind and size are checked by checkMetadata. */
export async function openMetadata(keys: VaultKeys, realmId: string, key: string, metadata: EntryMetadata): Promise<SealedMeta | undefined> {
  const opened = await openSealedMeta(keys, realmId, key, metadata);
  if (!opened) return undefined;
  const { kind: _kind, size: _size, ...described } = opened;
  return described;
}

/** What the app may act on in an entry's metadata: every field authenticated. */
export interface CheckedMetadata {
  sealed: SealedMeta;
  kind: EntryKind;
  /** The sealed plaintext size; undefined for metadata written before it was sealed (the clear one is then only a hint). */
  size: number | undefined;
}

/**
 * Opens an entry's metadata and checks the clear `kind` and `size` against the sealed ones. Metadata
 * that does not open, or whose clear fields disagree with the sealed ones (edited on the server),
 * is undefined: the entry is then shown as unreadable, never as a normal one.
 */
export async function checkMetadata(keys: VaultKeys, realmId: string, key: string, metadata: EntryMetadata): Promise<CheckedMetadata | undefined> {
  const opened = await openSealedMeta(keys, realmId, key, metadata);
  if (!opened) return undefined;
  const { kind: _kind, size: _size, ...sealed } = opened;
  if (opened.kind !== undefined && opened.kind !== metadata.kind) return undefined;
  if (opened.size !== undefined && opened.size !== metadata.size) return undefined;
  if (opened.size !== undefined && (!Number.isSafeInteger(opened.size) || opened.size < 0)) return undefined;
  return { sealed, kind: opened.kind ?? metadata.kind, size: opened.size };
}
