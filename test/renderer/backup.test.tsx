import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackupExportResult, ImportOutcome, ImportPreview } from '../../common/backup.js';
import type { VaultStatus } from '../../common/vault.js';
import { useBackup } from '../../renderer/src/stores/backup.js';
import { useVault } from '../../renderer/src/stores/vault.js';
import { BackupSection } from '../../renderer/src/views/backup/BackupSection.js';
import { useTempDir } from '../support/temp-dir.js';
import { installBridge } from './bridge.js';

// The Backup and import section over the real bridge and core (real input validation), with the
// backup operations answered here: under jsdom the core's libsodium cannot run (jsdom's typed arrays
// are another realm's), so what main does with them is tested in test/main/core/backup and, whole,
// in test/e2e/backup.spec.ts. This checks what the window sends and how it shows the answers.

const tempDir = useTempDir();
afterEach(() => {
  useBackup.setState({ job: undefined, exportNotice: undefined, exportError: undefined, preview: undefined, previewError: undefined, outcome: undefined });
  vi.unstubAllGlobals();
});

const unlocked: VaultStatus = { state: 'unlocked', accountId: 'a', failures: 0, retryAt: 0, allowedRealms: null, online: true, pendingChanges: 0 };
const REALM = 'abcdefabcdefabcdefabcdef';

async function openSection(answers: Record<string, (input: Record<string, unknown>) => unknown>) {
  const sent: Array<{ op: string; input: Record<string, unknown> }> = [];
  const core = await installBridge(await tempDir(), async (op, input) => {
    const answer = answers[op];
    if (op === 'vault.status') return { ok: true, data: unlocked };
    if (op === 'vault.realms') return { ok: true, data: { realms: [REALM], globalAllowed: true } };
    if (!answer) return undefined;
    // Input still goes through the core's own schema check first, as over IPC.
    const checked = await core.dispatch(op, input);
    sent.push({ op, input: input as Record<string, unknown> });
    if (!checked.ok && checked.error.code === 'INVALID_INPUT') return checked;
    return { ok: true, data: await answer(input as Record<string, unknown>) };
  });
  await useVault.getState().loadStatus();
  const user = userEvent.setup();
  render(<BackupSection />);
  await screen.findByRole('heading', { name: 'Export the vault' });
  return { user, sent, core };
}

describe('the Backup and import section', () => {
  it('exports in plain text only once the warning is acknowledged, and checks the export password', async () => {
    const blobs: Blob[] = [];
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: (blob: Blob) => (blobs.push(blob), 'blob:test'), revokeObjectURL: () => {} }));
    const download: BackupExportResult = { status: 'download', fileName: 'hoody-vault-PLAINTEXT-2026-11-28-2100.json', mimeType: 'application/json', content: '{"entries":[]}', secrets: 3, files: 1, scopes: 2, left: [] };
    const { user, sent } = await openSection({ 'backup.export': () => download });

    // Encrypted: the password follows the passphrase rule, and must be typed twice the same.
    await user.type(screen.getByLabelText('Export password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Export encrypted backup' }));
    expect(screen.getByText(/^The export password must be 10 to 1024 characters/)).toBeInTheDocument();
    await user.type(screen.getByLabelText('Export password'), ' but now long enough');
    await user.type(screen.getByLabelText('Repeat the export password'), 'something else');
    await user.click(screen.getByRole('button', { name: 'Export encrypted backup' }));
    expect(screen.getByText('The two passwords differ.')).toBeInTheDocument();
    expect(sent).toEqual([]);

    // Plain text: a warning, and nothing is asked of main until its box is ticked (keyboard only).
    screen.getByRole('radio', { name: /Plain-text JSON/ }).focus();
    await user.keyboard(' ');
    const warning = screen.getByRole('alert');
    expect(warning).toHaveTextContent('Every secret will be readable in this file.');
    await user.click(screen.getByRole('button', { name: 'Export in plain text' }));
    expect(screen.getByText('Tick the box to confirm you want the secrets in plain text.')).toBeInTheDocument();
    expect(sent).toEqual([]);
    within(warning).getByRole('checkbox', { name: 'I understand: write my secrets in plain text' }).focus();
    await user.keyboard(' ');
    await user.click(screen.getByRole('button', { name: 'Export in plain text' }));
    expect(await screen.findByText('Downloaded hoody-vault-PLAINTEXT-2026-11-28-2100.json with 3 secrets and 1 file from 2 scopes.')).toBeInTheDocument();
    expect(sent).toEqual([{ op: 'backup.export', input: { jobId: expect.any(String), kind: 'json', confirmPlaintext: true } }]);
    expect(await blobs[0]!.text()).toBe('{"entries":[]}');
  }, 60_000);

  it('imports: preview of the key names, progress with Cancel, then what was stored and what was not', async () => {
    const preview: ImportPreview = {
      importId: '6f8f9a52-0d5e-4c36-8c2d-b1f9c6f3a101',
      format: 'keepassxc',
      items: [
        { realmId: REALM, key: 'Work.AWS-root', kind: 'secret', source: 'Work/AWS root', exists: false },
        { realmId: REALM, key: 'Mail', kind: 'secret', source: 'Mail', exists: true },
      ],
      ignored: [{ source: 'Empty', reason: 'has no value to store' }],
    };
    let finish: (outcome: ImportOutcome) => void = () => {};
    const { user, sent } = await openSection({
      'backup.preview': () => preview,
      'backup.import': () => new Promise<ImportOutcome>((resolve) => (finish = resolve)),
      'backup.cancel': () => ({ cancelled: true }),
    });
    await user.selectOptions(screen.getByLabelText('File format'), 'KeePassXC CSV export');
    await user.selectOptions(screen.getByLabelText('Store into'), `Realm ${REALM}`);
    await user.click(screen.getByRole('button', { name: 'Read and preview' }));
    expect(screen.getByText('Choose the file to import.')).toBeInTheDocument();
    await user.upload(screen.getByLabelText('File'), new File(['"Group","Title","Username","Password","URL","Notes"\r\n'], 'db.csv', { type: 'text/csv' }));
    await user.click(screen.getByRole('button', { name: 'Read and preview' }));
    const table = await screen.findByRole('region', { name: 'Entries to import' });
    expect(sent[0]).toEqual({ op: 'backup.preview', input: { jobId: expect.any(String), format: 'keepassxc', text: '"Group","Title","Username","Password","URL","Notes"\r\n', realmId: REALM } });
    const rows = within(table).getAllByRole('row').slice(1).map((row) => within(row).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual([
      ['Work/AWS root', 'Work.AWS-root', REALM, 'secret', ''],
      ['Mail', 'Mail', REALM, 'secret', 'yes'],
    ]);
    expect(screen.getByText(/Empty has no value to store/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Import 2 entries' }));
    const bar = await screen.findByRole('progressbar', { name: 'Importing' });
    expect(bar).toHaveAttribute('aria-valuemax', '2');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(sent.at(-1)).toEqual({ op: 'backup.cancel', input: { jobId: (sent.at(-2)!.input as { jobId: string }).jobId } });
    finish({ status: 'cancelled', stored: [`${REALM}/Work.AWS-root`], skipped: [], conflicts: [], notStored: [`${REALM}/Mail`] });
    expect(await screen.findByText(/^Import cancelled\./)).toBeInTheDocument();
    expect(screen.getByText('Stored: 1')).toBeInTheDocument();
    expect(screen.getByText('Not stored: 1')).toBeInTheDocument();
    // The same import can be run again (what is stored is skipped then).
    expect(screen.getByRole('button', { name: 'Run the import again' })).toBeEnabled();
  }, 60_000);

  it('in serve mode, refuses before reading a file larger than one message to the serve host can hold', async () => {
    const { user, sent } = await openSection({ 'backup.preview': () => undefined });
    await user.selectOptions(screen.getByLabelText('File format'), '.env file');
    await user.upload(screen.getByLabelText('File'), new File(['A=1\n'.repeat(1_000_000)], 'huge.env', { type: 'text/plain' }));
    await user.click(screen.getByRole('button', { name: 'Read and preview' }));
    expect(await screen.findByText('The file is larger than the 3.5 MB the browser window can send; import it in the desktop app.')).toBeInTheDocument();
    expect(sent).toEqual([]);
  }, 60_000);
});
