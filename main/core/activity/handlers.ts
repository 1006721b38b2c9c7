import type { AccountsService } from '../accounts/accounts-service.js';
import type { AreaHandlers } from '../dispatch.js';
import type { EventBus } from '../event-bus.js';
import { ActivityService } from './activity-service.js';

// The activity log's handlers, spread into the core's dispatcher.

export interface ActivityDeps {
  accounts: AccountsService;
  events: EventBus;
  /** A native save dialog where main can show one (Electron); serve mode downloads in the window. */
  saveDialog?: (defaultName: string) => Promise<string | undefined>;
}

/** The service behind the handlers, made by the core so that closing the core can cancel its jobs. */
export function createActivityService({ accounts, events, saveDialog }: ActivityDeps): ActivityService {
  return new ActivityService({ accounts, events, saveDialog });
}

export function activityHandlers(accounts: AccountsService, service: ActivityService): AreaHandlers<'activity'> {
  return {
    'activity.query': (query) => accounts.client().activity(query),
    'activity.stats': () => service.stats(),
    'activity.loadFilters': () => service.loadFilters(),
    'activity.saveFilters': (preferences) => service.saveFilters(preferences),
    'activity.chart': (input) => service.chart(input),
    'activity.export': (input) => service.export(input),
    'activity.cancel': ({ jobId }) => service.cancel(jobId),
  };
}
