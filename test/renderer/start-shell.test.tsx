import { act, screen } from '@testing-library/react';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderToStaticMarkup } from 'react-dom/server';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App.js';
import { AppFrame } from '../../renderer/src/components/AppFrame.js';
import { useTempDir } from '../support/temp-dir.js';
import { installBridge } from './bridge.js';

// The page carries the app's frame as plain HTML (renderer/index.html), so the window paints it as
// soon as the stylesheet arrives, before 430 KB of scripts are fetched, compiled and run. That
// copy must look like the frame React draws, and must be gone once React draws.

const tempDir = useTempDir();
let root: Root | undefined;
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
  document.body.innerHTML = '';
});

/** The `#root` element of the page as written (what the browser parses before any script runs). */
async function pageRoot(): Promise<HTMLElement> {
  const html = await readFile(join(process.cwd(), 'renderer', 'index.html'), 'utf8');
  const page = new DOMParser().parseFromString(html, 'text/html');
  return page.getElementById('root')!;
}

/** Markup without the whitespace between tags (the page is indented, React's output is not). */
const compact = (element: Element | null) => element?.outerHTML.replace(/>\s+</g, '><').trim();

describe('the frame the page carries before its scripts run', () => {
  it('is the frame React draws: the same sidebar brand, the same layout classes, and a status saying it is starting', async () => {
    const shell = await pageRoot();
    const drawn = document.createElement('div');
    drawn.innerHTML = renderToStaticMarkup(
      <AppFrame mode={undefined} views={[]}>
        {null}
      </AppFrame>,
    );
    expect(shell.querySelector('.frame > aside.sidebar > .brand')).not.toBeNull();
    expect(compact(shell.querySelector('.brand'))).toBe(compact(drawn.querySelector('.frame > aside.sidebar > .brand')));
    expect(shell.querySelector('.frame > main')?.id).toBe(drawn.querySelector('.frame > main')?.id);
    expect(shell.querySelector('.frame > main')?.className).toBe(drawn.querySelector('.frame > main')?.className);
    expect(shell.querySelector('main [role="status"]')?.textContent).toBe('Starting Hoody Vault…');
    // Plain markup only: nothing the CSP would refuse (no inline script or style).
    expect(shell.querySelectorAll('script, style, [style]')).toHaveLength(0);
  });

  it('is replaced by the app on its first render, as main.tsx mounts it: one frame, one main landmark', async () => {
    await installBridge(await tempDir());
    const shell = await pageRoot();
    document.body.append(shell);
    expect(screen.getByRole('status')).toHaveTextContent('Starting Hoody Vault…');
    root = createRoot(shell);
    act(() => root!.render(<App />));
    await screen.findByRole('heading', { level: 1, name: 'Sign in to Hoody Vault' });
    expect(document.querySelector('[data-start-shell]')).toBeNull();
    expect(document.querySelectorAll('.frame')).toHaveLength(1);
    expect(screen.getAllByRole('main')).toHaveLength(1);
    expect(screen.queryByText('Starting Hoody Vault…')).toBeNull();
  });
});
