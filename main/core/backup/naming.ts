import { KEY_NAME_MAX } from '../../../common/rules.js';
import { RESERVED_PREFIX } from '../../../common/vault.js';
import type { ImportRecord } from './formats.js';

// Key names for imported items. The API takes `^[a-zA-Z0-9._-]+$`, 1–255 characters; titles in a
// password manager are anything. A name is made the same way every time from the same file (so a
// second run of an import finds the entries the first one stored): accents dropped, every other
// character outside the set becomes `-`, groups are joined with `.`; a name met again in the same
// scope gets `-2`, `-3`… in the order of the file.

const SUFFIX_ROOM = 8;

export function slug(text: string): string {
  const ascii = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return ascii
    .replace(/[^a-zA-Z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

export function baseName(record: Pick<ImportRecord, 'source' | 'title' | 'path' | 'exactKey'>): string {
  if (record.exactKey && /^[a-zA-Z0-9._-]{1,255}$/.test(record.source) && !record.source.startsWith(RESERVED_PREFIX)) return record.source;
  const parts = [...record.path, record.title ?? record.source].map(slug).filter(Boolean);
  let name = parts.join('.') || 'item';
  if (name.startsWith(RESERVED_PREFIX)) name = `imported-${name}`;
  return name.slice(0, KEY_NAME_MAX - SUFFIX_ROOM).replace(/[-.]+$/, '') || 'item';
}

/** The key name of each record, in order, unique within its scope. */
export function assignKeys(records: ReadonlyArray<Pick<ImportRecord, 'source' | 'title' | 'path' | 'exactKey'> & { realmId: string }>): string[] {
  const taken = new Set<string>();
  return records.map((record) => {
    const base = baseName(record);
    let key = base;
    for (let n = 2; taken.has(`${record.realmId}\n${key}`); n += 1) key = `${base}-${n}`;
    taken.add(`${record.realmId}\n${key}`);
    return key;
  });
}
