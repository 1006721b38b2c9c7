import { Activity, KeyRound, Settings as SettingsIcon, UserRound, UsersRound, type LucideIcon } from 'lucide-react';
import { useEffect, useRef, type ReactNode } from 'react';
import { VIEWS, VIEW_LABELS, shortcutNumber, useNavigation, type View } from '../stores/navigation.js';

const ICONS: Record<View, LucideIcon> = { vault: KeyRound, profile: UserRound, activity: Activity, users: UsersRound, settings: SettingsIcon };
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const shortcutLabel = (view: View) => `${isMac ? '⌘' : 'Ctrl+'}${shortcutNumber(view)}`;

/** The frame every view sits in: a navigation landmark on the left, the view on the right. */
export function AppFrame({ mode, views, signedIn = true, account, banner, children }: { mode: string | undefined; views: View[]; signedIn?: boolean; account?: ReactNode; banner?: ReactNode; children: ReactNode }) {
  const view = useNavigation((s) => s.view);
  const go = useNavigation((s) => s.go);
  const mainRef = useRef<HTMLElement>(null);

  // Ctrl/⌘ + 1…n switch views from anywhere, as in most desktop apps.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(isMac ? event.metaKey : event.ctrlKey) || event.altKey || event.shiftKey) return;
      const target = VIEWS[Number(event.key) - 1];
      if (target && views.includes(target)) {
        event.preventDefault();
        go(target);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, views]);

  // Move focus to the new view's heading, so keyboard and screen-reader users land in it.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [view]);

  return (
    <div className="frame">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand" aria-hidden="true">
          <span className="brand-mark">
            <KeyRound size={18} strokeWidth={2.4} />
          </span>
          <span className="brand-name">Hoody Vault</span>
        </div>
        <nav aria-label="Main">
          <ul>
            {views.map((name) => {
              const Icon = ICONS[name];
              const label = name === 'vault' && !signedIn ? 'Account' : VIEW_LABELS[name];
              return (
                <li key={name}>
                  <button
                    type="button"
                    className="nav-item"
                    aria-current={view === name ? 'page' : undefined}
                    aria-keyshortcuts={`${isMac ? 'Meta' : 'Control'}+${shortcutNumber(name)}`}
                    title={`${label} (${shortcutLabel(name)})`}
                    onClick={() => go(name)}
                  >
                    <Icon size={18} aria-hidden="true" />
                    <span>{label}</span>
                    <kbd aria-hidden="true">{shortcutLabel(name)}</kbd>
                  </button>
                </li>
              );
            })}
          </ul>
        </nav>
        {account}
        {mode && (
          <p className="mode-badge" title={mode === 'serve' ? 'Running in a browser window, served from this computer' : 'Desktop app'}>
            {mode === 'serve' ? 'Serve mode' : 'Desktop'}
          </p>
        )}
      </aside>
      <main id="main" ref={mainRef} className="content">
        {banner}
        {children}
      </main>
    </div>
  );
}
