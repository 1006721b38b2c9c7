import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore, defaultDataDir, setKdfWorkerUrl } from '../core/index.js';
import { findChromium, openAppWindow } from './open-browser.js';
import { startServeHost } from './host.js';

// `npm run serve -- [--port N] [--data DIR] [--no-open]`: the app's core in Node, its window in a browser.
// The first line on stdout is exactly `serving at <url>`; everything else goes to stderr.

const USAGE = `Usage: npm run serve -- [--port N] [--data DIR] [--no-open]

  --port N     listen on 127.0.0.1:N (default: a free port)
  --data DIR   user-data folder (default: ${defaultDataDir()})
  --no-open    do not open a Chromium app window; just print the URL`;

interface ServeArgs {
  port: number;
  dataDir: string;
  open: boolean;
}

export function parseServeArgs(argv: string[]): ServeArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) throw new UsageError(USAGE, 0);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535 (got ${JSON.stringify(values.port)}).\n\n${USAGE}`);
  }
  if (values.data === '') throw new UsageError(`--data must name a folder.\n\n${USAGE}`);
  return { port, dataDir: values.data ?? defaultDataDir(), open: !values['no-open'] };
}

export class UsageError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

const here = fileURLToPath(new URL('.', import.meta.url));

function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  let args: ServeArgs;
  try {
    args = parseServeArgs(argv);
  } catch (error) {
    const exitCode = error instanceof UsageError ? error.exitCode : 2;
    (exitCode === 0 ? process.stdout : process.stderr).write(`${(error as Error).message}\n`);
    process.exit(exitCode);
  }

  const log = (level: string, message: string) => process.stderr.write(`[${level}] ${message}\n`);
  setKdfWorkerUrl(new URL('./kdf-worker.js', import.meta.url));
  const core = await createCore({ dataDir: args.dataDir, mode: 'serve', version: appVersion(), appRoot: join(here, '..', '..'), log });
  const host = await startServeHost({
    dispatch: core.dispatch,
    events: core.events,
    files: core.files,
    rendererDir: process.env.HOODY_RENDERER_DIR ?? join(here, '..', 'renderer'),
    port: args.port,
    log: (message) => log('warn', message),
  });
  process.stdout.write(`serving at ${host.url}\n`);

  if (args.open) {
    const browser = findChromium();
    if (browser) {
      openAppWindow(browser, host.url, join(args.dataDir, 'chromium-profile'));
      log('info', `opened ${browser} as an app window`);
    } else {
      log('info', 'no Chromium-family browser found; open the URL above in one');
    }
  }

  const stop = async () => {
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
