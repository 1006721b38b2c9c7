// `node scripts/electronegativity.mjs`: Doyensec's Electronegativity (the Electron security
// scanner) over the code that runs in Electron, checked against docs/electronegativity-reviewed.json.
// Each finding must be fixed or listed there with the reason it is safe; CI stops on any finding
// that is not listed, and on any listed finding that no longer occurs (so no stale excuse can
// cover a new problem on the same line of code). Prints one summary line.
import { createRequire } from 'node:module';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SCANNED = ['main', 'preload', 'renderer/src', 'renderer/index.html'];
export const REVIEWED_FILE = join(root, 'docs', 'electronegativity-reviewed.json');
// This check downloads Electron's release list: CI must not depend on the network, and the Electron
// version is pinned in package.json, where upgrades are reviewed.
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

/**
 * The scanner's findings for `inputs` (folders or files, relative to `base`), as {id, file, line}.
 * They are copied into one folder and scanned in one run: the global checks (navigation limits,
 * permission handler, CSP) look across all files, so scanning folder by folder would report a
 * handler as missing from every folder it is not in.
 */
export async function scan(inputs = SCANNED, base = root) {
  const run = loadOffline();
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const copy = mkdtempSync(join(tmpdir(), 'hoody-electronegativity-'));
  const quiet = silenceScanner();
  try {
    for (const input of inputs) cpSync(join(base, input), join(copy, input), { recursive: true });
    const result = await run({ input: copy, electronVersionOverride: electronVersion, excludeFromScan: EXCLUDED_CHECKS });
    const broken = result.errors.filter((error) => !error.tolerable);
    if (broken.length > 0) throw new Error(`Electronegativity could not parse: ${broken.map((e) => `${e.file}: ${e.message}`).join('; ')}`);
    return result.issues.map((issue) => ({
      id: issue.id,
      file: issue.file === 'N/A' ? 'N/A' : relative(copy, issue.file.startsWith('/') ? issue.file : join(copy, issue.file)),
      line: issue.location.line,
      description: issue.description,
    }));
  } finally {
    quiet();
    rmSync(copy, { recursive: true, force: true });
  }
}

/**
 * The scanner fetches translations from GitHub on every run (1 s timeout, then its built-in
 * English). CI stays off the network: its HTTP client answers "offline" at once.
 */
function loadOffline() {
  const require = createRequire(import.meta.url);
  const scannerRequire = createRequire(require.resolve('@doyensec/electronegativity'));
  const gotPath = scannerRequire.resolve('got');
  const offline = () => Promise.reject(new Error('offline: the scan does not use the network'));
  offline.default = offline;
  require.cache[gotPath] = { id: gotPath, filename: gotPath, path: dirname(gotPath), loaded: true, exports: offline, children: [], paths: [] };
  return require('@doyensec/electronegativity');
}

/** Compares findings with the reviewed list: what is new, and what is listed but gone. */
export function compare(findings, reviewed) {
  const matches = (entry, finding) => entry.id === finding.id && entry.file === finding.file;
  const unreviewed = findings.filter((finding) => !reviewed.some((entry) => matches(entry, finding)));
  const stale = reviewed.filter((entry) => !findings.some((finding) => matches(entry, finding)));
  const unjustified = reviewed.filter((entry) => typeof entry.reason !== 'string' || entry.reason.trim().length < 40);
  return { unreviewed, stale, unjustified };
}

/** The scanner logs (translations, progress) on the console: keep CI's output to our own lines. */
function silenceScanner() {
  const saved = { log: console.log, warn: console.warn, info: console.info };
  console.log = console.warn = console.info = () => {};
  return () => void Object.assign(console, saved);
}

async function main() {
  const findings = await scan();
  const reviewed = JSON.parse(readFileSync(REVIEWED_FILE, 'utf8')).reviewed;
  const { unreviewed, stale, unjustified } = compare(findings, reviewed);
  for (const f of unreviewed) console.log(`NOT REVIEWED: ${f.id} at ${f.file}:${f.line}: ${f.description}`);
  for (const e of stale) console.log(`STALE REVIEW: ${e.id} at ${e.file} is no longer found; remove it from docs/electronegativity-reviewed.json`);
  for (const e of unjustified) console.log(`NO REASON: ${e.id} at ${e.file} needs a reason of at least a sentence`);
  const problems = unreviewed.length + stale.length + unjustified.length;
  console.log(`electronegativity: ${findings.length} findings in ${SCANNED.join(', ')}, ${findings.length - unreviewed.length} reviewed, ${unreviewed.length} not reviewed, ${stale.length} stale reviews`);
  process.exit(problems === 0 ? 0 : 1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
