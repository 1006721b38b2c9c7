// npm run bench: every figure printed beside a baseline measured in the same run.
import { cpus } from 'node:os';
import { benchCli } from './cli.bench.js';
import { benchFiles } from './files.bench.js';
import { benchListing } from './listing.bench.js';
import { benchLocalCopy } from './local-copy.bench.js';
import { benchRealmNames } from './realm-names.bench.js';
import { benchFilter } from './filter.bench.js';
import { benchServeUpload } from './serve-upload.bench.js';
import { benchStartup } from './startup.bench.js';
import { benchOpenEntries, benchUnlock } from './vault.bench.js';
import { benchVaultOpen } from './vault-open.bench.js';

process.stdout.write(`Hoody Vault benchmarks: Node ${process.versions.node}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}\n`);
const only = process.argv.slice(2);
const suites: Array<[string, () => Promise<void>]> = [
  ['unlock', benchUnlock],
  ['open', benchOpenEntries],
  ['files', benchFiles],
  ['local-copy', benchLocalCopy],
  ['listing', benchListing],
  ['realm-names', benchRealmNames],
  ['cli', benchCli],
  ['startup', benchStartup],
  ['filter', benchFilter],
  ['vault-open', benchVaultOpen],
  ['serve-upload', benchServeUpload],
];
for (const [name, run] of suites) {
  if (only.length && !only.includes(name)) continue;
  await run();
}
