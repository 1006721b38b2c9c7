import type { RevealedValue } from './entries.js';

// Copying a value: main writes the system clipboard where it can reach it (Electron) and clears it
// after 30 s if it still holds the value; serve mode hands the value to the window, which does the same.

export const CLIPBOARD_CLEAR_SECONDS = 30;

export interface ClipboardPort {
  writeText(text: string): Promise<void> | void;
  readText(): Promise<string> | string;
  clear(): Promise<void> | void;
}

export type CopyResult = { by: 'main' | 'renderer'; value?: string; clearAfterSeconds: number };

export class VaultClipboard {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly reveal: (realmId: string, key: string) => Promise<RevealedValue>,
    private readonly clipboard: ClipboardPort | undefined,
  ) {}

  async copy(realmId: string, key: string): Promise<CopyResult> {
    const { value } = await this.reveal(realmId, key);
    return this.copyValue(value);
  }

  /** Copies a value already opened (an earlier value from a secret's history). */
  async copyValue(value: string): Promise<CopyResult> {
    const clipboard = this.clipboard;
    if (!clipboard) return { by: 'renderer', value, clearAfterSeconds: CLIPBOARD_CLEAR_SECONDS };
    await clipboard.writeText(value);
    clearTimeout(this.#timer);
    // Deliberately not cleared on lock: the clipboard still holds the value then, and must still be emptied.
    this.#timer = setTimeout(async () => {
      // Only if it still holds the secret: something the user copied since is left alone.
      if ((await clipboard.readText()) === value) await clipboard.clear();
    }, CLIPBOARD_CLEAR_SECONDS * 1000);
    this.#timer.unref?.();
    return { by: 'main', clearAfterSeconds: CLIPBOARD_CLEAR_SECONDS };
  }
}
