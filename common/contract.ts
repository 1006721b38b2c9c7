import { z } from 'zod';
import type { OperationName, EventName } from './operations.js';
import { settingsPatchSchema, type Settings } from './settings.js';

// The IPC contract: for each operation its input schema (checked in main before any handler runs)
// and its result type; for each event its payload type.

const noInput = z.undefined({ error: 'takes no input' }).or(z.strictObject({}));

export const inputSchemas = {
  'app.info': noInput,
  'settings.get': noInput,
  'settings.update': settingsPatchSchema,
} satisfies Record<OperationName, z.ZodType>;

export type AppMode = 'electron' | 'serve';

export interface AppInfo {
  name: string;
  version: string;
  mode: AppMode;
  platform: string;
  versions: { node: string; electron?: string; chrome?: string };
  dataDir: string;
}

export interface OperationResults {
  'app.info': AppInfo;
  'settings.get': Settings;
  'settings.update': Settings;
}

export interface EventPayloads {
  'settings.changed': Settings;
}

export type OperationInput<K extends OperationName> = z.input<(typeof inputSchemas)[K]>;
export type ParsedInput<K extends OperationName> = z.output<(typeof inputSchemas)[K]>;
export type OperationResult<K extends OperationName> = OperationResults[K];
export type EventPayload<K extends EventName> = EventPayloads[K];

// Compile-time checks that no operation or event lacks a type.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const contractIsComplete: Exact<keyof OperationResults, OperationName> &
  Exact<keyof EventPayloads, EventName> = true;
