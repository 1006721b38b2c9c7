import { ChevronLeft, ChevronRight } from 'lucide-react';
import type { ActivityRecord } from '../../../../common/hoody-types.js';
import { statusClass } from '../../../../common/activity.js';
import { Dialog } from '../../components/Dialog.js';
import { formatRelative } from '../../lib/format.js';
import { MethodBadge, RealmLabel, STATUS_CLASS_LABELS, StatusBadge } from './labels.js';

const fullTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

/** One call in full: time, method, path, status, IP address, user agent, realm and ids. */
export function RecordDetail({ records, index, onIndex, now }: { records: ActivityRecord[]; index: number | undefined; onIndex(index: number | undefined): void; now: number }) {
  const record = index === undefined ? undefined : records[index];
  const time = record?.created_at ? Date.parse(record.created_at) : Number.NaN;
  return (
    <Dialog open={record !== undefined} onOpenChange={(open) => !open && onIndex(undefined)} title="Call details" description={record ? `${record.method ?? ''} ${record.path ?? ''}`.trim() : undefined} wide>
      {record && (
        <>
          <table className="kv-table record-detail">
            <tbody>
              <tr>
                <th scope="row">Time</th>
                <td>
                  {Number.isNaN(time) ? (
                    '—'
                  ) : (
                    <>
                      <time dateTime={record.created_at}>{fullTime.format(time)}</time>
                      <span className="muted"> · {formatRelative(record.created_at, now)}</span>
                      <div className="muted small mono">{record.created_at}</div>
                    </>
                  )}
                </td>
              </tr>
              <tr>
                <th scope="row">Method</th>
                <td>
                  <MethodBadge method={record.method} />
                </td>
              </tr>
              <tr>
                <th scope="row">Path</th>
                <td className="mono wrap">{record.path ?? '—'}</td>
              </tr>
              <tr>
                <th scope="row">Status</th>
                <td>
                  <StatusBadge status={record.status_code} /> {record.status_code !== undefined && <span className="muted">{STATUS_CLASS_LABELS[statusClass(record.status_code)]}</span>}
                </td>
              </tr>
              <tr>
                <th scope="row">IP address</th>
                <td className="mono">{record.ip_address || '—'}</td>
              </tr>
              <tr>
                <th scope="row">User agent</th>
                <td className="wrap">{record.user_agent || '—'}</td>
              </tr>
              <tr>
                <th scope="row">Realm</th>
                <td>{record.realm_id ? <RealmLabel realmId={record.realm_id} /> : 'Global (no realm)'}</td>
              </tr>
              <tr>
                <th scope="row">Record ID</th>
                <td className="mono">{record.id ?? '—'}</td>
              </tr>
            </tbody>
          </table>
          <div className="dialog-actions detail-nav">
            <span className="muted small">
              Call {index! + 1} of {records.length} on this page
            </span>
            <button type="button" className="button secondary small" disabled={index === 0} onClick={() => onIndex(index! - 1)}>
              <ChevronLeft size={15} aria-hidden="true" /> Previous
            </button>
            <button type="button" className="button secondary small" disabled={index === records.length - 1} onClick={() => onIndex(index! + 1)}>
              Next <ChevronRight size={15} aria-hidden="true" />
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
