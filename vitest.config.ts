import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineConfig } from 'vitest/config';

// Suites that talk to the real OS keychain are the files that import test/support/keychain.ts. On
// Linux they run only inside the private keyring that `npm test` / `npm run test:unit` start
// (scripts/with-keyring.sh sets HOODY_KEYRING_READY), so a plain `npx vitest run` never writes to the
// user's own keyring: there they are left out, and this says so.
function keychainSuites(dir = 'test'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return keychainSuites(path);
    return /\.test\.tsx?$/.test(entry.name) && /from '(\.\.\/)+support\/keychain\.js'/.test(readFileSync(path, 'utf8')) ? [relative('.', path)] : [];
  });
}

const keyringMissing = process.platform === 'linux' && !process.env.HOODY_KEYRING_READY;
const skipped = keyringMissing ? keychainSuites() : [];
// The config is read more than once per run (once per project): say it once.
if (skipped.length && !process.env.HOODY_KEYCHAIN_NOTE_SHOWN) {
  process.env.HOODY_KEYCHAIN_NOTE_SHOWN = '1';
  process.stderr.write(
    `keychain suites skipped (${skipped.length} files: ${skipped.join(', ')}): no private keyring here. ` +
      'Run `npm run test:unit` (it starts one) or `dbus-run-session -- scripts/with-keyring.sh npx vitest run`.\n',
  );
}

// Timeouts are ceilings for a busy two-core machine (three runs of the suite beside two CPU burners,
// see `npm run test:stress`), not expectations: a test that needs them is slow, not failing. Each
// Argon2id at the tests' lowest accepted parameters (2 passes over 64 MiB) can take seconds there.
export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/renderer/**', 'test/e2e/**', ...skipped],
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['test/renderer/setup.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
