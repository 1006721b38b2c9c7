import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from '@playwright/test';
import { launchChromium, PLAIN_PAGE, startBenchServe } from './browser.js';
import { report } from './measure.js';

// The window's start in serve mode, in Chromium, each load in a fresh browser context (nothing
// cached): the JavaScript fetched before the first contentful paint, and when that paint comes,
// against a plain page served by the same host. The first paint is the frame the page carries as
// plain HTML (renderer/index.html); when the sign-in form itself is shown (the scripts loaded and
// run, the bridge connected, the accounts read) is printed beside it, against the same baseline.

const RUNS = 7;
const KB = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

interface Load {
  paintMs: number;
  /** The frame after the sign-in heading entered the page (0 for the plain page). */
  signInMs: number;
  /**
   * Paths (from the page's URL) of the scripts whose response ended before the paint or, for the
   * app, before the sign-in form was shown, whichever is later: the page paints its frame before
   * its scripts arrive, so "before the paint" alone could leave out what the start really needs.
   */
  scripts: string[];
}

// Run in the page as text (tsx's transform would add helpers the page lacks), inside a function of
// `until`: the first contentful paint relative to navigation start, and the scripts whose response
// ended before it or `until`, whichever is later.
const FCP_SCRIPT = `new Promise((resolve) => {
  const done = (fcp) => resolve({
    paintMs: fcp,
    scripts: performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js') && r.responseEnd <= Math.max(fcp, until)).map((r) => new URL(r.name).pathname),
  });
  new PerformanceObserver((list, observer) => {
    const entry = list.getEntriesByName('first-contentful-paint')[0];
    if (entry) { observer.disconnect(); done(entry.startTime); }
  }).observe({ type: 'paint', buffered: true });
})`;

// The next frame after the sign-in heading is in the page, relative to navigation start.
const SIGN_IN_SCRIPT = `new Promise((resolve) => {
  const shown = () => requestAnimationFrame(() => resolve(performance.now()));
  if (document.getElementById('signin-title')) return shown();
  new MutationObserver((_, observer) => {
    if (document.getElementById('signin-title')) { observer.disconnect(); shown(); }
  }).observe(document, { childList: true, subtree: true });
})`;

async function load(browser: Browser, url: string, signIn: boolean): Promise<Load> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  const signInMs = signIn ? ((await page.evaluate(SIGN_IN_SCRIPT)) as number) : 0;
  const paint = (await page.evaluate(`((until) => ${FCP_SCRIPT})(${signInMs})`)) as { paintMs: number; scripts: string[] };
  await context.close();
  return { ...paint, signInMs };
}

export async function benchStartup(): Promise<void> {
  const serve = await startBenchServe();
  const browser = await launchChromium();
  try {
    const appUrl = serve.url;
    const plainUrl = `${serve.url}${PLAIN_PAGE}`;
    // One load of each first, unmeasured: the server's and the browser's first-run costs.
    await load(browser, appUrl, true);
    await load(browser, plainUrl, false);
    const app: Load[] = [];
    const plain: Load[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      app.push(await load(browser, appUrl, true));
      plain.push(await load(browser, plainUrl, false));
    }
    const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;

    // The bytes of every script loaded before the paint or the sign-in form in any run (raw, and gzip as a server would send it).
    const prefix = new URL(serve.url).pathname;
    const paths = [...new Set(app.flatMap((l) => l.scripts))];
    let raw = 0;
    let gzip = 0;
    const files: string[] = [];
    for (const path of paths) {
      const body = await readFile(join(serve.rendererDir, path.slice(prefix.length)));
      raw += body.length;
      gzip += gzipSync(body).length;
      files.push(`${path.slice(prefix.length)} ${KB(body.length)}`);
    }
    const paintApp = median(app.map((l) => l.paintMs));
    const paintPlain = median(plain.map((l) => l.paintMs));
    report(
      `Window start in serve mode, Chromium, fresh context each load, median of ${RUNS}: first contentful paint`,
      { label: 'app: its first paint (the frame the page carries as HTML)', ms: paintApp },
      { label: 'a plain page with one line of text, same host', ms: paintPlain },
    );
    process.stdout.write(`  goal:     app ≤ 2.5× the plain page; it is ${(paintApp / paintPlain).toFixed(2)}×\n`);
    const signIn = median(app.map((l) => l.signInMs));
    report(
      `The same loads: the sign-in form shown (scripts run, bridge connected, accounts read), median of ${RUNS}`,
      { label: 'app: the sign-in heading on screen', ms: signIn },
      { label: "a plain page's first contentful paint, same host", ms: paintPlain },
    );
    process.stdout.write(`  (no goal; for comparison) it is ${(signIn / paintPlain).toFixed(2)}× the plain page\n`);
    process.stdout.write(
      `\nJavaScript loaded before the first paint or the sign-in form, whichever is later: ${KB(raw)} (${KB(gzip)} gzip), goal ≤ 500 KB (≤ 150 KB gzip)\n` +
        `  baseline: the issue's measurement before lazy loading, 1.03 MB (300 KB gzip)\n` +
        files.map((f) => `  ${f}\n`).join(''),
    );
  } finally {
    await browser.close();
    await serve.close();
  }
}
