import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
  delete (window as { hoody?: unknown }).hoody;
});

// jsdom has no matchMedia; the theme follows a system preference that tests can flip.
let systemDark = false;
const queries = new Set<{ listener: () => void }>();
Object.defineProperty(window, 'matchMedia', {
  configurable: true,
  value: (query: string) => {
    const entry = { listener: () => {} };
    return {
      media: query,
      get matches() {
        return query.includes('dark') && systemDark;
      },
      addEventListener: (_: string, listener: () => void) => {
        entry.listener = listener;
        queries.add(entry);
      },
      removeEventListener: () => queries.delete(entry),
    };
  },
});

export function setSystemDark(dark: boolean): void {
  systemDark = dark;
  for (const entry of queries) entry.listener();
}
