import { useMemo, useState, type FormEvent } from 'react';
import type { AppError } from '../../../common/errors.js';
import {
  AUTO_LOCK_MAX,
  AUTO_LOCK_MIN,
  DEFAULT_SERVER_URL,
  THEMES,
  autoLockMinutesSchema,
  serverUrlSchema,
  type Settings,
  type Theme,
} from '../../../common/settings.js';
import { Field } from '../components/Field.js';
import { ViewHeader } from '../components/ViewHeader.js';
import { useSettings } from '../stores/settings.js';
import { BackupSection } from './backup/BackupSection.js';

interface Draft {
  serverUrl: string;
  autoLockMinutes: string;
  theme: Theme;
}

const THEME_LABELS: Record<Theme, string> = { system: 'Match system', light: 'Light', dark: 'Dark' };

const toDraft = (s: Settings): Draft => ({ serverUrl: s.serverUrl, autoLockMinutes: String(s.autoLockMinutes), theme: s.theme });

/** Checks a draft with the same rules main applies; answers each bad field with its rule. */
export function checkDraft(draft: Draft): { patch?: Settings; errors: Partial<Record<keyof Draft, string>> } {
  const errors: Partial<Record<keyof Draft, string>> = {};
  const url = serverUrlSchema.safeParse(draft.serverUrl);
  if (!url.success) errors.serverUrl = `Server address ${url.error.issues[0]?.message ?? 'is not valid'}.`;
  const minutesText = draft.autoLockMinutes.trim();
  const minutes = autoLockMinutesSchema.safeParse(minutesText === '' ? Number.NaN : Number(minutesText));
  if (!minutes.success) errors.autoLockMinutes = `Auto-lock ${minutes.error.issues[0]?.message ?? 'is not valid'}.`;
  if (url.success && minutes.success) return { patch: { serverUrl: url.data, autoLockMinutes: minutes.data, theme: draft.theme }, errors };
  return { errors };
}

export function SettingsView() {
  const settings = useSettings((s) => s.settings);
  if (!settings) {
    return (
      <section className="view" aria-busy="true">
        <ViewHeader title="Settings" />
        <p className="muted">Loading settings…</p>
      </section>
    );
  }
  return <SettingsForm settings={settings} />;
}

function SettingsForm({ settings }: { settings: Settings }) {
  const info = useSettings((s) => s.info);
  const save = useSettings((s) => s.save);
  const [draft, setDraft] = useState<Draft>(() => toDraft(settings));
  const [touched, setTouched] = useState<Partial<Record<keyof Draft, boolean>>>({});
  const [serverError, setServerError] = useState<AppError | undefined>();
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved'>('idle');

  const check = useMemo(() => checkDraft(draft), [draft]);
  const dirty = JSON.stringify(toDraft(settings)) !== JSON.stringify(draft);

  const update = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setStatus('idle');
    setServerError(undefined);
  };
  const fieldError = (name: keyof Draft) => (touched[name] ? check.errors[name] : undefined) ?? serverFieldError(serverError, name);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setTouched({ serverUrl: true, autoLockMinutes: true, theme: true });
    if (!check.patch) return;
    setStatus('saving');
    const result = await save(check.patch);
    if (result.ok) {
      setDraft(toDraft(result.data));
      setTouched({});
      setStatus('saved');
    } else {
      setServerError(result.error);
      setStatus('idle');
    }
  }

  return (
    <section className="view">
      <ViewHeader title="Settings" description="How this app connects, locks and looks. Changes apply when you save them." />
      <form className="settings-form" onSubmit={onSubmit} noValidate aria-label="Settings">
        <fieldset className="card">
          <legend>Server</legend>
          <Field
            label="Hoody API server"
            hint={
              <>
                Hoody cloud is <code>{DEFAULT_SERVER_URL}</code>. Use https; plain http is accepted only for a server on this computer.
              </>
            }
            error={fieldError('serverUrl')}
          >
            <input
              type="url"
              inputMode="url"
              spellCheck={false}
              autoComplete="off"
              value={draft.serverUrl}
              onChange={(e) => update({ serverUrl: e.target.value })}
              onBlur={() => setTouched((t) => ({ ...t, serverUrl: true }))}
            />
          </Field>
          {draft.serverUrl !== DEFAULT_SERVER_URL && (
            <button type="button" className="button link" onClick={() => update({ serverUrl: DEFAULT_SERVER_URL })}>
              Use Hoody cloud
            </button>
          )}
        </fieldset>

        <fieldset className="card">
          <legend>Security</legend>
          <Field
            label="Lock the vault after this many idle minutes"
            hint={`From ${AUTO_LOCK_MIN} to ${AUTO_LOCK_MAX} minutes (a day). The vault also locks when the computer sleeps or its screen locks.`}
            error={fieldError('autoLockMinutes')}
          >
            <input
              type="number"
              inputMode="numeric"
              min={AUTO_LOCK_MIN}
              max={AUTO_LOCK_MAX}
              step={1}
              className="narrow"
              value={draft.autoLockMinutes}
              onChange={(e) => update({ autoLockMinutes: e.target.value })}
              onBlur={() => setTouched((t) => ({ ...t, autoLockMinutes: true }))}
            />
          </Field>
        </fieldset>

        <fieldset className="card">
          <legend>Appearance</legend>
          <div className="segmented" role="radiogroup" aria-label="Theme">
            {THEMES.map((theme) => (
              <label key={theme} className={draft.theme === theme ? 'selected' : undefined}>
                <input type="radio" name="theme" value={theme} checked={draft.theme === theme} onChange={() => update({ theme })} />
                {THEME_LABELS[theme]}
              </label>
            ))}
          </div>
        </fieldset>

        <div className="form-actions">
          <button type="submit" className="button primary" disabled={!dirty || status === 'saving'}>
            {status === 'saving' ? 'Saving…' : 'Save changes'}
          </button>
          <button
            type="button"
            className="button secondary"
            disabled={!dirty || status === 'saving'}
            onClick={() => {
              setDraft(toDraft(settings));
              setTouched({});
              setServerError(undefined);
            }}
          >
            Discard
          </button>
          <p className="form-status" role="status" aria-live="polite">
            {status === 'saved' ? 'Settings saved.' : serverError && !serverError.fields ? serverError.message : dirty ? 'Unsaved changes.' : ''}
          </p>
        </div>
      </form>

      <BackupSection />

      {info && (
        <section className="card about" aria-labelledby="about-title">
          <h2 id="about-title">About</h2>
          <dl>
            <dt>Version</dt>
            <dd>{info.version}</dd>
            <dt>Running as</dt>
            <dd>{info.mode === 'serve' ? 'Serve mode (browser window)' : 'Desktop app'}</dd>
            <dt>Platform</dt>
            <dd>{info.platform}</dd>
            <dt>Data folder</dt>
            <dd>
              <code>{info.dataDir}</code>
            </dd>
          </dl>
        </section>
      )}
    </section>
  );
}

function serverFieldError(error: AppError | undefined, name: string): string | undefined {
  const rule = error?.fields?.[name];
  return rule ? `${rule.charAt(0).toUpperCase()}${rule.slice(1)}.` : undefined;
}
