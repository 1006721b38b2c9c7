import type { ReactNode } from 'react';

export function ViewHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="view-header">
      <div>
        {/* tabIndex -1: focus moves here on navigation without adding a tab stop */}
        <h1 tabIndex={-1}>{title}</h1>
        {description && <p className="view-description">{description}</p>}
      </div>
      {actions && <div className="view-actions">{actions}</div>}
    </header>
  );
}
