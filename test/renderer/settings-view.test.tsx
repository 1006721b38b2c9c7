import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App.js';
import { useNavigation } from '../../renderer/src/stores/navigation.js';
import { useSettings } from '../../renderer/src/stores/settings.js';
import { useTempDir } from '../support/temp-dir.js';
import { installBridge, type Intercept } from './bridge.js';

const tempDir = useTempDir();
beforeEach(() => {
  useNavigation.setState({ view: 'settings' });
  useSettings.setState({ settings: undefined, info: undefined, loadError: undefined });
});

async function renderSettings(intercept?: Intercept) {
  const dataDir = await tempDir();
  await installBridge(dataDir, intercept);
  const user = userEvent.setup();
  render(<App />);
  const url = await screen.findByRole('textbox', { name: 'Hoody API server' });
  return { dataDir, user, url, minutes: screen.getByRole('spinbutton', { name: /idle minutes/ }), save: screen.getByRole('button', { name: 'Save changes' }) };
}

describe('the Settings view', () => {
  it('shows the current settings and the app facts', async () => {
    const { url, minutes } = await renderSettings();
    expect(url).toHaveValue('https://api.hoody.com');
    expect(minutes).toHaveValue(15);
    expect(screen.getByRole('radio', { name: 'Match system' })).toBeChecked();
    expect(screen.getByText('1.2.3')).toBeInTheDocument();
  });

  it('checks as you type and names the field and its rule', async () => {
    const { user, url, minutes, save } = await renderSettings();
    expect(save).toBeDisabled();
    await user.clear(url);
    await user.type(url, 'http://example.com');
    await user.tab();
    expect(url).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText(/Server address must start with https:\/\//)).toBeInTheDocument();
    await user.clear(minutes);
    await user.type(minutes, '2000');
    await user.tab();
    expect(screen.getByText('Auto-lock must be a whole number of minutes from 1 to 1440.')).toBeInTheDocument();
    await user.click(save);
    expect(screen.queryByText('Settings saved.')).not.toBeInTheDocument();
  });

  it('saves valid changes to the settings file and says so', async () => {
    const { dataDir, user, url, minutes, save } = await renderSettings();
    await user.clear(url);
    await user.type(url, 'http://127.0.0.1:4010/');
    await user.clear(minutes);
    await user.type(minutes, '5');
    await user.click(screen.getByRole('radio', { name: 'Dark' }));
    expect(screen.getByText('Unsaved changes.')).toBeInTheDocument();
    await user.click(save);
    expect(await screen.findByText('Settings saved.')).toBeInTheDocument();
    expect(url).toHaveValue('http://127.0.0.1:4010');
    const file = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'));
    expect(file).toEqual({ serverUrl: 'http://127.0.0.1:4010', autoLockMinutes: 5, theme: 'dark' });
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('discards unsaved changes', async () => {
    const { user, url } = await renderSettings();
    await user.type(url, 'x');
    await user.click(screen.getByRole('button', { name: 'Discard' }));
    expect(url).toHaveValue('https://api.hoody.com');
  });

  it("shows main's refusal at the field it names", async () => {
    const { user, minutes, save } = await renderSettings(async (op) =>
      op === 'settings.update'
        ? { ok: false, error: { code: 'INVALID_INPUT', message: 'no', fields: { autoLockMinutes: 'is locked by your administrator' } } }
        : undefined,
    );
    await user.clear(minutes);
    await user.type(minutes, '30');
    await user.click(save);
    expect(await screen.findByText('Is locked by your administrator.')).toBeInTheDocument();
    expect(minutes).toHaveAttribute('aria-invalid', 'true');
  });
});
