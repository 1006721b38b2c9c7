import { describe, expect, it } from 'vitest';
import type { VaultItem } from '../../common/vault.js';
import { visibleEntries } from '../../renderer/src/stores/vault.js';

const item = (key: string, size: number, updatedAt: string, notes = '', filename?: string): VaultItem => ({
  key,
  realmId: '',
  kind: 'secret',
  format: 'hv1',
  notes,
  size,
  storedBytes: size,
  createdAt: updatedAt,
  updatedAt,
  ...(filename ? { filename } : {}),
});

const entries = [
  item('beta', 30, '2026-11-02T00:00:00Z', 'Second'),
  item('alpha-10', 10, '2026-11-03T00:00:00Z', 'has the NEEDLE'),
  item('alpha-9', 20, '2026-11-01T00:00:00Z', '', 'needle.txt'),
];

describe('visibleEntries', () => {
  it('searches names, notes and file names, ignoring case', () => {
    expect(visibleEntries(entries, 'needle', { key: 'name', descending: false }).map((e) => e.key)).toEqual(['alpha-9', 'alpha-10']);
    expect(visibleEntries(entries, '  BETA ', { key: 'name', descending: false }).map((e) => e.key)).toEqual(['beta']);
    expect(visibleEntries(entries, 'nothing', { key: 'name', descending: false })).toEqual([]);
  });

  it('sorts by name (numbers in order), size and last change, either way', () => {
    expect(visibleEntries(entries, '', { key: 'name', descending: false }).map((e) => e.key)).toEqual(['alpha-9', 'alpha-10', 'beta']);
    expect(visibleEntries(entries, '', { key: 'size', descending: true }).map((e) => e.size)).toEqual([30, 20, 10]);
    expect(visibleEntries(entries, '', { key: 'updated', descending: true }).map((e) => e.key)).toEqual(['alpha-10', 'beta', 'alpha-9']);
  });
});
