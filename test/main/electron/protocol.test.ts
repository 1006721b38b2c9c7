import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ElectronMock } from '../../support/electron-mock.js';
import { useTempDir } from '../../support/temp-dir.js';

const holder = vi.hoisted(() => ({ electron: undefined as unknown as ElectronMock }));
vi.mock('electron', async () => {
  const { createElectronMock } = await import('../../support/electron-mock.js');
  holder.electron = createElectronMock();
  return holder.electron;
});

const { handleAppProtocol, registerAppScheme, respond } = await import('../../../main/electron/protocol.js');
const tempDir = useTempDir();

describe('the app:// protocol', () => {
  it('is registered as a standard, secure scheme', () => {
    registerAppScheme();
    expect(holder.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
  });

  it('serves the renderer with the strict CSP on every response, and nothing from other hosts', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<html></html>');
    handleAppProtocol(dir);
    const handler = holder.electron.protocol.handle.mock.calls[0]![1] as (req: { url: string }) => Promise<Response>;
    const page = await handler({ url: 'app://hoody/' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(await page.text()).toBe('<html></html>');
    expect((await respond(dir, 'app://elsewhere/')).status).toBe(404);
    expect((await respond(dir, 'app://hoody/../../etc/passwd')).status).toBe(404);
  });
});
