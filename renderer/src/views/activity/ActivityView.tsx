import type { AccountSummary } from '../../../../common/accounts.js';
import { ViewHeader } from '../../components/ViewHeader.js';

export function ActivityView({ account }: { account: AccountSummary }) {
  return (
    <section className="view">
      <ViewHeader title="Activity" description={`API calls made with ${account.username}'s account.`} />
    </section>
  );
}
