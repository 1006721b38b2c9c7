import { useLayoutEffect, useState } from 'react';
import type { VaultItem } from '../../../../common/vault.js';
import type { RowActions } from './EntryRow.js';

/** Every action, by name: a record, so that an action added to RowActions must be added here. */
const ACTIONS: Record<keyof RowActions, true> = { onReveal: true, onHide: true, onCopy: true, onEdit: true, onDelete: true, onEncrypt: true, onOpenFile: true, onSaveFile: true };

/** The actions last given, and actions that call whichever those are when used. */
class ForwardingActions {
  #latest: RowActions;
  readonly actions: RowActions;
  constructor(latest: RowActions) {
    this.#latest = latest;
    this.actions = Object.fromEntries((Object.keys(ACTIONS) as Array<keyof RowActions>).map((name) => [name, (item: VaultItem) => this.#latest[name](item)])) as unknown as RowActions;
  }

  /** From now on, the actions called are these. */
  follow(latest: RowActions): void {
    this.#latest = latest;
  }
}

/**
 * Row actions that stay the same object across renders and call the latest ones given: rows are
 * memoised, and a new set of callbacks on every render (each keystroke) would draw them all again.
 */
export function useStableActions(actions: RowActions): RowActions {
  const [forwarding] = useState(() => new ForwardingActions(actions));
  useLayoutEffect(() => {
    forwarding.follow(actions);
  });
  return forwarding.actions;
}
