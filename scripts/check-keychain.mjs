#!/usr/bin/env node
// Runs after `npm install`. keytar (the OS keychain binding) is an optional dependency: when its
// prebuilt binary cannot be fetched it is built from source, and when that build fails npm skips it
// quietly instead of ending the whole install in node-gyp's output. This check then says, in a few
// lines, what is missing on this platform and how to get it. The app still runs without keytar: it
// says the keychain is unavailable and signs in for the session only.
import { createRequire } from 'node:module';

const moduleName = process.env.HOODY_KEYTAR_MODULE || 'keytar';

const HOW = {
  linux: [
    'Debian/Ubuntu:  sudo apt-get install libsecret-1-dev g++ make python3',
    'Fedora:         sudo dnf install libsecret-devel gcc-c++ make python3',
    'Arch:           sudo pacman -S libsecret base-devel python',
    'At run time a Secret Service must be running (GNOME Keyring or KWallet).',
  ],
  darwin: ['Install the Xcode command line tools: xcode-select --install', 'The keychain itself (macOS Keychain) needs nothing more.'],
  win32: [
    'Install the "Desktop development with C++" workload of Visual Studio Build Tools, and Python 3.',
    'The keychain itself (Windows Credential Manager) needs nothing more.',
  ],
};

try {
  createRequire(import.meta.url)(moduleName);
} catch (error) {
  const lines = HOW[process.platform] ?? ['Install a C++ compiler, make and Python 3, and the development files of your keychain library.'];
  const reason = String(error?.message ?? error).split('\n')[0];
  process.stderr.write(
    [
      '',
      'hoody-vault: the OS keychain binding (keytar) is not installed.',
      `  Why: its prebuilt binary could not be fetched and building it from source failed (${reason}).`,
      '  The app still works, but it cannot keep you signed in across restarts: sign-ins last for the session only.',
      '  To fix it, install the build prerequisites, then run `npm install` again:',
      ...lines.map((line) => `    ${line}`),
      '  (To see the build log: npm install --loglevel=notice --foreground-scripts)',
      '',
    ].join('\n') + '\n',
  );
}
