import { useMemo, useSyncExternalStore } from 'react';
import type { StatusClass } from '../../../../common/activity.js';

// Charts draw in SVG attributes, which cannot read CSS variables: the colours are read from the
// theme's variables (renderer/src/styles/activity.css) and read again whenever <html data-theme> changes.

export interface ChartColors {
  text: string;
  muted: string;
  border: string;
  grid: string;
  surface: string;
  cursor: string;
  status: Record<StatusClass, string>;
  methods: Record<string, string>;
  pathOk: string;
  pathErrors: string;
}

function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}

const themeName = () => document.documentElement.dataset.theme ?? 'light';

function readColors(): ChartColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#1b1e24'),
    muted: v('--text-muted', '#5b6270'),
    border: v('--border', '#dcdfe5'),
    grid: v('--chart-grid', '#e6e8ed'),
    surface: v('--surface', '#ffffff'),
    cursor: v('--chart-cursor', 'rgb(120 130 150 / 15%)'),
    status: {
      '2xx': v('--status-2xx', '#2f9e44'),
      '3xx': v('--status-3xx', '#1c7ed6'),
      '4xx': v('--status-4xx', '#e8590c'),
      '5xx': v('--status-5xx', '#c92a2a'),
      other: v('--status-other', '#868e96'),
    },
    methods: {
      GET: v('--method-get', '#3b5bdb'),
      POST: v('--method-post', '#0b7285'),
      PUT: v('--method-put', '#9c36b5'),
      PATCH: v('--method-patch', '#a85300'),
      DELETE: v('--method-delete', '#c2255c'),
      other: v('--status-other', '#868e96'),
    },
    pathOk: v('--chart-path', '#4c6ef5'),
    pathErrors: v('--status-4xx', '#e8590c'),
  };
}

export function useChartColors(): ChartColors {
  const theme = useSyncExternalStore(subscribe, themeName, () => 'light');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the theme is what changes the variables read
  return useMemo(() => readColors(), [theme]);
}
