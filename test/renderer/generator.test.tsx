import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { EFF_WORDS } from '../../common/eff-words.js';
import { CHARSETS, DEFAULT_GENERATOR_OPTIONS } from '../../common/generator.js';
import { EntryEditor } from '../../renderer/src/views/vault/EntryEditor.js';
import { GeneratorButton, GeneratorPanel, useGeneratorOptions } from '../../renderer/src/views/vault/GeneratorPanel.js';

// The generator as a person uses it: choose a kind and options, see the value and its entropy,
// copy it, or use it in New secret.

beforeEach(() => {
  useGeneratorOptions.setState({ kind: 'password', options: DEFAULT_GENERATOR_OPTIONS });
});

const value = () => screen.getByLabelText('Generated value').textContent!;
const bits = () => Number(/(\d+) bits/.exec(screen.getByLabelText('Entropy').textContent!)![1]);

describe('the generator panel', () => {
  it('makes a 20-character password of every set by default, and follows the length and sets chosen', async () => {
    const user = userEvent.setup();
    render(<GeneratorPanel />);
    expect(value()).toHaveLength(20);
    for (const set of Object.values(CHARSETS)) expect([...value()].some((c) => set.includes(c))).toBe(true);
    expect(bits()).toBeGreaterThanOrEqual(125);

    const length = screen.getByRole('spinbutton', { name: 'Length' });
    await user.clear(length);
    await user.type(length, '32');
    expect(value()).toHaveLength(32);
    await user.click(screen.getByRole('checkbox', { name: '!#$%…' }));
    expect(value()).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(bits()).toBe(Math.floor(Math.log2(62 ** 32 - 2 * 36 ** 32 - 52 ** 32 + 10 ** 32 + 2 * 26 ** 32)));

    for (const name of ['a–z', 'A–Z', '0–9']) await user.click(screen.getByRole('checkbox', { name }));
    expect(screen.getByRole('alert')).toHaveTextContent('Characters must include at least one character set.');
    expect(screen.queryByLabelText('Generated value')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Copy/ })).toBeDisabled();

    await user.click(screen.getByRole('checkbox', { name: '0–9' }));
    await user.clear(length);
    await user.type(length, '7');
    expect(screen.getByRole('alert')).toHaveTextContent('Length must be a whole number from 8 to 128.');
  });

  it('makes EFF-word passphrases and API-token-like strings, regenerates, and copies', async () => {
    const user = userEvent.setup();
    render(<GeneratorPanel />);
    await user.click(screen.getByRole('radio', { name: 'Passphrase' }));
    const words = value().split('-');
    expect(words).toHaveLength(6);
    for (const word of words) expect(EFF_WORDS).toContain(word);
    expect(bits()).toBe(77);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Separator' }), ' ');
    expect(value().split(' ')).toHaveLength(6);

    await user.click(screen.getByRole('radio', { name: 'API token' }));
    await user.type(screen.getByRole('textbox', { name: 'Prefix' }), 'sk_live_');
    expect(value()).toMatch(/^sk_live_[0-9A-Za-z]{40}$/);
    const before = value();
    await user.click(screen.getByRole('button', { name: 'Regenerate' }));
    expect(value()).not.toBe(before);
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await screen.findByRole('button', { name: /Copied \(clears in 30 s\)/ })).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(value());

    await user.type(screen.getByRole('textbox', { name: 'Prefix' }), ' x');
    expect(screen.getByRole('alert')).toHaveTextContent('Prefix must be at most 16 letters, digits, underscores or hyphens.');
  });

  it('opens from the vault toolbar button in a dialog', async () => {
    const user = userEvent.setup();
    render(<GeneratorButton />);
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    const dialog = await screen.findByRole('dialog', { name: 'Generate' });
    expect(within(dialog).getByLabelText('Generated value').textContent).toHaveLength(20);
    expect(within(dialog).queryByRole('button', { name: 'Use this value' })).not.toBeInTheDocument();
  });
});

describe('in New secret', () => {
  it('fills the value field with the generated value', async () => {
    const user = userEvent.setup();
    render(<EntryEditor remainingBytes={1_000_000} onClose={() => {}} />);
    await user.click(await screen.findByRole('button', { name: 'Generate a value' }));
    await user.click(screen.getByRole('radio', { name: 'Passphrase' }));
    const generated = value();
    await user.click(screen.getByRole('button', { name: 'Use this value' }));
    expect(screen.getByRole('textbox', { name: 'Value' })).toHaveValue(generated);
    expect(screen.queryByRole('group', { name: 'Generator' })).not.toBeInTheDocument();
  });
});
