import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { probeKeychain } from '../../main/core/accounts/secret-store.js';
import { repoRoot } from '../support/serve-process.js';

// Issue 14 C: a failed keychain build ends in a clear message, not node-gyp's output.

const runCheck = (env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, ['scripts/check-keychain.mjs'], { cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8' });

describe('the keychain binding at install', () => {
  it('is optional, and checked after install by a script of ours', () => {
    const pkg = JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8')) as Record<string, Record<string, string>>;
    expect(pkg.optionalDependencies?.keytar).toBeDefined();
    expect(pkg.dependencies?.keytar).toBeUndefined();
    expect(pkg.scripts?.postinstall).toBe('node scripts/check-keychain.mjs');
  });

  it('says nothing when keytar loads', () => {
    const run = runCheck();
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('when it is missing, names what to install on this platform and lets the install finish', () => {
    const run = runCheck({ HOODY_KEYTAR_MODULE: 'keytar-that-failed-to-build' });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('the OS keychain binding (keytar) is not installed');
    expect(run.stderr).toContain('sign-ins last for the session only');
    if (process.platform === 'linux') expect(run.stderr).toContain('sudo apt-get install libsecret-1-dev g++ make python3');
    expect(run.stderr.split('\n').length).toBeLessThan(16);
  });

  it('the app then says why there is no keychain, and what to do', async () => {
    const probe = await probeKeychain({
      load: () => {
        throw new Error("Cannot find module 'keytar'");
      },
    });
    expect(probe).toMatchObject({ available: false, reason: expect.stringMatching(/keytar\) is not installed .*install the build prerequisites named in the README/) });
  });
});
