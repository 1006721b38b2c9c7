import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App.js';
import { useAccounts } from '../../renderer/src/stores/accounts.js';
import { useNavigation } from '../../renderer/src/stores/navigation.js';
import { SignInForm } from '../../renderer/src/views/SignInForm.js';
import { useSandbox } from '../support/sandbox.js';
import { useTempDir } from '../support/temp-dir.js';
import { resetStores, signedInUser, windowOverCore } from './vault-harness.js';

// Issue 14 A.5, A.14, A.20 and C: signing in, the sandbox, and Admin › Users.

const sandbox = useSandbox();
const tempDir = useTempDir();
beforeEach(resetStores);

describe('signing in', { timeout: 20_000 }, () => {
  it('asks before a second token for the same user replaces the first, and keeps the first when told to', async () => {
    const core = await windowOverCore(await tempDir());
    const { user: person } = await signedInUser(core, sandbox());
    const second = sandbox().admin.createApiToken({ userId: person.id, vaultAccess: true, name: 'second' });
    await useAccounts.getState().load();
    const user = userEvent.setup();
    let signedIn = 0;
    render(<SignInForm onSignedIn={() => (signedIn += 1)} />);
    await user.click(screen.getByText('Another server'));
    await user.type(screen.getByLabelText('Server address'), sandbox().url);
    await user.click(screen.getByRole('radio', { name: 'API token' }));
    await user.type(screen.getByLabelText('Token'), second.token);
    await user.click(screen.getByRole('button', { name: 'Sign in for this session' }));
    const ask = await screen.findByRole('alertdialog', { name: `Already signed in as ${person.username}` });
    expect(ask).toHaveTextContent(`${person.username} is already signed in on ${new URL(sandbox().url).host} with an API token. Replace it with this token?`);
    expect(signedIn).toBe(0);
    await user.click(within(ask).getByRole('button', { name: 'Keep the current one' }));
    expect(screen.getByRole('form', { name: 'Sign in' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Sign in for this session' }));
    await user.click(await screen.findByRole('button', { name: 'Replace it' }));
    await waitFor(() => expect(signedIn).toBe(1));
  });

  it('"Another server" takes the base URL or …/api/v1, says so, and keeps one account for both', async () => {
    const core = await windowOverCore(await tempDir());
    const person = await sandbox().admin.createUser();
    const { token } = sandbox().admin.createApiToken({ userId: person.id, vaultAccess: true });
    void core;
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Sign in to Hoody Vault' });
    await user.click(screen.getByText('Another server'));
    expect(screen.getByText(/with or without \/api\/v1/)).toBeInTheDocument();
    await user.type(screen.getByLabelText('Server address'), `${sandbox().url}/api/v1/`);
    await user.click(screen.getByRole('radio', { name: 'API token' }));
    await user.type(screen.getByLabelText('Token'), token);
    await user.click(screen.getByRole('button', { name: 'Sign in for this session' }));
    await waitFor(() => expect(useAccounts.getState().state?.accounts).toHaveLength(1));
    expect(useAccounts.getState().state!.accounts[0]!.serverUrl).toBe(sandbox().url);
  });

  it('says what the local sandbox is doing while it starts, and offers the two-factor demo user its code', async () => {
    const person = await sandbox().admin.createUser({ password: 'Sandbox-Demo-Pass-1', totp: true });
    let release: () => void = () => {};
    const started = new Promise<void>((resolve) => (release = resolve));
    // The sandbox program itself is not started here (it is a child process of the app); its answer is the real sandbox of this test.
    await windowOverCore(await tempDir(), async (op) => {
      if (op === 'app.info') return { ok: true, data: { name: 'Hoody Vault', version: 't', mode: 'serve', platform: 'linux', versions: { node: '20' }, dataDir: '/tmp', localSandbox: true } };
      if (op !== 'sandbox.start') return undefined;
      await started;
      return { ok: true, data: { url: sandbox().url, users: [{ username: person.username, password: 'Sandbox-Demo-Pass-1', isAdmin: false, isBanned: false, twoFactor: true, totpSecret: person.totpSecret! }] } };
    });
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByText('Local sandbox'));
    expect(await screen.findByText('Starting the local sandbox…')).toBeInTheDocument();
    expect(screen.getByText(/creating a fresh database with demo users/)).toBeInTheDocument();
    release();
    await user.click(await screen.findByRole('button', { name: `Use ${person.username}` }));
    await user.click(screen.getByRole('button', { name: 'Sign in for this session' }));
    await user.click(await screen.findByRole('button', { name: 'Fill in the current code' }));
    await waitFor(() => expect(screen.getByLabelText('Authentication code')).toHaveValue(sandbox().admin.totpCode(person.id)));
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    await waitFor(() => expect(useAccounts.getState().state?.accounts).toHaveLength(1));
  });
});

describe('Admin › Users', { timeout: 20_000 }, () => {
  async function asAdmin() {
    const core = await windowOverCore(await tempDir());
    const { user: admin } = await signedInUser(core, sandbox(), { isAdmin: true, alias: 'Ada Admin' });
    useNavigation.setState({ view: 'users' });
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Users' });
    return { admin, user };
  }

  it('says it opens a user by id, offers the ids seen in the activity log, and names whose alias it is', async () => {
    const { admin, user } = await asAdmin();
    const other = await sandbox().admin.createUser({ alias: 'Bob' });
    sandbox().admin.addActivity([{ userId: admin.id, method: 'GET', path: `/api/v1/users/${other.id}` }]);
    expect(screen.getByText(/has no list of users, so a user is opened by their ID/)).toBeInTheDocument();
    // The activity is read when the view opens: open it again.
    act(() => useNavigation.getState().go('vault'));
    act(() => useNavigation.getState().go('users'));
    const offered = await screen.findByRole('navigation', { name: 'Users to open' });
    await user.click(await within(offered).findByRole('button', { name: new RegExp(other.id) }));
    expect(await screen.findByRole('heading', { level: 2, name: /Bob/ })).toBeInTheDocument();
    expect(screen.getByText(new RegExp(`^The name shown for ${other.username}, 1 to \\d+ characters \\(3 now\\)\\.$`))).toBeInTheDocument();
    expect(screen.queryByText(/The name shown for you/)).toBeNull();
    // Opened once, offered again as a recent one.
    expect(within(offered).getByRole('button', { name: /Bob/ })).toHaveTextContent(other.id);
  });

  it('warns before an admin removes their own admin role', async () => {
    const { admin, user } = await asAdmin();
    await user.type(screen.getByLabelText('User ID'), admin.id);
    await user.click(screen.getByRole('button', { name: 'Open' }));
    await screen.findByRole('heading', { level: 2, name: /Ada Admin/ });
    await user.click(screen.getByRole('button', { name: 'Remove admin role' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Remove your own admin role' });
    expect(dialog).toHaveTextContent('This is your own account. You lose this Users page at once');
  });
});
