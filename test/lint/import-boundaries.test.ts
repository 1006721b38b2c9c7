import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// The import-boundary rule, exercised through ESLint with the project's own configuration, one
// line of code per case. Whether the whole code base keeps the rules is not checked here: that is
// `npm run lint` (`eslint .`, where these are errors), a step of its own in CI (.ci/run). Linting
// every file inside a test put minutes of work under a per-test timeout on a busy machine.
const eslint = new ESLint({ cwd: fileURLToPath(new URL('../..', import.meta.url)) });

// Loading the configuration and the TypeScript parser is the one slow step: done once, before the
// cases, with a ceiling of its own.
beforeAll(async () => {
  await eslint.lintText('export {};\n', { filePath: 'main/core/warm-up.ts' });
}, 180_000);

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['renderer/src/x.ts', "import { createCore } from '../../main/core/core.js';", /Only main\/ may import main/],
    ['renderer/src/views/x.tsx', "import { app } from 'electron';", /Electron is only for/],
    ['renderer/src/x.ts', "import { readFile } from 'node:fs/promises';", /Node built-ins/],
    ['main/core/x.ts', "import { app } from 'electron';", /main\/core must run under plain Node/],
    ['main/core/deep/x.ts', "import { BrowserWindow } from 'electron/main';", /main\/core must run under plain Node/],
    ['main/core/x.ts', "import { lockDownWebContents } from '../electron/security.js';", /must not import the Electron edge/],
    ['main/serve/x.ts', "import { ipcMain } from 'electron';", /plain Node/],
    ['preload/x.ts', "import { createCore } from '../main/core/core.js';", /Only main\/ may import main/],
    ['common/x.ts', "import { SettingsStore } from '../main/core/settings/settings-store.js';", /Only main\/ may import main/],
    ['main/electron/x.ts', "import { App } from '../../renderer/src/App.js';", /renderer is imported by nobody/],
    ['main/core/x.ts', "import { startSandbox } from '../../sandbox/server.js';", /never bundled into the app/],
    ['main/electron/x.ts', "import { VaultService } from '../core/vault/vault-service.js';", /only through main\/core\/index.ts/],
    ['main/serve/x.ts', "import { setKdfWorkerUrl } from '../core/crypto/kdf.js';", /only through main\/core\/index.ts/],
    ['main/cli/x.ts', "import { createCore } from '../core/core.js';", /only through main\/core\/index.ts/],
    ['main/core/x.ts', "import { serveRendererFile } from '../web/renderer-files.js';", /core does not serve pages/],
  ])('fires in %s for %s', async (file, code, message) => {
    const errors = await boundaryErrors(file, code);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((e) => message.test(e)), errors.join('\n')).toBe(true);
  });

  it.each([
    ['renderer/src/x.ts', "import { settingsSchema } from '../../common/settings.js';"],
    ['main/core/x.ts', "import { readFile } from 'node:fs/promises';"],
    ['main/electron/x.ts', "import { app } from 'electron'; import { createCore } from '../core/index.js';"],
    ['main/serve/x.ts', "import { serveRendererFile } from '../web/renderer-files.js';"],
    ['preload/x.ts', "import { contextBridge } from 'electron';"],
  ])('allows %s to use %s', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });

  it('applies to every folder of the app (each has its own block in the configuration)', async () => {
    for (const file of ['common/x.ts', 'main/core/x.ts', 'main/web/x.ts', 'main/serve/x.ts', 'main/cli/x.ts', 'main/electron/x.ts', 'preload/x.ts', 'renderer/src/x.ts', 'sandbox/x.ts']) {
      const config = (await eslint.calculateConfigForFile(file)) as { rules?: Record<string, unknown> };
      expect(config.rules?.['no-restricted-imports'], file).toBeDefined();
    }
  });
});
