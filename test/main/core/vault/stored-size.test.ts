import { describe, expect, it } from 'vitest';
import type { VaultEntry } from '../../../../common/hoody-types.js';
import { expectedValueBytes, fitsStoredSize } from '../../../../main/core/vault/entry-verdicts.js';

// The size check runs for every entry of every listing, so it no longer builds the list of value
// lengths a sealed value may take (issue 16 §3): its answer must be the list's, for every kind and
// size, at and around each edge of the metadata's slack.

/** The check as it was: any length of the list, with the metadata and its slack, gives the stored size. */
function byTheList(entry: VaultEntry & { metadata: { kind: 'secret' | 'file'; size: number } }): boolean {
  const meta = JSON.stringify(entry.metadata);
  const metaBytes = new TextEncoder().encode(meta).length;
  let slack = 0;
  let inString = false;
  for (let i = 0; i < meta.length; i += 1) {
    if (meta[i] === '\\') i += 1;
    else if (meta[i] === '"') inString = !inString;
    else if (!inString && (meta[i] === ':' || meta[i] === ',')) slack += 1;
  }
  return expectedValueBytes(entry.metadata.kind, entry.metadata.size).some((valueBytes) => entry.size_bytes - valueBytes >= metaBytes && entry.size_bytes - valueBytes <= metaBytes + slack);
}

const entry = (kind: 'secret' | 'file', size: number, sizeBytes: number): VaultEntry & { metadata: { kind: 'secret' | 'file'; size: number } } => ({
  key: 'k',
  realm_id: '',
  size_bytes: sizeBytes,
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
  metadata: { hv: 1, kind, size, sealed: 'c2VhbGVk', note: 'é "quoted", with: punctuation' },
});

describe('fitsStoredSize', () => {
  it('agrees with the list of lengths at every stored size around each one it allows', () => {
    let fits = 0;
    let checked = 0;
    for (const kind of ['secret', 'file'] as const) {
      for (const size of [0, 1, 2, 3, 47, 100, 1000, 65_536, 1_000_003]) {
        const meta = new TextEncoder().encode(JSON.stringify(entry(kind, size, 0).metadata)).length;
        for (const valueBytes of expectedValueBytes(kind, size)) {
          for (let delta = -3; delta <= 40; delta += 1) {
            const e = entry(kind, size, valueBytes + meta + delta);
            expect(fitsStoredSize(e), `${kind} ${size} ${e.size_bytes}`).toBe(byTheList(e));
            if (byTheList(e)) fits += 1;
            checked += 1;
          }
        }
      }
    }
    // Both answers occur: the comparison is not of two constants.
    expect(fits).toBeGreaterThan(100);
    expect(checked - fits).toBeGreaterThan(100);
  });
});
