import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/serve-process.js';

// What the window loads before its first paint: the entry script and everything it imports
// statically. The views, and above all the charts (Recharts and its dependencies), are split off
// and load when first shown. Reads the build made by the tests' global set-up.

const assets = join(repoRoot, 'out', 'renderer', 'assets');
const STATIC_IMPORT = /(?:^|[;}\s])import\s*(?:[\w$,{}\s*]+?\s*from\s*)?"\.\/([^"]+\.js)"/g;

async function staticClosure(entry: string): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const queue = [entry];
  while (queue.length) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    const code = await readFile(join(assets, name), 'utf8');
    seen.set(name, code);
    for (const match of code.matchAll(STATIC_IMPORT)) queue.push(match[1]!);
  }
  return seen;
}

async function entryScript(): Promise<string> {
  const html = await readFile(join(repoRoot, 'out', 'renderer', 'index.html'), 'utf8');
  const match = /<script type="module"[^>]*src="\.\/assets\/([^"]+\.js)"/.exec(html);
  expect(match, 'index.html names its entry script').not.toBeNull();
  return match![1]!;
}

describe('the first load of the window', () => {
  it('leaves Recharts out: only the Charts tab loads it', async () => {
    const first = await staticClosure(await entryScript());
    const chartChunks = [];
    for (const name of await readdir(assets)) {
      if (name.endsWith('.js') && (await readFile(join(assets, name), 'utf8')).includes('recharts-wrapper')) chartChunks.push(name);
    }
    expect(chartChunks.length).toBeGreaterThan(0);
    for (const name of chartChunks) expect([...first.keys()]).not.toContain(name);
  });

  it('stays within 500 KB of JavaScript', async () => {
    const first = await staticClosure(await entryScript());
    const bytes = [...first.values()].reduce((sum, code) => sum + Buffer.byteLength(code), 0);
    expect(first.size).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(500 * 1024);
  });
});
