import type { EventPayload } from '../../common/contract.js';
import type { EventName } from '../../common/operations.js';

export type EventListener = (event: EventName, payload: unknown) => void;

/** One subscription mechanism for every event; each transport subscribes once and forwards. */
export class EventBus {
  readonly #listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event, payload);
      } catch {
        // A broken transport must not stop the others from hearing the event.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
