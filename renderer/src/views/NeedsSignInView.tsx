import type { LucideIcon } from 'lucide-react';
import { ViewHeader } from '../components/ViewHeader.js';
import { useNavigation } from '../stores/navigation.js';

interface Props {
  title: string;
  icon: LucideIcon;
  need: string;
  detail: string;
}

/** What a view shows until its capability exists: what it will need, plainly, and where to go now. */
export function NeedsSignInView({ title, icon: Icon, need, detail }: Props) {
  const go = useNavigation((s) => s.go);
  return (
    <section aria-labelledby="view-title" className="view">
      <ViewHeader title={title} />
      <div className="empty-state card">
        <span className="empty-icon" aria-hidden="true">
          <Icon size={28} />
        </span>
        <h2 id="view-title">{need}</h2>
        <p>{detail}</p>
        <p className="muted">Signing in to a Hoody account is not available in this version yet.</p>
        <button type="button" className="button secondary" onClick={() => go('settings')}>
          Choose the server in Settings
        </button>
      </div>
    </section>
  );
}
