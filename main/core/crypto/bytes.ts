// Small byte helpers shared by the vault formats (base64 is standard, with padding, as in the spec).

export const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export function fromBase64(text: unknown, expectedLength?: number): Uint8Array | undefined {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const bytes = new Uint8Array(Buffer.from(text, 'base64'));
  if (expectedLength !== undefined && bytes.length !== expectedLength) return undefined;
  return bytes;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const fromUtf8 = (bytes: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(bytes);

/** The passphrase as bytes: Unicode NFC first, so the same words typed on any system give the same key. */
export const passphraseBytes = (passphrase: string): Uint8Array => utf8(passphrase.normalize('NFC'));
