import { Copy, Eye, EyeOff, RotateCcw } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { HistoryItem, ValueHistory } from '../../../../common/value-history.js';
import type { VaultItem } from '../../../../common/vault.js';
import { formatBytes, formatDateTime, formatRelative } from '../../lib/format.js';
import '../../styles/history.css';
import { copyCurrentValue, copyHistoryValue, loadHistory, openCurrentValue, openHistoryValue, restoreValue } from '../../stores/history-actions.js';

// What the Edit dialog shows of a secret besides the form: its current value and its earlier ones,
// each masked until asked for, with copy, and a one-click restore for an earlier one.

const MASK = '••••••••••••';

/** A value shown masked, opened on request (the open is a call to main, never made in advance). */
function MaskedValue({ label, open }: { label: string; open(): Promise<{ ok: true; data: string } | { ok: false; error: { message: string } }> }) {
  const [shown, setShown] = useState<{ text: string; failed: boolean } | undefined>();
  async function toggle() {
    if (shown) return setShown(undefined);
    const result = await open();
    setShown(result.ok ? { text: result.data, failed: false } : { text: result.error.message, failed: true });
  }
  return (
    <>
      <code className={`history-value mono${shown?.failed ? ' muted' : ''}`} aria-label={label} aria-live="polite">
        {shown ? shown.text : MASK}
      </code>
      <button type="button" className="icon-button" aria-label={shown ? `Hide ${label}` : `Show ${label}`} title={shown ? 'Hide' : 'Show'} onClick={() => void toggle()}>
        {shown ? <EyeOff size={16} aria-hidden="true" /> : <Eye size={16} aria-hidden="true" />}
      </button>
    </>
  );
}

/** The value as it is now, masked: editing starts from knowing what is there. */
/** What the dialog says after a copy or a restore (the list's notices are behind the dialog). */
export type Say = (text: string, tone: 'info' | 'error') => void;

const copiedText = (result: { ok: true; data: { clearAfterSeconds: number } } | { ok: false; error: { message: string } }, what: string): [string, 'info' | 'error'] =>
  result.ok ? [`Copied ${what}. The clipboard is cleared in ${result.data.clearAfterSeconds} s.`, 'info'] : [result.error.message, 'error'];

export function CurrentValue({ item, say }: { item: VaultItem; say: Say }) {
  return (
    <div className="field">
      <span className="field-label">Current value</span>
      <div className="history-row current-value">
        <MaskedValue label={`current value of ${item.key}`} open={() => openCurrentValue(item)} />
        <button
          type="button"
          className="icon-button"
          aria-label={`Copy the current value of ${item.key}`}
          title="Copy (cleared from the clipboard after 30 s)"
          onClick={async () => {
            say(...copiedText(await copyCurrentValue(item), 'the current value'));
          }}
        >
          <Copy size={16} aria-hidden="true" />
        </button>
      </div>
    </div>
  );
}

// With seconds: a key rotated twice in a minute still shows two dates that differ.
const withSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const when = (at: string) => (Number.isNaN(Date.parse(at)) ? formatDateTime(at) : withSeconds.format(Date.parse(at)));

/** The earlier values, newest first, with their dates; `version` changes reload them (after a restore). */
export function EarlierValues({ item, version, onRestored, say }: { item: VaultItem; version: number; onRestored(): void; say: Say }) {
  const [history, setHistory] = useState<ValueHistory | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [busyAt, setBusyAt] = useState<number | undefined>();

  useEffect(() => {
    let current = true;
    void loadHistory(item).then((result) => {
      if (!current) return;
      if (result.ok) {
        setHistory(result.data);
        setProblem(undefined);
      } else setProblem(result.error.message);
    });
    return () => {
      current = false;
    };
  }, [item, version]);

  async function restore(entry: HistoryItem) {
    setBusyAt(entry.index);
    const result = await restoreValue(item, entry, when(entry.at));
    setBusyAt(undefined);
    if (!result.ok) return say(result.error.message, 'error');
    say(`Restored the value from ${when(entry.at)}; the value it replaced is now the newest earlier value.`, 'info');
    onRestored();
  }

  return (
    <section className="earlier-values" aria-label="Earlier values">
      <h3 className="field-label">
        Earlier values{history && history.items.length > 0 ? ` (${history.items.length} of at most ${history.max})` : ''}
      </h3>
      {problem && <p className="hint">{problem}</p>}
      {history && history.items.length === 0 && <p className="hint">None yet. Each time you save a new value, the one it replaces is kept here, sealed with the entry (up to {history.max}).</p>}
      {history && history.items.length > 0 && (
        <ol className="history-list">
          {history.items.map((entry) => (
            <li key={`${entry.index}-${entry.at}`} className="history-row">
              <time dateTime={entry.at} title={formatRelative(entry.at)} className="small">
                {when(entry.at)}
              </time>
              <MaskedValue key={`${version}-${entry.index}`} label={`value of ${item.key} from ${when(entry.at)}`} open={() => openHistoryValue(item, entry)} />
              <span className="small muted">{formatBytes(entry.size)}</span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Copy the value of ${item.key} from ${when(entry.at)}`}
                title="Copy (cleared from the clipboard after 30 s)"
                onClick={async () => {
                  say(...copiedText(await copyHistoryValue(item, entry, when(entry.at)), `the value from ${when(entry.at)}`));
                }}
              >
                <Copy size={16} aria-hidden="true" />
              </button>
              <button type="button" className="button secondary small" aria-label={`Restore the value of ${item.key} from ${when(entry.at)}`} disabled={busyAt !== undefined} onClick={() => void restore(entry)}>
                <RotateCcw size={14} aria-hidden="true" /> {busyAt === entry.index ? 'Restoring…' : 'Restore'}
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
