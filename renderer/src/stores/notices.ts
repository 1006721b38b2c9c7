import { create } from 'zustand';

// Short messages about what just happened ("Copied …", "Deleted …"). They are true only for a
// while, so an information leaves by itself; a problem stays until the user closes it or the next
// message replaces it. What lasts (waiting changes, offline) is shown from the state itself.

export const INFO_NOTICE_MS = 6_000;

export interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'error';
}

interface NoticesStore {
  notice: Notice | undefined;
  /** Shows a message; an information goes after `ms` (default INFO_NOTICE_MS), an error stays. */
  say(text: string, options?: { tone?: Notice['tone']; ms?: number }): void;
  dismiss(id?: number): void;
}

let seq = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

export const useNotices = create<NoticesStore>()((set, get) => ({
  notice: undefined,
  say(text, options = {}) {
    const tone = options.tone ?? 'info';
    const id = ++seq;
    if (timer) clearTimeout(timer);
    timer = undefined;
    set({ notice: { id, text, tone } });
    if (tone === 'info') timer = setTimeout(() => get().dismiss(id), options.ms ?? INFO_NOTICE_MS);
  },
  dismiss(id) {
    if (id !== undefined && get().notice?.id !== id) return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    set({ notice: undefined });
  },
}));

export const say = (text: string, options?: { tone?: Notice['tone']; ms?: number }): void => useNotices.getState().say(text, options);
export const sayError = (text: string): void => useNotices.getState().say(text, { tone: 'error' });
