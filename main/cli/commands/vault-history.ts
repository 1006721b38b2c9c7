import type { Command } from 'commander';
import { formatBytes } from '../../../common/format.js';
import { HISTORY_MAX } from '../../../common/value-history.js';
import type { Cli } from '../context.js';
import { usageError } from '../exit.js';
import { formatRows, out } from '../io.js';
import { openVault } from '../vault-access.js';

// A secret's earlier values (`vault history`) and renaming a key (`vault rename`), through the same
// core operations as the Edit dialog. New subcommands only: the existing ones are unchanged.

type CliFor = (command: Command) => Cli;

export function registerVaultHistory(vault: Command, cliFor: CliFor): void {
  vault
    .command('history')
    .description(`a secret's earlier values (up to ${HISTORY_MAX}, newest first): when each was stored and its size; --get N prints one`)
    .argument('<key>', 'the entry’s key')
    .option('--get <n>', 'print earlier value N (1 = the newest) on stdout, byte for byte')
    .action(async (key: string, flags: { get?: string }, command: Command) => {
      const cli = cliFor(command);
      const n = flags.get === undefined ? undefined : Number(flags.get);
      if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > HISTORY_MAX)) throw usageError(`--get takes a number from 1 to ${HISTORY_MAX}.`, { '--get': `must be a whole number from 1 to ${HISTORY_MAX}` });
      await openVault(cli);
      const realmId = cli.realmId;
      const history = await cli.call('vault.history', { realmId, key });
      if (n !== undefined) {
        const item = history.items[n - 1];
        if (!item) throw usageError(`“${key}” has ${history.items.length} earlier value${history.items.length === 1 ? '' : 's'}.`, { '--get': `must be at most ${history.items.length}` });
        const { value, at } = await cli.call('vault.revealHistoryValue', { realmId, key, index: item.index, at: item.at });
        if (cli.json) return cli.printJson({ key, realmId, n, at, value });
        return out(value);
      }
      if (cli.json) return cli.printJson(history.items.map((i) => ({ n: i.index + 1, at: i.at, size: i.size })));
      if (!history.items.length && cli.options.output === 'table') return cli.note(`“${key}” has no earlier values yet.`);
      out(
        formatRows(history.items, [
          { header: 'N', value: (i) => String(i.index + 1), right: true },
          { header: 'STORED', value: (i) => i.at },
          { header: 'SIZE', value: (i) => (cli.options.output === 'csv' ? i.size : formatBytes(i.size)), right: true },
        ], cli.options.output === 'csv' ? 'csv' : 'table', cli.options.color),
      );
    });

  vault
    .command('rename')
    .description('rename a key: copied under the new name, then the old one deleted (run it again to finish one that stopped halfway)')
    .argument('<key>', 'the entry’s key')
    .argument('<new-key>', 'its new key')
    .action(async (key: string, newKey: string, _flags: unknown, command: Command) => {
      const cli = cliFor(command);
      await openVault(cli);
      const result = await cli.call('vault.renameKey', { realmId: cli.realmId, key, newKey });
      if (cli.json) return cli.printJson(result);
      out(`Renamed “${key}” to “${newKey}”${result.resumed ? ' (finished the earlier rename)' : ''}${result.pending ? ', waiting to sync (offline)' : ''}.\n`);
    });
}
