import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { BackupExportInput, BackupExportResult, BackupProgress, BackupPreviewInput, ImportOutcome, ImportPreview } from '../../../common/backup.js';
import { CoreError } from '../core-error.js';
import { DEFAULT_ARGON2, type Argon2Params } from '../crypto/kdf.js';
import type { FileRegistry } from '../files/file-registry.js';
import { writeFileAtomic } from '../storage/atomic-file.js';
import type { VaultPart } from '../vault/vault-part.js';
import { collectVault } from './collect.js';
import { payloadText, sealBackup } from './container.js';
import { envQuote } from './formats.js';
import { readImportFile } from './import-file.js';
import { runImport, type PlannedEntry } from './import-run.js';
import { JobCancelled, Jobs } from './jobs.js';
import { assignKeys } from './naming.js';
import type { BackupVaultPort } from './vault-port.js';

// Backup and move: exports of the whole vault and imports into it, as long jobs with progress
// events and cancellation. An import is read and previewed first; the opened entries wait here, in
// memory only, until the person imports them (or the vault locks, which drops them).

/** Serve mode hands an export to the window in one WebSocket message; past this it stops and says so. */
export const SERVE_EXPORT_MAX_BYTES = 100 * 1024 * 1024;

const MIME: Record<BackupExportInput['kind'], string> = { encrypted: 'application/json', json: 'application/json', env: 'text/plain' };
const EXTENSION: Record<BackupExportInput['kind'], string> = { encrypted: 'hvbackup', json: 'json', env: 'env' };

export interface BackupServiceOptions {
  vault: BackupVaultPort;
  files: FileRegistry;
  progress: (event: BackupProgress) => void;
  saveDialog?: ((defaultName: string) => Promise<string | undefined>) | undefined;
  argon2?: Argon2Params | undefined;
  now?: () => number;
}

export function exportFileName(kind: BackupExportInput['kind'], at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const plain = kind === 'encrypted' ? '' : '-PLAINTEXT';
  return `hoody-vault${plain}-${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}.${EXTENSION[kind]}`;
}

export class BackupService implements VaultPart {
  readonly #jobs = new Jobs();
  readonly #imports = new Map<string, { accountId: string; plan: PlannedEntry[] }>();

  constructor(private readonly options: BackupServiceOptions) {
    options.vault.register(this);
  }

  clearOnLock(): void {
    this.#imports.clear();
  }

  cancel(jobId: string): { cancelled: boolean } {
    return this.#jobs.cancel(jobId);
  }

  cancelAll(): void {
    this.#jobs.cancelAll();
  }

  #progress(jobId: string, phase: BackupProgress['phase']) {
    return (done: number, total: number) => this.options.progress({ jobId, phase, done, total });
  }

  async export(input: BackupExportInput): Promise<BackupExportResult> {
    const { vault, saveDialog } = this.options;
    vault.openVault();
    const startedAt = new Date(this.options.now?.() ?? Date.now());
    const fileName = exportFileName(input.kind, startedAt);
    // Ask where first: nobody should wait for a long export only to be asked afterwards.
    const path = saveDialog ? await saveDialog(fileName) : undefined;
    if (saveDialog && !path) return { status: 'dismissed' };
    const state = { done: 0, total: 0 };
    return this.#jobs.run(input.jobId, async (signal) => {
      const report = this.#progress(input.jobId, 'reading');
      let collected;
      try {
        collected = await collectVault(vault, signal, (done, total) => {
          Object.assign(state, { done, total });
          report(done, total);
        });
      } catch (error) {
        if (error instanceof JobCancelled) return { status: 'cancelled', ...state };
        throw error;
      }
      const { entries, counts } = collected;
      let content: string;
      if (input.kind === 'env') {
        content = envText(entries, startedAt);
        for (const entry of entries) if (entry.kind === 'file') counts.left.push({ realmId: entry.realm_id, key: entry.key, reason: 'is a file: .env holds text values only' });
      } else {
        content = payloadText(entries, startedAt);
        if (input.kind === 'encrypted') {
          this.#progress(input.jobId, 'sealing')(0, 1);
          content = await sealBackup(content, input.password!, this.options.argon2 ?? DEFAULT_ARGON2);
          this.#progress(input.jobId, 'sealing')(1, 1);
        }
      }
      if (signal.aborted) return { status: 'cancelled', ...state };
      if (path) {
        try {
          await writeFileAtomic(path, content);
        } catch (error) {
          throw new CoreError('STORAGE', `The export could not be written to ${path}: ${(error as Error).message}`, { cause: error });
        }
        return { status: 'saved', path, fileName: path.split(/[\\/]/).pop() ?? fileName, ...counts };
      }
      if (Buffer.byteLength(content) > SERVE_EXPORT_MAX_BYTES) {
        throw new CoreError('NOT_AVAILABLE', `This export is larger than the ${SERVE_EXPORT_MAX_BYTES / 1024 / 1024} MB this window can download in serve mode; use the desktop app.`);
      }
      return { status: 'download', fileName, mimeType: MIME[input.kind], content, ...counts };
    });
  }

  /** Reads an import file, names its entries, and says which names are taken; stores nothing. */
  async preview(input: BackupPreviewInput): Promise<ImportPreview> {
    const { vault } = this.options;
    const open = vault.openVault();
    let text = input.text;
    if (input.fileId !== undefined) {
      const file = this.options.files.resolve(input.fileId);
      text = await readFile(file.path, 'utf8');
    }
    return this.#jobs.run(input.jobId, async () => {
      this.#progress(input.jobId, 'reading')(0, 1);
      const parsed = await readImportFile(text ?? '', input);
      const placed = parsed.records.map((record) => ({ ...record, realmId: input.realmId ?? record.realmId ?? '' }));
      const keys = assignKeys(placed);
      const plan: PlannedEntry[] = placed.map((record, i) => ({ realmId: record.realmId, key: keys[i]!, record }));
      const taken = new Map<string, Set<string>>();
      for (const realmId of new Set(plan.map((e) => e.realmId))) {
        const listing = await vault.list(realmId);
        taken.set(realmId, new Set(listing.entries.map((e) => e.key)));
      }
      const importId = randomUUID();
      this.#imports.set(importId, { accountId: open.accountId, plan });
      this.#progress(input.jobId, 'reading')(1, 1);
      return {
        importId,
        format: input.format,
        items: plan.map((e) => ({ realmId: e.realmId, key: e.key, kind: e.record.kind, source: e.record.source, exists: taken.get(e.realmId)?.has(e.key) ?? false })),
        ignored: parsed.ignored,
      };
    });
  }

  /** Stores a previewed import. It stays here after a failure or a cancel, so it can be run again. */
  async import(input: { jobId: string; importId: string }): Promise<ImportOutcome> {
    const { vault } = this.options;
    const open = vault.openVault();
    const pending = this.#imports.get(input.importId);
    if (!pending || pending.accountId !== open.accountId) throw new CoreError('NOT_FOUND', 'That import is no longer open here (the vault locked, or the account changed): choose the file again.', { fields: { importId: 'is not an open import' } });
    return this.#jobs.run(input.jobId, async (signal) => {
      const outcome = await runImport(vault, pending.plan, input.jobId, signal, this.#progress(input.jobId, 'writing'));
      if (outcome.status === 'done') this.#imports.delete(input.importId);
      return outcome;
    });
  }
}

/** `.env`: one `KEY="value"` line per secret, each scope under a `# scope:` comment. */
function envText(entries: ReadonlyArray<{ kind: string; realm_id: string; key: string; value?: string }>, at: Date): string {
  const lines = [`# Hoody Vault plain-text export, ${at.toISOString()}. Every value below is readable by anyone with this file.`];
  let scope: string | undefined;
  for (const entry of entries) {
    if (entry.kind !== 'secret') continue;
    if (entry.realm_id !== scope) {
      scope = entry.realm_id;
      lines.push('', `# scope: ${scope || 'global'}`);
    }
    lines.push(`${entry.key}=${envQuote(entry.value ?? '')}`);
  }
  return `${lines.join('\n')}\n`;
}
