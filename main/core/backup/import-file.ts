import type { BackupPreviewInput, ImportFormat } from '../../../common/backup.js';
import { CoreError } from '../core-error.js';
import { fromBase64 } from '../crypto/bytes.js';
import { openBackup, parsePayload, type Payload } from './container.js';
import { parseBitwarden, parseEnv, parseKeepassxc, type ParsedFile } from './formats.js';

// Turns an import file's text into records, by its format. This app's own exports keep their
// scopes and key names; other tools' items get names made from their titles (naming.ts).

function parseJson(text: string, format: ImportFormat): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new CoreError('INVALID_INPUT', `This file is not JSON, so it cannot be a ${format === 'bitwarden' ? 'Bitwarden JSON export' : 'Hoody Vault export'}.`, { fields: { text: 'is not JSON' } });
  }
}

function fromPayload(payload: Payload): ParsedFile {
  const records: ParsedFile['records'] = [];
  const ignored: ParsedFile['ignored'] = [];
  for (const entry of payload.entries) {
    const base = { realmId: entry.realm_id, source: entry.key, path: [], notes: entry.notes, exactKey: true };
    if (entry.kind === 'secret') {
      records.push({ ...base, kind: 'secret', value: entry.value, ...(entry.history?.length ? { history: entry.history } : {}) });
      continue;
    }
    const bytes = fromBase64(entry.value_b64);
    if (!bytes) {
      ignored.push({ source: entry.key, reason: 'has a file whose bytes are not base64' });
      continue;
    }
    records.push({ ...base, kind: 'file', value: '', bytes, filename: entry.filename, contentType: entry.content_type });
  }
  return { records, ignored };
}

export async function readImportFile(text: string, input: Pick<BackupPreviewInput, 'format' | 'password'>): Promise<ParsedFile> {
  switch (input.format) {
    case 'backup':
      return fromPayload(await openBackup(parseJson(text, 'backup'), input.password));
    case 'json':
      return fromPayload(parsePayload(parseJson(text, 'json')));
    case 'env':
      return parseEnv(text);
    case 'bitwarden':
      return parseBitwarden(parseJson(text, 'bitwarden'));
    case 'keepassxc':
      return parseKeepassxc(text);
  }
}
