import { Copy, RefreshCw, Wand2 } from 'lucide-react';
import { useState } from 'react';
import { create } from 'zustand';
import {
  CHARSET_NAMES,
  DEFAULT_GENERATOR_OPTIONS,
  GENERATOR_LIMITS,
  PASSPHRASE_SEPARATORS,
  TOKEN_ALPHABETS,
  generate,
  generatorOptionsSchema,
  strengthLabel,
  type CharsetName,
  type Generated,
  type GeneratorKind,
  type GeneratorOptions,
  type TokenAlphabet,
} from '../../../../common/generator.js';
import { Dialog } from '../../components/Dialog.js';
import { copyAndClear } from '../../lib/clipboard.js';
import { sentence } from '../../lib/errors.js';
import '../../styles/generator.css';

// The generator, inside New secret / Edit ("Use this value") and on its own from the vault toolbar
// (copy). Options are remembered for the session, per kind, as password managers do.

const COPY_CLEAR_SECONDS = 30;
const KINDS: { kind: GeneratorKind; label: string }[] = [
  { kind: 'password', label: 'Password' },
  { kind: 'passphrase', label: 'Passphrase' },
  { kind: 'token', label: 'API token' },
];
const SET_LABELS: Record<CharsetName, string> = { lower: 'a–z', upper: 'A–Z', digits: '0–9', symbols: '!#$%…' };
const SEPARATOR_LABELS: Record<(typeof PASSPHRASE_SEPARATORS)[number], string> = { '-': 'Hyphen (-)', ' ': 'Space', '.': 'Dot (.)', _: 'Underscore (_)', ',': 'Comma (,)' };
const ALPHABET_LABELS: Record<TokenAlphabet, string> = { base62: 'Letters and digits (base62)', hex: 'Hexadecimal', base64url: 'URL-safe base64' };

interface GeneratorState {
  kind: GeneratorKind;
  options: typeof DEFAULT_GENERATOR_OPTIONS;
}
export const useGeneratorOptions = create<GeneratorState>()(() => ({ kind: 'password', options: DEFAULT_GENERATOR_OPTIONS }));

/** The problem with the options, by field, as a sentence, or nothing when they can be used. */
function problemOf(options: GeneratorOptions): { field: string; text: string } | undefined {
  const parsed = generatorOptionsSchema.safeParse(options);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path[0] ?? 'options');
  const names: Record<string, string> = { length: 'Length', sets: 'Characters', words: 'Words', separator: 'Separator', alphabet: 'Alphabet', prefix: 'Prefix' };
  return { field, text: sentence(`${names[field] ?? field} ${issue.message}`)! };
}

const draw = (options: GeneratorOptions): Generated | undefined => (problemOf(options) ? undefined : generate(options));

export function GeneratorPanel({ onUse }: { onUse?: (value: string) => void }) {
  const { kind, options: all } = useGeneratorOptions();
  const options = all[kind];
  const [result, setResult] = useState<Generated | undefined>(() => draw(options));
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const problem = problemOf(options);

  function change(next: GeneratorOptions) {
    useGeneratorOptions.setState((s) => ({ kind: next.kind, options: { ...s.options, [next.kind]: next } }));
    setResult(draw(next));
    setCopied('idle');
  }
  const set = <K extends GeneratorKind>(k: K, patch: Partial<(typeof DEFAULT_GENERATOR_OPTIONS)[K]>) => change({ ...all[k], ...patch } as GeneratorOptions);

  return (
    <div className="generator" role="group" aria-label="Generator">
      <div className="segmented" role="radiogroup" aria-label="Kind">
        {KINDS.map((k) => (
          <label key={k.kind} className={kind === k.kind ? 'selected' : undefined}>
            <input type="radio" name="generator-kind" checked={kind === k.kind} onChange={() => change(all[k.kind])} />
            {k.label}
          </label>
        ))}
      </div>

      {options.kind === 'password' && (
        <div className="generator-options">
          <LengthInput label="Length" value={options.length} min={GENERATOR_LIMITS.password.min} max={GENERATOR_LIMITS.password.max} onChange={(length) => set('password', { length })} />
          <fieldset className="generator-sets">
            <legend>Characters</legend>
            {CHARSET_NAMES.map((name) => (
              <label key={name} className="checkbox">
                <input
                  type="checkbox"
                  checked={options.sets.includes(name)}
                  onChange={(e) => set('password', { sets: e.target.checked ? [...options.sets, name] : options.sets.filter((s) => s !== name) })}
                />
                <span className="mono">{SET_LABELS[name]}</span>
              </label>
            ))}
            <label className="checkbox">
              <input type="checkbox" checked={options.avoidAmbiguous} onChange={(e) => set('password', { avoidAmbiguous: e.target.checked })} />
              Avoid look-alikes (0 O 1 l I …)
            </label>
          </fieldset>
        </div>
      )}

      {options.kind === 'passphrase' && (
        <div className="generator-options">
          <LengthInput label="Words" value={options.words} min={GENERATOR_LIMITS.words.min} max={GENERATOR_LIMITS.words.max} onChange={(words) => set('passphrase', { words })} />
          <label className="generator-field">
            Separator
            <select value={options.separator} onChange={(e) => set('passphrase', { separator: e.target.value as (typeof PASSPHRASE_SEPARATORS)[number] })}>
              {PASSPHRASE_SEPARATORS.map((s) => (
                <option key={s} value={s}>
                  {SEPARATOR_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={options.capitalize} onChange={(e) => set('passphrase', { capitalize: e.target.checked })} />
            Capitalise words
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={options.includeNumber} onChange={(e) => set('passphrase', { includeNumber: e.target.checked })} />
            Add a digit
          </label>
        </div>
      )}

      {options.kind === 'token' && (
        <div className="generator-options">
          <LengthInput label="Length" value={options.length} min={GENERATOR_LIMITS.token.min} max={GENERATOR_LIMITS.token.max} onChange={(length) => set('token', { length })} />
          <label className="generator-field">
            Alphabet
            <select value={options.alphabet} onChange={(e) => set('token', { alphabet: e.target.value as TokenAlphabet })}>
              {(Object.keys(TOKEN_ALPHABETS) as TokenAlphabet[]).map((a) => (
                <option key={a} value={a}>
                  {ALPHABET_LABELS[a]}
                </option>
              ))}
            </select>
          </label>
          <label className="generator-field">
            Prefix
            <input className="mono" spellCheck={false} value={options.prefix} placeholder="e.g. sk_live_" onChange={(e) => set('token', { prefix: e.target.value })} />
          </label>
        </div>
      )}

      {problem ? (
        <p className="field-error" role="alert">
          {problem.text}
        </p>
      ) : (
        result && (
          <>
            <output className="secret-box mono generator-value" aria-label="Generated value">
              {result.value}
            </output>
            <p className="generator-entropy small" aria-label="Entropy">
              <strong>{Math.floor(result.entropyBits)} bits</strong> of entropy · {strengthLabel(result.entropyBits)}
              {` · ${[...result.value].length} characters`}
            </p>
          </>
        )
      )}
      <div className="form-actions">
        <button type="button" className="button secondary" disabled={Boolean(problem)} onClick={() => change(options)}>
          <RefreshCw size={16} aria-hidden="true" /> Regenerate
        </button>
        <button
          type="button"
          className="button secondary"
          disabled={!result || Boolean(problem)}
          onClick={() => result && copyAndClear(result.value, COPY_CLEAR_SECONDS).then(() => setCopied('copied'), () => setCopied('failed'))}
        >
          <Copy size={16} aria-hidden="true" /> {copied === 'copied' ? `Copied (clears in ${COPY_CLEAR_SECONDS} s)` : copied === 'failed' ? 'Copy failed' : 'Copy'}
        </button>
        {onUse && (
          <button type="button" className="button primary" disabled={!result || Boolean(problem)} onClick={() => result && onUse(result.value)}>
            Use this value
          </button>
        )}
      </div>
    </div>
  );
}

function LengthInput({ label, value, min, max, onChange }: { label: string; value: number; min: number; max: number; onChange(value: number): void }) {
  // The text box may hold what is being typed (empty, out of range); the slider shows the last good value.
  const [text, setText] = useState(String(value));
  return (
    <div className="generator-length">
      <label className="generator-field">
        {label}
        <input type="number" min={min} max={max} value={text} onChange={(e) => (setText(e.target.value), onChange(e.target.value.trim() === '' ? Number.NaN : Number(e.target.value)))} />
      </label>
      <input type="range" aria-label={`${label} slider`} min={min} max={max} value={Number.isFinite(value) ? value : min} onChange={(e) => (setText(e.target.value), onChange(Number(e.target.value)))} />
    </div>
  );
}

/** Beside a value field: opens the generator under it; "Use this value" fills the field. */
export function GeneratorToggle({ onUse }: { onUse(value: string): void }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="generator-toggle">
      <button type="button" className="button secondary small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        <Wand2 size={14} aria-hidden="true" /> {open ? 'Close generator' : 'Generate a value'}
      </button>
      {open && <GeneratorPanel onUse={(value) => (onUse(value), setOpen(false))} />}
    </div>
  );
}

/** The vault toolbar's own "Generate" button: the generator in a dialog, to copy from. */
export function GeneratorButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button secondary" onClick={() => setOpen(true)}>
        <Wand2 size={16} aria-hidden="true" /> Generate
      </button>
      <Dialog open={open} onOpenChange={setOpen} title="Generate" description="A password, passphrase or API-token-like value, from this computer's secure random source.">
        <GeneratorPanel />
      </Dialog>
    </>
  );
}
