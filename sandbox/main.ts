import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox, type SandboxOptions } from './server.js';

// `npm run sandbox -- [flags]`. The first stdout line is exactly "listening on <url>" so scripts
// can wait for it; everything else goes to stderr.

const USAGE = `Usage: npm run sandbox -- [--port N] [--data DIR] [--seed-demo] [--vault-limit-mb N]
                           [--faults] [--retention-days N] [--token-ttl SECONDS] [--shuffle-keys] [--log]`;

class UsageError extends Error {}

type Rule = { test: (n: number) => boolean; rule: string };
const PORT: Rule = { test: (n) => Number.isInteger(n) && n >= 0 && n <= 65535, rule: 'must be a whole number from 0 to 65535 (0 picks a free port)' };
const POSITIVE: Rule = { test: (n) => n > 0 && Number.isFinite(n), rule: 'must be a number greater than 0' };
const POSITIVE_INT: Rule = { test: (n) => Number.isInteger(n) && n > 0, rule: 'must be a whole number greater than 0' };

function numberFlag(name: string, raw: string | undefined, rule: Rule): number | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!rule.test(value)) throw new UsageError(`--${name} ${rule.rule}; got ${JSON.stringify(raw)}.`);
  return value;
}

function parseCli(argv: string[]): SandboxOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        data: { type: 'string' },
        'seed-demo': { type: 'boolean' },
        'vault-limit-mb': { type: 'string' },
        faults: { type: 'boolean' },
        'retention-days': { type: 'string' },
        'token-ttl': { type: 'string' },
        'shuffle-keys': { type: 'boolean' },
        log: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (values.data !== undefined && values.data.trim() === '') throw new UsageError('--data must name a folder.');
  return {
    port: numberFlag('port', values.port, PORT),
    dataDir: values.data,
    seedDemo: values['seed-demo'] ?? false,
    vaultLimitMb: numberFlag('vault-limit-mb', values['vault-limit-mb'], POSITIVE),
    faults: values.faults ?? false,
    retentionDays: numberFlag('retention-days', values['retention-days'], POSITIVE_INT),
    accessTokenTtlSeconds: numberFlag('token-ttl', values['token-ttl'], POSITIVE_INT),
    shuffleKeys: values['shuffle-keys'] ?? false,
    log: values.log ?? false,
  };
}

async function main(): Promise<void> {
  let options: SandboxOptions;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`sandbox: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  const sandbox = await startSandbox(options);
  process.stdout.write(`listening on ${sandbox.url}\n`);
  process.stderr.write(`Hoody sandbox API at ${sandbox.apiUrl}, data in ${sandbox.dataDir}${options.dataDir ? '' : ' (temporary)'}\n`);
  if (sandbox.demo) process.stderr.write(`Demo users and tokens: ${join(sandbox.dataDir, 'demo.json')}\n`);
  if (options.faults) process.stderr.write(`Fault injection on: POST/DELETE ${sandbox.url}/__sandbox/faults\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: closing the sandbox\n`);
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`sandbox: close failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
