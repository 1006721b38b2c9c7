import type { ImportFormat } from '../../../common/backup.js';
import { CoreError } from '../core-error.js';

// Reading other tools' files into one shape: a record per thing to store, with the name it had in
// the file. The value is what a person would copy (a password, a note's text); everything else the
// item carried (user name, URLs, one-time-password seeds, custom fields) goes into the notes, which
// are sealed like the value. Names are made into key names later (naming.ts).

export interface ImportRecord {
  /** The scope the file says (this app's exports); otherwise the scope chosen for the import. */
  realmId?: string;
  /** The name in the file, for the preview. */
  source: string;
  /** The item's own name, when `source` adds more (a group path): the key name is made from path + title. */
  title?: string;
  /** Group or folder path (KeePassXC groups, Bitwarden folders), to prefix the key with. */
  path: string[];
  kind: 'secret' | 'file';
  value: string;
  /** A file's bytes (this app's exports). */
  bytes?: Uint8Array;
  notes: string;
  filename?: string;
  contentType?: string;
  /** A secret's earlier values, newest first (this app's exports). */
  history?: Array<{ value: string; at: string }>;
  /** True when the name is already a key name this app wrote (kept as is). */
  exactKey?: boolean;
}

export interface ParsedFile {
  records: ImportRecord[];
  ignored: Array<{ source: string; reason: string }>;
}

const bad = (message: string, format: ImportFormat): CoreError => new CoreError('INVALID_INPUT', message, { fields: { text: `is not a ${format} file` } });

// ── .env ──────────────────────────────────────────────────────────────────────────────────────────
// `NAME=value` lines, `export ` allowed, `#` comments; values bare (an inline ` #` starts a comment),
// in single quotes (taken literally) or double quotes (\n, \t, \", \\ understood; may span lines).

const ENV_LINE = /^\s*(?:export\s+)?([A-Za-z0-9_.-]+)\s*=\s*(.*)$/;

export function parseEnv(text: string): ParsedFile {
  const records: ImportRecord[] = [];
  const ignored: ParsedFile['ignored'] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const match = ENV_LINE.exec(line);
    if (!match) {
      ignored.push({ source: `line ${i + 1}`, reason: 'is not NAME=value' });
      continue;
    }
    const name = match[1]!;
    let rest = match[2]!;
    let value: string;
    if (rest.startsWith('"')) {
      // A double-quoted value may run over several lines, up to the closing quote.
      let body = rest.slice(1);
      while (!/(^|[^\\])(\\\\)*"/.test(body) && i + 1 < lines.length) body += `\n${lines[++i]!}`;
      const end = closingQuote(body);
      if (end < 0) {
        ignored.push({ source: name, reason: 'has no closing quote' });
        continue;
      }
      value = body.slice(0, end).replace(/\\([nrt"\\$])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
    } else if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end < 0) {
        ignored.push({ source: name, reason: 'has no closing quote' });
        continue;
      }
      value = rest.slice(1, end);
    } else {
      const comment = rest.search(/\s#/);
      if (comment >= 0) rest = rest.slice(0, comment);
      value = rest.trim();
    }
    records.push({ source: name, path: [], kind: 'secret', value, notes: '' });
  }
  return { records, ignored };
}

function closingQuote(body: string): number {
  for (let i = 0; i < body.length; i += 1) {
    if (body[i] === '\\') i += 1;
    else if (body[i] === '"') return i;
  }
  return -1;
}

/** A value as a `.env` line writes it: double-quoted, with the escapes parseEnv reads. */
export function envQuote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\$/g, '\\$')}"`;
}

// ── Bitwarden JSON export (unencrypted) ──────────────────────────────────────────────────────────
// `{encrypted:false, folders:[{id,name}], items:[{type, name, notes, folderId, fields:[{name,value,type}],
// login:{username,password,totp,uris:[{uri}]}, card:{…}, identity:{…}, sshKey:{privateKey,…}}]}`;
// type 1 login, 2 secure note, 3 card, 4 identity, 5 SSH key.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export function parseBitwarden(json: unknown): ParsedFile {
  if (!isObj(json) || !Array.isArray(json.items)) throw bad('This is not a Bitwarden JSON export (it has no "items").', 'bitwarden');
  if (json.encrypted === true) throw bad('This Bitwarden export is encrypted. Export again from Bitwarden as "JSON" (not "JSON (Encrypted)").', 'bitwarden');
  const folders = new Map<string, string>();
  for (const folder of Array.isArray(json.folders) ? json.folders : []) if (isObj(folder)) folders.set(str(folder.id), str(folder.name));
  const records: ImportRecord[] = [];
  const ignored: ParsedFile['ignored'] = [];
  for (const item of json.items as unknown[]) {
    if (!isObj(item)) continue;
    const name = str(item.name) || '(no name)';
    const folder = folders.get(str(item.folderId));
    const extra: string[] = [];
    let value: string;
    const type = Number(item.type);
    if (type === 1 && isObj(item.login)) {
      const login = item.login;
      value = str(login.password);
      if (str(login.username)) extra.push(`Username: ${str(login.username)}`);
      const uris = Array.isArray(login.uris) ? login.uris.map((u) => (isObj(u) ? str(u.uri) : str(u))).filter(Boolean) : [];
      for (const uri of uris) extra.push(`URL: ${uri}`);
      if (str(login.totp)) extra.push(`TOTP: ${str(login.totp)}`);
    } else if (type === 2) {
      value = str(item.notes);
    } else if (type === 3 && isObj(item.card)) {
      value = str(item.card.number);
      for (const [k, v] of Object.entries(item.card)) if (k !== 'number' && str(v)) extra.push(`${k}: ${str(v)}`);
    } else if (type === 4 && isObj(item.identity)) {
      for (const [k, v] of Object.entries(item.identity)) if (str(v)) extra.push(`${k}: ${str(v)}`);
      value = extra.join('\n');
      extra.length = 0;
    } else if (type === 5 && isObj(item.sshKey)) {
      value = str(item.sshKey.privateKey);
      if (str(item.sshKey.publicKey)) extra.push(`Public key: ${str(item.sshKey.publicKey)}`);
      if (str(item.sshKey.keyFingerprint)) extra.push(`Fingerprint: ${str(item.sshKey.keyFingerprint)}`);
    } else {
      ignored.push({ source: name, reason: `is of a Bitwarden item type this app does not read (${str(item.type) || 'none'})` });
      continue;
    }
    for (const field of Array.isArray(item.fields) ? item.fields : []) if (isObj(field)) extra.push(`${str(field.name) || 'Field'}: ${str(field.value)}`);
    const notes = [...extra, ...(type !== 2 && str(item.notes) ? ['', str(item.notes)] : [])].join('\n').trim();
    if (!value) {
      if (!notes) {
        ignored.push({ source: name, reason: 'has no value to store' });
        continue;
      }
      // A login without a password still carries something (its user name, its URL): it is kept,
      // with those as its value so the entry is not empty.
      value = notes;
    }
    records.push({ source: name, path: folder ? [folder] : [], kind: 'secret', value, notes: value === notes ? '' : notes });
  }
  return { records, ignored };
}

// ── KeePassXC CSV export ──────────────────────────────────────────────────────────────────────────
// RFC 4180, header `"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"`
// (older versions stop after Notes). Groups are paths from the root group, `Root/Work/…`.

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i += 1) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

export function parseKeepassxc(text: string): ParsedFile {
  const [header, ...rows] = parseCsv(text);
  const col = (name: string) => header?.indexOf(name) ?? -1;
  const [group, title, username, password, url, notes, totp] = ['Group', 'Title', 'Username', 'Password', 'URL', 'Notes', 'TOTP'].map(col);
  if (!header || title! < 0 || password! < 0) throw bad('This is not a KeePassXC CSV export (its first row must name the columns "Group","Title","Username","Password","URL","Notes").', 'keepassxc');
  const records: ImportRecord[] = [];
  const ignored: ParsedFile['ignored'] = [];
  const at = (row: string[], i: number | undefined) => (i !== undefined && i >= 0 ? (row[i] ?? '') : '');
  for (const row of rows) {
    const name = at(row, title) || '(no title)';
    const groups = at(row, group).split('/').filter(Boolean);
    // Every path starts at the database's root group, the same for every entry: it adds nothing to a name.
    if (groups.length > 0 && groups[0] === 'Root') groups.shift();
    const extra = [
      at(row, username) && `Username: ${at(row, username)}`,
      at(row, url) && `URL: ${at(row, url)}`,
      at(row, totp) && `TOTP: ${at(row, totp)}`,
      at(row, notes) && `\n${at(row, notes)}`,
    ].filter(Boolean);
    const value = at(row, password);
    const note = extra.join('\n').trim();
    if (!value && !note) {
      ignored.push({ source: name, reason: 'has no value to store' });
      continue;
    }
    records.push({ source: [...groups, name].join('/'), title: name, path: groups, kind: 'secret', value: value || note, notes: value ? note : '' });
  }
  return { records, ignored };
}
