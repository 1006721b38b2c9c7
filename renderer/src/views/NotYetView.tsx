import type { LucideIcon } from 'lucide-react';
import { ViewHeader } from '../components/ViewHeader.js';

/** A view whose capability is not in this version yet: says so plainly. */
export function NotYetView({ title, icon: Icon, headline, detail }: { title: string; icon: LucideIcon; headline: string; detail: string }) {
  return (
    <section className="view">
      <ViewHeader title={title} />
      <div className="empty-state card">
        <span className="empty-icon" aria-hidden="true">
          <Icon size={28} />
        </span>
        <h2>{headline}</h2>
        <p>{detail}</p>
      </div>
    </section>
  );
}
