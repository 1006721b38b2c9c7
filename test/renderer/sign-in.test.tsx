import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App.js';
import { useAccounts } from '../../renderer/src/stores/accounts.js';
import { useNavigation } from '../../renderer/src/stores/navigation.js';
import { useProfile } from '../../renderer/src/stores/profile.js';
import { useSettings } from '../../renderer/src/stores/settings.js';
import { useSandbox } from '../support/sandbox.js';
import { useTempDir } from '../support/temp-dir.js';
import { installBridge } from './bridge.js';

const sandbox = useSandbox();
const tempDir = useTempDir();
beforeEach(() => {
  useNavigation.setState({ view: 'profile' });
  useSettings.setState({ settings: undefined, info: undefined, loadError: undefined });
  useAccounts.setState({ state: undefined, error: undefined });
  useProfile.getState().reset();
});

async function renderApp() {
  await installBridge(await tempDir(), undefined, { engine: { sleep: async () => {} } });
  const user = userEvent.setup();
  render(<App />);
  await screen.findByRole('heading', { level: 1, name: 'Sign in to Hoody Vault' });
  await user.click(screen.getByText('Another server'));
  await user.type(screen.getByLabelText('Server address'), sandbox().url);
  return user;
}

// Real sign-ins over HTTP to the sandbox: seconds each on a busy machine, so not the default 5 s.
describe('signing in', { timeout: 20_000 }, () => {
  it('without a keychain, says so plainly and signs in for this session only', async () => {
    const person = await sandbox().admin.createUser({ alias: 'Session Person' });
    const { token } = sandbox().admin.createApiToken({ userId: person.id, vaultAccess: true });
    const user = await renderApp();
    expect(screen.getByRole('note')).toHaveTextContent('Your system keychain is not available. No Secret Service in this test.');
    await user.click(screen.getByRole('radio', { name: 'API token' }));
    await user.type(screen.getByLabelText('Token'), 'hdy_wrong-token-value');
    await user.click(screen.getByRole('button', { name: 'Sign in for this session' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/credentials|token|accept/i);
    await user.clear(screen.getByLabelText('Token'));
    await user.type(screen.getByLabelText('Token'), token);
    await user.click(screen.getByRole('button', { name: 'Sign in for this session' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Profile' })).toBeInTheDocument();
    expect(await screen.findByText(person.id)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /^Account: Session Person/ })).toBeInTheDocument();
  });

  it('asks for the two-factor code and shows a wrong one at its field', async () => {
    const person = await sandbox().admin.createUser({ password: 'Two-Factor-Pass-1', totp: true });
    const user = await renderApp();
    await user.type(screen.getByLabelText('Username or email'), person.username);
    await user.type(screen.getByLabelText('Password'), 'Two-Factor-Pass-1');
    await user.click(screen.getByRole('button', { name: 'Sign in for this session' }));
    const code = await screen.findByLabelText('Authentication code');
    expect(screen.getByRole('button', { name: 'Verify' })).toBeDisabled();
    await user.type(code, '123456');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByText('Is not the current code.')).toBeInTheDocument();
    expect(code).toHaveAttribute('aria-invalid', 'true');
    await user.clear(code);
    await user.type(code, sandbox().admin.totpCode(person.id));
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByText(person.id)).toBeInTheDocument();
  });
});

describe('the profile forms', () => {
  async function signedIn(options: { isBanned?: boolean } = {}) {
    const person = await sandbox().admin.createUser({ password: 'Profile-Pass-123', ...options });
    const { token } = sandbox().admin.createApiToken({ userId: person.id, vaultAccess: true });
    const user = await renderApp();
    await user.click(screen.getByRole('radio', { name: 'API token' }));
    await user.type(screen.getByLabelText('Token'), token);
    await user.click(screen.getByRole('button', { name: 'Sign in for this session' }));
    await screen.findByText(person.id);
    return { person, user };
  }

  it('checks the new password as it is typed, with the server rules', async () => {
    const { user } = await signedIn();
    const form = screen.getByRole('form', { name: 'Change password' });
    const rules = within(form).getByRole('list', { name: 'Password rules' });
    const submit = within(form).getByRole('button', { name: 'Change password' });
    await user.type(within(form).getByLabelText('Current password'), 'Profile-Pass-123');
    await user.type(within(form).getByLabelText('New password'), 'short');
    expect(within(rules).getAllByLabelText('not met')).toHaveLength(3);
    await user.type(within(form).getByLabelText('New password'), 'ANDLONGER1');
    await user.type(within(form).getByLabelText('Confirm new password'), 'shortANDLONGER1');
    expect(within(rules).queryAllByLabelText('not met')).toHaveLength(0);
    expect(submit).toBeEnabled();
    await user.click(submit);
    expect(await within(form).findByText('Saved.')).toBeInTheDocument();
  });

  it("shows the server's refusal of a wrong current password at that field", async () => {
    const { user } = await signedIn();
    const form = screen.getByRole('form', { name: 'Change password' });
    await user.type(within(form).getByLabelText('Current password'), 'Not-My-Password');
    await user.type(within(form).getByLabelText('New password'), 'Fresh-Password-9');
    await user.type(within(form).getByLabelText('Confirm new password'), 'Fresh-Password-9');
    await user.click(within(form).getByRole('button', { name: 'Change password' }));
    const current = within(form).getByLabelText('Current password');
    await expect.poll(() => current.getAttribute('aria-invalid')).toBe('true');
  });

  it('refuses metadata that is not a JSON object, saying where it breaks', async () => {
    const { user, person } = await signedIn();
    const form = screen.getByRole('form', { name: 'Metadata' });
    const text = within(form).getByRole('textbox');
    const save = within(form).getByRole('button', { name: 'Save metadata' });
    await user.clear(text);
    await user.type(text, '[[1, 2]');
    expect(within(form).getByText(/Metadata must be a JSON object|not valid JSON/)).toBeInTheDocument();
    expect(save).toBeDisabled();
    await user.clear(text);
    await user.type(text, '{{"team": "blue"}');
    expect(within(form).getByRole('table', { name: 'Metadata entries' })).toHaveTextContent('teamblue');
    await user.click(save);
    expect(await within(form).findByText('Saved.')).toBeInTheDocument();
    expect(sandbox().admin.getUser(person.id)?.metadata).toEqual({ team: 'blue' });
  });

  it('shows the retry-setup result, then the wait after a 429', async () => {
    const { user } = await signedIn();
    const form = screen.getByRole('form', { name: 'Retry setup' });
    await user.type(within(form).getByLabelText(/Preferred region/), 'US EAST');
    expect(within(form).getByText(/Region must be lower-case letters/)).toBeInTheDocument();
    await user.clear(within(form).getByLabelText(/Preferred region/));
    await user.click(within(form).getByRole('button', { name: 'Retry setup' }));
    expect(await within(form).findByText('No: the account is set up.')).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Retry setup' }));
    expect(await within(form).findByText(/Try again in \d+ (seconds?|minutes?)/)).toBeInTheDocument();
    expect(within(form).getByRole('button', { name: 'Retry setup' })).toBeDisabled();
  });

  it('shows a banned user a read-only profile with a clear banner', async () => {
    await signedIn({ isBanned: true });
    expect(screen.getByText('This account is banned.')).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Alias' })).not.toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Change password' })).not.toBeInTheDocument();
  });
});
