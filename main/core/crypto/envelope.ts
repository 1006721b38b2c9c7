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

export async function sealValue(keys: VaultKeys, realmId: string, key: string, plaintext: string | Uint8Array): Promise<string> {
  const sodium = await loadSodium();
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const bytes = typeof plaintext === 'string' ? utf8(plaintext) : plaintext;
  const c = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(bytes, ad('value', realmId, key), null, nonce, keys.value);
  // A copy of the keyring's recovery wrapping rides along (public, as in the keyring record), so the
  // recovery key can rebuild a keyring another tool deleted, given the entries.
  const kr: KeyringHint | undefined = keys.recoveryWrap ? { id: keys.vaultId, n: keys.recoveryWrap.nonce, w: keys.recoveryWrap.wrapped_key } : undefined;
  return JSON.stringify({ hv: ENVELOPE_VERSION, n: toBase64(nonce), c: toBase64(c), ...(kr ? { kr } : {}) });
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
  if (record.hv === ENVELOPE_VERSION && typeof record.n === 'string' && typeof record.c === 'string') return 'hv1';
  return 'plain';
}

/** The plaintext bytes, or undefined when it does not open (wrong key, tampered, or moved). */
export async function openValueBytes(keys: VaultKeys, realmId: string, key: string, envelope: string): Promise<Uint8Array | undefined> {
  const sodium = await loadSodium();
  let parsed: { n?: unknown; c?: unknown };
  try {
    parsed = JSON.parse(envelope) as { n?: unknown; c?: unknown };
  } catch {
    return undefined;
  }
  const nonce = fromBase64(parsed.n, sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const c = fromBase64(parsed.c);
  if (!nonce || !c) return undefined;
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, c, ad('value', realmId, key), nonce, keys.value);
  } catch {
    return undefined;
  }
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
  const c = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(utf8(JSON.stringify(meta)), ad('meta', realmId, key), null, nonce, keys.meta);
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

export async function openMetadata(keys: VaultKeys, realmId: string, key: string, metadata: EntryMetadata): Promise<SealedMeta | undefined> {
  const sodium = await loadSodium();
  const bytes = fromBase64(metadata.sealed);
  const nonceBytes = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (!bytes || bytes.length < nonceBytes + sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES) return undefined;
  try {
    const plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, bytes.subarray(nonceBytes), ad('meta', realmId, key), bytes.subarray(0, nonceBytes), keys.meta);
    const parsed = JSON.parse(fromUtf8(plain)) as SealedMeta;
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}
