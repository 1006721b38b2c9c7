import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/serve-process.js';

// Electronegativity (Doyensec's Electron scanner) over the app's Electron code: every finding is
// either fixed or reviewed in docs/electronegativity-reviewed.json, with a reason. CI also runs
// the same check as its own step (scripts/electronegativity.mjs) before the tests.

interface Finding {
  id: string;
  file: string;
  line: number;
}
interface Scanner {
  scan(inputs?: string[], base?: string): Promise<Finding[]>;
  compare(findings: Finding[], reviewed: Array<{ id: string; file: string; reason: string }>): { unreviewed: Finding[]; stale: unknown[]; unjustified: unknown[] };
  REVIEWED_FILE: string;
}
// @ts-expect-error: plain JavaScript module without types
const scanner = (await import('../../scripts/electronegativity.mjs')) as Scanner;

describe('Electronegativity', () => {
  it('finds nothing in the app that is not fixed or reviewed, and no review that is stale', async () => {
    const findings = await scanner.scan();
    const reviewed = (JSON.parse(await readFile(scanner.REVIEWED_FILE, 'utf8')) as { reviewed: Array<{ id: string; file: string; reason: string }> }).reviewed;
    const result = scanner.compare(findings, reviewed);
    console.log(`electronegativity: ${findings.length} findings, ${findings.length - result.unreviewed.length} reviewed, ${result.unreviewed.length} not reviewed`);
    expect(result).toEqual({ unreviewed: [], stale: [], unjustified: [] });
    // The checks that a helper used to hide now see the window's real flags.
    expect(findings.map((f) => f.id)).not.toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK']));
    expect(findings.map((f) => f.id)).not.toEqual(expect.arrayContaining(['SANDBOX_JS_CHECK']));
    expect(findings.map((f) => f.id)).not.toEqual(expect.arrayContaining(['AUXCLICK_JS_CHECK']));
  }, 120_000);

  it('does report an insecure window, so a clean scan means something', async () => {
    const findings = await scanner.scan(['insecure-electron'], join(repoRoot, 'test/security/fixtures'));
    const ids = findings.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'HTTP_RESOURCES_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']));
    expect(scanner.compare(findings, []).unreviewed.length).toBe(findings.length);
  }, 120_000);
});
