import type { ActivityResults, activityInputSchemas } from '../../../common/activity.js';
import type { z } from 'zod';
import type { Accounts } from '../accounts/accounts.js';
import type { EventBus } from '../event-bus.js';

// The activity log's handlers, spread into the core's dispatcher.

type Inputs = typeof activityInputSchemas;
export type ActivityHandlers = {
  [K in keyof Inputs]: (input: z.output<Inputs[K]>) => Promise<ActivityResults[K]> | ActivityResults[K];
};

export interface ActivityDeps {
  accounts: Accounts;
  events: EventBus;
  /** A native save dialog where main can show one (Electron); serve mode downloads in the window. */
  saveDialog?: (defaultName: string) => Promise<string | undefined>;
}

export function activityHandlers({ accounts }: ActivityDeps): ActivityHandlers {
  return {
    'activity.query': (query) => accounts.client().activity(query),
  };
}
