import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
interface BuilderConfig {
  mac: { entitlements: string } & Record<string, unknown>;
  win: { target: string[] };
  linux: { target: string[] };
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
}
const load = async () => parse(await readFile(new URL('electron-builder.yml', root), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it("validates against electron-builder's own schema", async () => {
    const schema = JSON.parse(await readFile(new URL('node_modules/app-builder-lib/scheme.json', root), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const config = await load();
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The schema catches mistakes: a misspelt key is refused.
    expect(validate({ ...config, electronFuse: {} })).toBe(false);
  });

  it('targets macOS (dmg, zip, hardened, notarized), Windows (nsis) and Linux (AppImage, deb)', async () => {
    const config = await load();
    expect(config.mac).toMatchObject({ target: ['dmg', 'zip'], hardenedRuntime: true, notarize: true, entitlements: 'build/entitlements.mac.plist' });
    await expect(readFile(fileURLToPath(new URL(config.mac.entitlements, root)), 'utf8')).resolves.toContain('<plist');
    expect(config.win.target).toEqual(['nsis']);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.asarUnpack).toContain('**/*.node');
  });

  it('sets the Electron fuses', async () => {
    expect((await load()).electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
  });
});
