import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INFO_NOTICE_MS, useNotices } from '../../renderer/src/stores/notices.js';

// Issue 14 A.9: "Copied …", "Deleted …" stayed after they stopped being true.

beforeEach(() => {
  vi.useFakeTimers();
  useNotices.getState().dismiss();
});
afterEach(() => vi.useRealTimers());

describe('notices', () => {
  it('an information leaves by itself', () => {
    useNotices.getState().say('Copied github-token. The clipboard is cleared in 30 s.');
    expect(useNotices.getState().notice?.text).toMatch(/^Copied/);
    vi.advanceTimersByTime(INFO_NOTICE_MS - 1);
    expect(useNotices.getState().notice).toBeDefined();
    vi.advanceTimersByTime(1);
    expect(useNotices.getState().notice).toBeUndefined();
  });

  it('a problem stays until closed, and a newer message replaces an older one without being cut short by its timer', () => {
    useNotices.getState().say('Deleted a.');
    vi.advanceTimersByTime(INFO_NOTICE_MS - 100);
    useNotices.getState().say('The browser refused to copy.', { tone: 'error' });
    vi.advanceTimersByTime(INFO_NOTICE_MS * 10);
    expect(useNotices.getState().notice).toMatchObject({ tone: 'error', text: 'The browser refused to copy.' });
    useNotices.getState().dismiss(useNotices.getState().notice!.id);
    expect(useNotices.getState().notice).toBeUndefined();
  });
});
