import { useEffect } from 'react';
import type { Theme } from '../../../common/settings.js';

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

export function resolveTheme(theme: Theme, systemDark: boolean): 'light' | 'dark' {
  if (theme === 'system') return systemDark ? 'dark' : 'light';
  return theme;
}

/** Applies the theme to <html>, following the system's preference live when the theme is `system`. */
export function useThemeEffect(theme: Theme): void {
  useEffect(() => {
    const query = darkQuery();
    const apply = () => {
      document.documentElement.dataset.theme = resolveTheme(theme, query.matches);
    };
    apply();
    query.addEventListener('change', apply);
    return () => query.removeEventListener('change', apply);
  }, [theme]);
}
