import { useCallback, useEffect, useState } from 'react';

// Compact rows (one line each) or comfortable ones (notes under the name). Compact is the default
// where the window is short, so a laptop screen shows a working list; the user's choice is kept.

export type RowDensity = 'compact' | 'comfortable';
const STORAGE_KEY = 'hoody-vault.row-density';
/** Below this window height, a comfortable list shows too few rows to work in. */
export const SHORT_WINDOW_PX = 900;

export function defaultDensity(height: number): RowDensity {
  return height < SHORT_WINDOW_PX ? 'compact' : 'comfortable';
}

function stored(): RowDensity | undefined {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value === 'compact' || value === 'comfortable' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function useRowDensity(): [RowDensity, (density: RowDensity) => void] {
  const [chosen, setChosen] = useState<RowDensity | undefined>(stored);
  const [height, setHeight] = useState(() => window.innerHeight);
  useEffect(() => {
    const onResize = () => setHeight(window.innerHeight);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  // One function for the component's life: the list it is given to is drawn again only on change.
  const choose = useCallback((density: RowDensity) => {
    setChosen(density);
    try {
      window.localStorage.setItem(STORAGE_KEY, density);
    } catch {
      // Not kept for next time; it still applies now.
    }
  }, []);
  return [chosen ?? defaultDensity(height), choose];
}
