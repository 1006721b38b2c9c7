import { statusClass, type StatusClass } from '../../../../common/activity.js';

export const STATUS_CLASS_LABELS: Record<StatusClass, string> = {
  '2xx': '2xx success',
  '3xx': '3xx redirect',
  '4xx': '4xx client error',
  '5xx': '5xx server error',
  other: 'Other',
};

/** The status with its class's colour; the class is also in words for those who cannot tell colours apart. */
export function StatusBadge({ status }: { status: number | undefined }) {
  if (status === undefined) return <span className="muted">—</span>;
  const cls = statusClass(status);
  return (
    <span className={`status-badge status-${cls}`} title={STATUS_CLASS_LABELS[cls]}>
      {status}
    </span>
  );
}

export function MethodBadge({ method }: { method: string | undefined }) {
  if (!method) return <span className="muted">—</span>;
  return <span className={`method-badge method-${method.toLowerCase()}`}>{method}</span>;
}

/** A realm id, shortened in the table (the whole id is in its title and in the details). */
export function RealmLabel({ realmId, short }: { realmId: string | undefined; short?: boolean }) {
  if (!realmId) return <span className="muted">Global</span>;
  return (
    <span className="mono realm-id" title={realmId}>
      {short ? `${realmId.slice(0, 6)}…${realmId.slice(-4)}` : realmId}
    </span>
  );
}
