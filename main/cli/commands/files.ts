import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatBytes } from '../../../common/format.js';
import type { UploadProgress } from '../../../common/vault-files.js';
import type { VaultItem } from '../../../common/vault.js';
import type { Cli } from '../context.js';
import { CliError, usageError } from '../exit.js';
import { out } from '../io.js';
import { openVault } from '../vault-access.js';
import { progressLine } from './vault.js';

// Files: sealed and streamed by the core as the app does (quota checked first, nothing kept on the
// server when cancelled), and fetched back byte for byte to a file (written atomically) or stdout.

type CliFor = (command: Command) => Cli;

export function registerFiles(vault: Command, cliFor: CliFor): void {
  vault
    .command('put')
    .description('store files, encrypted and streamed; progress on stderr')
    .argument('<file...>', 'the files to store')
    .option('--key <key>', 'the key to store it under (one file only; default: the file’s name)')
    .option('--notes <text>', 'notes, sealed with the file')
    .action(async (paths: string[], flags: { key?: string; notes?: string }, command: Command) => {
      const cli = cliFor(command);
      if (flags.key && paths.length > 1) throw usageError('--key names one file; leave it out to store several under their own names.', { '--key': 'takes one file only' });
      for (const path of paths) if (!existsSync(path) || !statSync(path).isFile()) throw usageError(`${path} is not a file.`, { file: `${path} is not a regular file` });
      await openVault(cli);
      const stored: VaultItem[] = [];
      for (const path of paths) {
        const file = await cli.registerFile(resolve(path));
        const uploadId = randomUUID();
        const key = flags.key ?? file.name;
        const stop = await cli.listen((event, payload) => {
          const progress = payload as UploadProgress;
          if (event !== 'vault.upload' || progress.uploadId !== uploadId || cli.options.quiet) return;
          if (progress.state === 'uploading') progressLine(`${file.name}: ${formatBytes(progress.sent)} of ${formatBytes(progress.total)} (${progress.total ? Math.floor((progress.sent / progress.total) * 100) : 100}%)`);
          else progressLine(`${file.name}: ${progress.state}${progress.error ? ` (${progress.error})` : ''}\n`);
        });
        // Ctrl+C cancels the upload through the core: the server keeps nothing of it.
        cli.onInterrupt = async () => {
          await cli.call('vault.cancelUpload', { uploadId });
        };
        try {
          stored.push(await cli.call('vault.uploadFile', { fileId: file.fileId, realmId: cli.realmId, key, notes: flags.notes ?? '', uploadId }));
        } finally {
          cli.onInterrupt = undefined;
          stop();
        }
        if (!cli.json) out(`Stored ${file.name} as “${key}” (${formatBytes(file.size)}).\n`);
      }
      if (cli.json) cli.printJson(stored);
    });

  vault
    .command('fetch')
    .description('decrypt a stored file to disk (atomically) or to stdout with --out -')
    .argument('<key>', 'the file’s key')
    .option('--out <path>', 'where to write it (a folder, a file name, or - for stdout; default: its own name here)')
    .action(async (key: string, flags: { out?: string }, command: Command) => {
      const cli = cliFor(command);
      if (flags.out === '-') {
        await openVault(cli);
        const { token } = await cli.call('vault.prepareDownload', { realmId: cli.realmId, key });
        const chunks = await cli.download(token);
        if (!chunks) throw new CliError({ code: 'NOT_FOUND', message: `“${key}” could not be opened.` });
        for await (const chunk of chunks) if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
        return;
      }
      const target = (name: string) => {
        const given = flags.out ? resolve(flags.out) : resolve(basename(name));
        const path = existsSync(given) && statSync(given).isDirectory() ? join(given, basename(name)) : given;
        if (existsSync(path) && !cli.options.yes) throw new CliError({ code: 'CONFLICT', message: `${path} exists already: pass -y to replace it, or choose another --out.`, fields: { '--out': 'names a file that exists (use -y to replace it)' } });
        return path;
      };
      await cli.core({ saveTo: async (name) => target(name) });
      await openVault(cli);
      const { saved } = await cli.call('vault.saveFile', { realmId: cli.realmId, key });
      if (cli.json) return cli.printJson({ key, saved });
      cli.note(`Saved “${key}” to ${saved}`);
    });
}
