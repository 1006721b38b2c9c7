import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import QRCode from 'qrcode';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/core.js';
import { TwoFactorCard } from '../../renderer/src/views/profile/TwoFactorCard.js';
import { useTwoFactor } from '../../renderer/src/stores/two-factor.js';
import { totpCode, totpUri } from '../../sandbox/auth/totp.js';
import type { CreatedUser } from '../../sandbox/server.js';
import { useSandbox } from '../support/sandbox.js';
import { useTempDir } from '../support/temp-dir.js';
import { installBridge } from './bridge.js';

// The Profile card against the real core and a real sandbox: what the person sees and types.

const sandbox = useSandbox();
const tempDir = useTempDir();
const PASSWORD = 'Two-Factor-Card-1';

beforeEach(() => {
  useTwoFactor.setState({ accountId: undefined, status: undefined, error: undefined, enrolment: undefined, backupCodes: undefined, loading: false });
});

async function signedIn(options: { totp?: boolean } = {}): Promise<{ core: Core; person: CreatedUser; user: ReturnType<typeof userEvent.setup> }> {
  const person = await sandbox().admin.createUser({ password: PASSWORD, ...options });
  const core = await installBridge(await tempDir(), undefined, { engine: { sleep: async () => {} } });
  const first = await core.accounts.signInWithPassword({ serverUrl: sandbox().url, login: person.username, password: PASSWORD, sessionOnly: true });
  if (first.status === 'two-factor') await core.accounts.verifyTwoFactor({ challengeId: first.challengeId, code: totpCode(person.totpSecret!) });
  const user = userEvent.setup();
  render(<TwoFactorCard account={core.accounts.active()!} />);
  return { core, person, user };
}

const codeList = () => within(screen.getByRole('list', { name: 'Backup codes' })).getAllByRole('listitem').map((li) => li.textContent!);

describe('turning two-factor sign-in on', () => {
  it('shows a QR code of the otpauth URL, refuses a wrong first code at its field, then shows the backup codes once', async () => {
    const { core, person, user } = await signedIn();
    expect(await screen.findByText('Off.')).toBeInTheDocument();
    const start = screen.getByRole('button', { name: 'Set up two-factor sign-in' });
    expect(start).toBeDisabled();
    await user.type(screen.getByLabelText('Your password'), 'wrong-password');
    await user.click(start);
    expect(await screen.findByText('Is not your current password.')).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Your password'));
    await user.type(screen.getByLabelText('Your password'), PASSWORD);
    await user.click(start);

    const key = await screen.findByLabelText('Setup key');
    const secret = key.textContent!.replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    // The picture is the QR code of the URL the server gave (which carries the same secret).
    const expected = await QRCode.toString(totpUri(secret, person.email!), { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
    const img = await screen.findByRole('img', { name: 'QR code for your authenticator app' });
    expect(img).toHaveAttribute('src', `data:image/svg+xml;charset=utf-8,${encodeURIComponent(expected)}`);

    const code = screen.getByLabelText('Code from your authenticator app');
    const confirm = screen.getByRole('button', { name: 'Confirm and turn on' });
    await user.type(code, '12345');
    expect(confirm).toBeDisabled();
    await user.clear(code);
    await user.type(code, String((Number(totpCode(secret)) + 500_000) % 1_000_000).padStart(6, '0'));
    await user.click(confirm);
    expect(await screen.findByText('Is not the current code from your authenticator app.')).toBeInTheDocument();
    await user.clear(code);
    await user.type(code, totpCode(secret));
    await user.click(confirm);

    await screen.findByRole('heading', { name: /Your backup codes/ });
    const codes = codeList();
    expect(codes).toHaveLength(10);
    const download = screen.getByRole('link', { name: 'Download as a file' });
    expect(download).toHaveAttribute('download', 'hoody-backup-codes.txt');
    expect(decodeURIComponent(download.getAttribute('href')!)).toContain(codes.join('\n'));
    const done = screen.getByRole('button', { name: 'Done' });
    expect(done).toBeDisabled();
    await user.click(screen.getByRole('checkbox', { name: /saved my backup codes/ }));
    await user.click(done);
    expect(await screen.findByText(/since .*10 backup codes left/)).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Backup codes' })).not.toBeInTheDocument();

    // Turning 2FA on ended every session: the core kept the new tokens the answer carried.
    expect(await core.dispatch('profile.get', undefined)).toMatchObject({ ok: true, data: { id: person.id } });
  });
});

describe('with two-factor sign-in on', () => {
  it('makes new backup codes with the app\'s code only (not a backup code)', async () => {
    const { person, user } = await signedIn({ totp: true });
    await user.click(await screen.findByText('Make new backup codes', { selector: 'summary' }));
    const form = screen.getByRole('form', { name: 'Make new backup codes' });
    await user.type(within(form).getByLabelText('Your password'), PASSWORD);
    const code = within(form).getByLabelText('Code from your authenticator app');
    const submit = within(form).getByRole('button', { name: 'Make new backup codes' });
    await user.type(code, person.backupCodes![0]!);
    expect(submit).toBeDisabled();
    await user.clear(code);
    await user.type(code, totpCode(person.totpSecret!));
    await user.click(submit);
    await screen.findByRole('heading', { name: /Your backup codes/ });
    const fresh = codeList();
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((c) => person.backupCodes!.includes(c))).toEqual([]);
  });

  it('turns off with the password and a backup code, and says so', async () => {
    const { person, user } = await signedIn({ totp: true });
    await user.click(await screen.findByText('Turn off two-factor sign-in', { selector: 'summary' }));
    const form = screen.getByRole('form', { name: 'Turn off' });
    await user.type(within(form).getByLabelText('Your password'), 'not-my-password');
    await user.type(within(form).getByLabelText(/or a backup code/), person.backupCodes![4]!);
    await user.click(within(form).getByRole('button', { name: 'Turn off' }));
    expect(await within(form).findByText('Is not your current password.')).toBeInTheDocument();
    await user.clear(within(form).getByLabelText('Your password'));
    await user.type(within(form).getByLabelText('Your password'), PASSWORD);
    await user.click(within(form).getByRole('button', { name: 'Turn off' }));
    expect(await screen.findByRole('button', { name: 'Set up two-factor sign-in' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Off.');
  });
});

describe('a server without two-factor management', () => {
  it('says so instead of naming the missing route', async () => {
    sandbox().faults.add({ path: '/api/v1/users/auth/2fa/status', status: 404, times: 1 });
    await signedIn();
    expect(await screen.findByRole('alert')).toHaveTextContent('This server does not offer two-factor sign-in settings.');
  });
});
