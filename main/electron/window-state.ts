import { join } from 'node:path';
import type { Rectangle } from 'electron';
import { readJsonFile, writeJsonFile } from '../core/index.js';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1180, height: 780, maximized: false };
const MIN = { width: 720, height: 520 };

const windowStatePath = (dataDir: string) => join(dataDir, 'window-state.json');

/**
 * The last size and position, if still sensible: a position is kept only when the window would
 * still be visible on one of today's displays (a monitor may have been unplugged since).
 */
export async function loadWindowState(dataDir: string, workAreas: Rectangle[]): Promise<WindowState> {
  const read = await readJsonFile(windowStatePath(dataDir)).catch(() => ({ state: 'missing' as const }));
  if (read.state !== 'ok' || typeof read.value !== 'object' || read.value === null) return { ...DEFAULT_WINDOW_STATE };
  const v = read.value as Record<string, unknown>;
  const int = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
  const state: WindowState = {
    width: int(v.width) ? Math.max(MIN.width, v.width) : DEFAULT_WINDOW_STATE.width,
    height: int(v.height) ? Math.max(MIN.height, v.height) : DEFAULT_WINDOW_STATE.height,
    maximized: v.maximized === true,
  };
  if (int(v.x) && int(v.y) && workAreas.some((area) => overlaps({ x: v.x as number, y: v.y as number, width: state.width, height: state.height }, area))) {
    state.x = v.x;
    state.y = v.y;
  }
  return state;
}

export function saveWindowState(dataDir: string, state: WindowState): Promise<void> {
  return writeJsonFile(windowStatePath(dataDir), state);
}

function overlaps(a: Rectangle, b: Rectangle): boolean {
  const margin = 64; // at least this much of the title bar must be reachable
  return a.x + a.width - margin > b.x && a.x + margin < b.x + b.width && a.y >= b.y - margin && a.y + margin < b.y + b.height;
}
