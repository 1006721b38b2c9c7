import { z } from 'zod';
import { jobIdSchema } from './activity.js';
import { passphraseSchema, scopeSchema } from './vault.js';

// Backup and move in the contract: exports of the whole vault (sealed under a password the user
// chooses, or in plain text behind an explicit confirmation), and imports from this app's own files,
// `.env`, Bitwarden's JSON export and KeePassXC's CSV export. Values never travel to the window: an
// import is read and previewed in main, and the window sees key names only.

export const EXPORT_KINDS = ['encrypted', 'json', 'env'] as const;
export type BackupExportKind = (typeof EXPORT_KINDS)[number];
export const IMPORT_FORMATS = ['backup', 'json', 'env', 'bitwarden', 'keepassxc'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const IMPORT_FORMAT_LABELS: Record<ImportFormat, string> = {
  backup: 'Hoody Vault encrypted backup (.hvbackup)',
  json: 'Hoody Vault plain JSON export',
  env: '.env file',
  bitwarden: 'Bitwarden JSON export (unencrypted)',
  keepassxc: 'KeePassXC CSV export',
};

/** An import file read into memory in one piece (serve mode sends it over the socket). */
export const IMPORT_TEXT_MAX = 100 * 1024 * 1024;
/**
 * Serve mode sends the file's text in one WebSocket message, and the serve host takes messages of
 * up to 4 MiB (main/serve/host.ts): the window refuses a larger file before reading it. The desktop
 * app hands main the file's path instead, with no such limit.
 */
export const SERVE_IMPORT_MAX_BYTES = Math.floor(3.5 * 1024 * 1024);

export const BACKUP_RULES = {
  confirmPlaintext: 'must be true: a plain-text export holds every secret readable by anyone who gets the file',
  password: 'is needed to seal an encrypted backup',
  source: 'needs a file (fileId) or its text',
  text: `must be at most ${IMPORT_TEXT_MAX / 1024 / 1024} MB`,
} as const;

export const backupExportSchema = z
  .strictObject({
    jobId: jobIdSchema,
    kind: z.enum(EXPORT_KINDS, { error: 'must be encrypted, json or env' }),
    /** The export password (encrypted backups only): Argon2id turns it into the file's key. */
    password: passphraseSchema.optional(),
    /** Plain-text exports only: the person saw the warning and chose to go on. */
    confirmPlaintext: z.boolean().optional(),
  })
  .superRefine((value, ctx) => {
    if (value.kind === 'encrypted' && value.password === undefined) ctx.addIssue({ code: 'custom', message: BACKUP_RULES.password, path: ['password'] });
    if (value.kind !== 'encrypted' && value.confirmPlaintext !== true) ctx.addIssue({ code: 'custom', message: BACKUP_RULES.confirmPlaintext, path: ['confirmPlaintext'] });
  });
export type BackupExportInput = z.input<typeof backupExportSchema>;

export const backupPreviewSchema = z
  .strictObject({
    jobId: jobIdSchema,
    format: z.enum(IMPORT_FORMATS, { error: `must be one of ${IMPORT_FORMATS.join(', ')}` }),
    /** Electron: a file the preload registered (main reads it). */
    fileId: z.string().min(1).max(100).optional(),
    /** Serve mode: the file's text, read by the window. */
    text: z.string().max(IMPORT_TEXT_MAX, { error: BACKUP_RULES.text }).optional(),
    /** The password an encrypted backup was sealed with. */
    password: z.string().min(1).max(1024).optional(),
    /** One scope to put everything in; left out, a backup goes back to the scopes it came from (other formats: the global scope). */
    realmId: scopeSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.fileId === undefined) === (value.text === undefined)) ctx.addIssue({ code: 'custom', message: BACKUP_RULES.source, path: ['text'] });
  });
export type BackupPreviewInput = z.input<typeof backupPreviewSchema>;

export const backupImportSchema = z.strictObject({ jobId: jobIdSchema, importId: z.string().uuid({ error: 'must be the id a preview answered' }) });

export const backupInputSchemas = {
  'backup.export': backupExportSchema,
  'backup.preview': backupPreviewSchema,
  'backup.import': backupImportSchema,
  'backup.cancel': z.strictObject({ jobId: jobIdSchema }),
} satisfies Record<string, z.ZodType>;

export interface BackupCounts {
  secrets: number;
  files: number;
  scopes: number;
  /** Entries left out, with why (a value sealed with its own Hoody SDK password, one that does not open). */
  left: Array<{ realmId: string; key: string; reason: string }>;
}

export type BackupExportResult =
  | { status: 'dismissed' }
  | { status: 'cancelled'; done: number; total: number }
  | ({ status: 'saved'; path: string; fileName: string } & BackupCounts)
  | ({ status: 'download'; fileName: string; mimeType: string; content: string } & BackupCounts);

/** One entry of an import as it will be stored: where, under which name, and what it was called in the file. */
export interface ImportPreviewItem {
  realmId: string;
  key: string;
  kind: 'secret' | 'file';
  /** The name in the file (a title, a path in groups, a variable), when it differs from `key`. */
  source: string;
  /** Whether an entry of that name is in the scope already (the import compares values then). */
  exists: boolean;
}

export interface ImportPreview {
  importId: string;
  format: ImportFormat;
  items: ImportPreviewItem[];
  /** Things in the file that will not be imported (no value, an unknown item type…). */
  ignored: Array<{ source: string; reason: string }>;
}

export interface ImportOutcome {
  status: 'done' | 'cancelled' | 'failed';
  /** Stored by this run. */
  stored: string[];
  /** Already there with the same value: nothing to do (a second run skips what the first stored). */
  skipped: string[];
  /** Already there with another value: left as it is, for the person to decide. */
  conflicts: string[];
  /** The entry that failed, and why (the import stops there). */
  failed?: { key: string; message: string };
  /** Not attempted: after a failure or a cancel. */
  notStored: string[];
}

/** Entries are named `scope/key` in the lists above, the global scope as `global`. */
export const entryLabel = (realmId: string, key: string): string => `${realmId || 'global'}/${key}`;

export interface BackupProgress {
  jobId: string;
  phase: 'reading' | 'sealing' | 'writing';
  done: number;
  total: number;
}
