import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App.js';
import { useSandbox } from '../support/sandbox.js';
import { useTempDir } from '../support/temp-dir.js';
import { resetStores, signedInUser, windowOverCore } from './vault-harness.js';

// Issue 14 A, in the vault, where the window alone can show it (the rest, which needs a vault
// key made under Argon2id, is in test/e2e/daily-vault.spec.ts): each test fails without its fix.

const sandbox = useSandbox();
const tempDir = useTempDir();
beforeEach(resetStores);

describe('choosing a passphrase', { timeout: 20_000 }, () => {
  it('refuses a weak passphrase in the window, and main refuses it too', async () => {
    const core = await windowOverCore(await tempDir());
    await signedInUser(core, sandbox());
    const user = userEvent.setup();
    render(<App />);
    const field = await screen.findByLabelText('Vault passphrase');
    await user.type(field, 'password12');
    await user.type(screen.getByLabelText('Type it again'), 'password12');
    await user.click(screen.getByRole('checkbox', { name: /nobody can reset/ }));
    expect(await screen.findByText(/Passphrase is too easy to guess \((very weak|weak): less than a second offline\)/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create my vault' })).toBeDisabled();
    const refused = await core.dispatch('vault.setup', { passphrase: 'password12' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { passphrase: expect.stringMatching(/too easy to guess/) } } });
  });
});

describe('who may open what', { timeout: 20_000 }, () => {
  it('tells a banned user they are banned before offering a vault set-up', async () => {
    const core = await windowOverCore(await tempDir());
    await signedInUser(core, sandbox(), { isBanned: true });
    render(<App />);
    expect(await screen.findByRole('alert')).toHaveTextContent('This account is banned.');
    expect(screen.queryByRole('form', { name: 'Set up your vault' })).toBeNull();
    expect(screen.queryByLabelText('Vault passphrase')).toBeNull();
  });

  it('also when the ban came after signing in', async () => {
    const core = await windowOverCore(await tempDir());
    const { user } = await signedInUser(core, sandbox());
    sandbox().admin.setUserFlags(user.id, { isBanned: true });
    render(<App />);
    expect(await screen.findByRole('alert')).toHaveTextContent('This account is banned.');
    expect(screen.queryByLabelText('Vault passphrase')).toBeNull();
  });
});
