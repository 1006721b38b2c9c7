// npm start: the Electron app; where Electron cannot run, one line saying why, then serve mode.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuild, root } from './ensure-build.mjs';

const electronDir = join(root, 'node_modules', 'electron');

/** The Electron binary, downloading it once if it is missing (Electron fetches it lazily). */
function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  const binary = () => existsSync(pathFile) && join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  let path = binary();
  if (path && existsSync(path)) return { path };
  if (!existsSync(join(electronDir, 'install.js'))) return { reason: 'the electron package is not installed (run npm install)' };
  process.stderr.write('Downloading the Electron binary…\n');
  const download = spawnSync(process.execPath, [join(electronDir, 'install.js')], { encoding: 'utf8', timeout: 180_000 });
  path = binary();
  if (download.status === 0 && path && existsSync(path)) return { path };
  const why = `${download.stderr ?? ''}`.split('\n').find((line) => /error|failed/i.test(line))?.trim() ?? 'no reason given';
  return { reason: `its binary is not in node_modules/electron/dist and could not be downloaded (${why})` };
}

function whyElectronCannotRun() {
  if (process.env.HOODY_FORCE_SERVE) return { reason: 'HOODY_FORCE_SERVE is set' };
  const binary = electronBinary();
  if (binary.reason) return binary;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  return binary;
}

function runServe(extraArgs) {
  process.argv.splice(2, process.argv.length, ...extraArgs);
  return import('../out/main/serve.js');
}

ensureBuild();
const args = process.argv.slice(2);
const electron = whyElectronCannotRun();
if (electron.reason) {
  process.stderr.write(`Electron cannot start here: ${electron.reason}. Running serve mode instead.\n`);
  await runServe(args);
} else {
  const startedAt = Date.now();
  const child = spawn(electron.path, [root, ...args], { stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    // A crash within seconds of launch means Electron cannot run on this machine (missing libraries, no GPU…).
    if (code !== 0 && signal === null && Date.now() - startedAt < 5000) {
      process.stderr.write(`Electron cannot start here: it exited at launch with code ${code}. Running serve mode instead.\n`);
      void runServe(args);
    } else {
      process.exit(code ?? 1);
    }
  });
}
