import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRendererFile } from '../../../main/web/renderer-files.js';
import { contentSecurityPolicy } from '../../../main/web/security-headers.js';
import { useTempDir } from '../../support/temp-dir.js';

const tempDir = useTempDir();

describe('readRendererFile', () => {
  it('serves files inside the folder with their content type, index.html for the root', async () => {
    const parent = await tempDir();
    const dir = join(parent, 'renderer');
    await mkdir(join(dir, 'assets'), { recursive: true });
    await writeFile(join(dir, 'index.html'), '<html>');
    await writeFile(join(dir, 'assets', 'app.js'), 'js');
    await writeFile(join(parent, 'secret.txt'), 'outside');
    expect(await readRendererFile(dir, '/')).toMatchObject({ contentType: 'text/html; charset=utf-8' });
    expect((await readRendererFile(dir, '/assets/app.js'))?.contentType).toBe('text/javascript; charset=utf-8');
    for (const escape of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..\\secret.txt', '/%00', '/%E0%A4%A']) {
      expect(await readRendererFile(dir, escape), escape).toBeUndefined();
    }
    expect(await readRendererFile(dir, '/missing.js')).toBeUndefined();
  });
});

describe('contentSecurityPolicy', () => {
  it('allows only the app itself: no inline script, no eval, nothing remote', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(contentSecurityPolicy({ connect: ['ws://127.0.0.1:5000'] })).toContain("connect-src 'self' ws://127.0.0.1:5000");
  });
});
