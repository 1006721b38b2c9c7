// The activity log's operation and event names (zod-free: the preload imports this). Their schemas
// and result types are in `activity.ts`; `operations.ts` and `contract.ts` spread both in.

export const ACTIVITY_OPERATIONS = [
  'activity.query',
  'activity.stats',
  'activity.loadFilters',
  'activity.saveFilters',
  'activity.chart',
  'activity.export',
  'activity.cancel',
] as const;
export const ACTIVITY_EVENTS = ['activity.progress'] as const;
