import type { Result } from './errors.js';
import type { EventName } from './operations.js';

// The serve-mode wire format over the WebSocket: calls go up with an id, answers and events come down.

export interface ClientMessage {
  id: number;
  op: string;
  input: unknown;
}

export type ServerMessage = { id: number; result: Result<unknown> } | { event: EventName; payload: unknown };

export function parseClientMessage(text: string): ClientMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, op, input } = value as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof op !== 'string') return undefined;
  return { id, op, input };
}
