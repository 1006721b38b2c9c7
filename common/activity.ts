import { z } from 'zod';
import type { ActivityRecord, PageMetadata } from './hoody-types.js';
import { activityQuerySchema } from './rules.js';

// The activity log in the contract: input schemas and result types, spread into contract.ts.

export const activityInputSchemas = {
  'activity.query': activityQuerySchema,
} satisfies Record<string, z.ZodType>;

export interface ActivityResults {
  'activity.query': { records: ActivityRecord[]; metadata: PageMetadata };
}

/** Progress of a long job (charts over many pages, an export): pages fetched of the pages to fetch. */
export interface ActivityProgress {
  jobId: string;
  done: number;
  total: number;
  records: number;
}

export interface ActivityEventPayloads {
  'activity.progress': ActivityProgress;
}
