import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App.js';
import { resolveTheme } from '../../renderer/src/lib/theme.js';
import { useNavigation } from '../../renderer/src/stores/navigation.js';
import { useSettings } from '../../renderer/src/stores/settings.js';
import { useTempDir } from '../support/temp-dir.js';
import { installBridge } from './bridge.js';
import { setSystemDark } from './setup.js';

const tempDir = useTempDir();
beforeEach(() => {
  useNavigation.setState({ view: 'vault' });
  useSettings.setState({ settings: undefined, info: undefined, loadError: undefined });
  setSystemDark(false);
});

describe('the app frame', () => {
  it('signed out, the navigation offers only what works: the sign-in screen (Account) and Settings', async () => {
    await installBridge(await tempDir());
    const user = userEvent.setup();
    render(<App />);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    await screen.findByRole('heading', { level: 1, name: 'Sign in to Hoody Vault' });
    const items = within(nav).getAllByRole('button');
    expect(items.map((b) => b.textContent?.replace(/(Ctrl\+|⌘)\d$/, ''))).toEqual(['Account', 'Settings']);
    expect(within(nav).getByRole('button', { name: /Account/ })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('form', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByRole('main')).toBeInTheDocument();
    await user.click(within(nav).getByRole('button', { name: /Settings/ }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toHaveFocus();
    await user.click(within(nav).getByRole('button', { name: /Account/ }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in to Hoody Vault' })).toBeInTheDocument();
  });

  it('keeps each shortcut whatever the role: Settings is Ctrl+5, Ctrl+1 the vault (or signing in)', async () => {
    await installBridge(await tempDir());
    const user = userEvent.setup();
    render(<App />);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('button', { name: /Settings/ })).toHaveAttribute('aria-keyshortcuts', 'Control+5');
    await user.keyboard('{Control>}4{/Control}');
    expect(screen.queryByRole('heading', { level: 1, name: 'Settings' })).toBeNull();
    await user.keyboard('{Control>}5{/Control}');
    expect(screen.getByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
    await user.keyboard('{Control>}1{/Control}');
    expect(within(nav).getByRole('button', { name: /Account/ })).toHaveAttribute('aria-current', 'page');
  });

  it('gives every control an accessible name', async () => {
    await installBridge(await tempDir());
    const user = userEvent.setup();
    render(<App />);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    for (const [view, heading] of [['Account', 'Sign in to Hoody Vault'], ['Settings', 'Settings']]) {
      await user.click(within(nav).getByRole('button', { name: new RegExp(view!) }));
      await screen.findByRole('heading', { level: 1, name: heading });
      for (const control of [...screen.queryAllByRole('button'), ...screen.queryAllByRole('textbox'), ...screen.queryAllByRole('spinbutton'), ...screen.queryAllByRole('radio'), ...screen.queryAllByRole('checkbox')]) {
        expect(control).toHaveAccessibleName();
      }
    }
  });
});

describe('themes', () => {
  it('resolves system to the system preference', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
  });

  it('follows the system live, and a saved theme wins over it', async () => {
    const core = await installBridge(await tempDir());
    render(<App />);
    await screen.findByText('Serve mode');
    expect(document.documentElement.dataset.theme).toBe('light');
    act(() => setSystemDark(true));
    expect(document.documentElement.dataset.theme).toBe('dark');
    await act(async () => {
      await core.dispatch('settings.update', { theme: 'light' });
    });
    expect(document.documentElement.dataset.theme).toBe('light');
  });
});
