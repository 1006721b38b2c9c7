import { randomInt } from 'node:crypto';
import type { Command } from 'commander';
import { formatBytes } from '../../../common/format.js';
import { compareKeys } from '../../../common/key-order.js';
import type { VaultItem } from '../../../common/vault.js';
import type { Cli } from '../context.js';
import { CliError, EXIT, usageError } from '../exit.js';
import { err, formatRecord, formatRows, isTty, nextStdinLine, out, prompt, readStdin } from '../io.js';
import { canOpenQuietly, openVault } from '../vault-access.js';

// The vault's secrets: set up, unlock into a session, lock, and each entry operation. Every one goes
// through the core's dispatch, so values are sealed and opened by the same code as in the app.

type CliFor = (command: Command) => Cli;

const GENERATE_DEFAULT = 32;
const GENERATE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.!@#%+=';

/** What an entry is, in the list's words. */
export function entryType(item: VaultItem): string {
  if (item.format === 'hv1') return item.kind;
  return { plain: 'plain', 'hoody-enc1': 'Hoody SDK', unreadable: 'cannot open', foreign: 'unknown' }[item.format];
}

export function registerVault(program: Command, cliFor: CliFor): Command {
  const vault = program.command('vault').description('the vault: secrets and files, encrypted on this computer');

  vault
    .command('setup')
    .description('choose the vault passphrase (twice on a terminal, or once on stdin); prints the recovery key once')
    .action(async (_flags: unknown, command: Command) => {
      const cli = cliFor(command);
      let passphrase = cli.env.HOODY_VAULT_PASSPHRASE;
      if (!passphrase && isTty()) {
        passphrase = await prompt('New vault passphrase: ', { hidden: true });
        if ((await prompt('The same passphrase again: ', { hidden: true })) !== passphrase) throw usageError('The two passphrases differ.', { passphrase: 'must be typed the same twice' });
      } else if (!passphrase) {
        passphrase = await nextStdinLine();
      }
      if (!passphrase) throw usageError('Give the passphrase on stdin (one line), or run in a terminal to be asked.', { passphrase: 'is needed' });
      const { recoveryKey } = await cli.call('vault.setup', { passphrase });
      if (cli.json) return cli.printJson({ recoveryKey });
      cli.note('Your recovery key (shown once; keep it somewhere safe, offline). It opens the vault if the passphrase is lost:');
      out(`${recoveryKey}\n`);
    });

  vault
    .command('unlock')
    .description('unlock once and print a session for this shell: eval "$(hoody-vault vault unlock)"')
    .option('--recovery', 'unlock with the recovery key instead of the passphrase')
    .option('--raw', 'print the session value alone')
    .option('--minutes <n>', 'how long the session lasts (default 60, at most 1440)', wholeNumber('--minutes'))
    .action(async (flags: { recovery?: boolean; raw?: boolean; minutes?: number }, command: Command) => {
      const cli = cliFor(command);
      const label = flags.recovery ? 'Recovery key' : 'Vault passphrase';
      const fromEnv = flags.recovery ? undefined : cli.env.HOODY_VAULT_PASSPHRASE;
      const secret = fromEnv || (isTty() ? await prompt(`${label}: `, { hidden: true }) : await nextStdinLine());
      if (!secret) throw new CliError({ code: 'LOCKED', message: `${label} needed: type it on a terminal, or give it on stdin.` }, EXIT.locked);
      await cli.call('vault.unlock', flags.recovery ? { recoveryKey: secret } : { passphrase: secret });
      const { session, expiresAt } = await cli.call('vault.openSession', { ...(flags.minutes ? { minutes: flags.minutes } : {}) });
      if (cli.json) return cli.printJson({ session, expiresAt });
      if (flags.raw) return out(`${session}\n`);
      out(`export HOODY_VAULT_SESSION="${session}"\n`);
      cli.note(`Vault unlocked until ${expiresAt}. Commands in a shell with this variable open the vault without the passphrase; hoody-vault vault lock ends every session.`);
    });

  vault
    .command('lock')
    .description('lock the vault and end every session made by vault unlock')
    .action(async (_flags: unknown, command: Command) => {
      const cli = cliFor(command);
      const status = await cli.call('vault.lock');
      if (cli.json) return cli.printJson(status);
      out('Vault locked; every session has ended.\n');
    });

  vault
    .command('status')
    .description('whether the vault is set up, locked or unlocked, and what waits to sync')
    .action(async (_flags: unknown, command: Command) => {
      const cli = cliFor(command);
      const status = cli.env.HOODY_VAULT_SESSION ? await openVault(cli, { interactive: false }).catch(() => cli.call('vault.status')) : await cli.call('vault.status');
      if (cli.json) return cli.printJson(status);
      out(formatRecord([['state', status.state], ['account', status.accountId ?? undefined], ['online', String(status.online)], ['waiting to sync', String(status.pendingChanges)]]));
    });

  vault
    .command('list')
    .description('the entries of a scope, in name order: key, kind, size, updated (and notes, when the vault is open)')
    .option('--search <text>', 'only entries whose key (or notes) contain this text')
    .action(async (flags: { search?: string }, command: Command) => {
      const cli = cliFor(command);
      const realmId = cli.realmId;
      let entries: VaultItem[];
      let unlocked = false;
      if (canOpenQuietly(cli)) {
        await openVault(cli, { interactive: false });
        const listing = await cli.call('vault.list', { realmId });
        if (listing.offline) cli.warn(`offline: this is this computer's copy, synced ${listing.offline.syncedAt}.`);
        else await cli.whenSynced(realmId);
        entries = listing.entries;
        unlocked = true;
      } else {
        entries = (await cli.call('vault.listLocked', { realmId })).entries;
      }
      // In name order, as the window lists them, whether the vault is open or not (and whatever order the server used).
      entries = [...entries].sort((a, b) => compareKeys(a.key, b.key));
      const needle = flags.search?.toLowerCase();
      if (needle) entries = entries.filter((e) => e.key.toLowerCase().includes(needle) || e.notes.toLowerCase().includes(needle));
      if (cli.json) return cli.printJson(entries.map((e) => ({ ...e, type: entryType(e) })));
      if (!entries.length && cli.options.output === 'table') return cli.note(needle ? 'No entry matches.' : 'This scope is empty.');
      out(
        formatRows(entries, [
          { header: 'KEY', value: (e) => e.key },
          { header: 'KIND', value: (e) => entryType(e) },
          { header: 'SIZE', value: (e) => (cli.options.output === 'csv' ? e.size : formatBytes(e.size)), right: true },
          { header: 'UPDATED', value: (e) => e.updatedAt },
          ...(unlocked ? [{ header: 'NOTES', value: (e: VaultItem) => e.notes }] : []),
          { header: 'SYNC', value: (e) => (e.pending ? `waiting (${e.pending})` : '') },
        ], cli.options.output === 'csv' ? 'csv' : 'table', cli.options.color),
      );
    });

  vault
    .command('get')
    .description('print a value on stdout, byte for byte (files too)')
    .argument('<key>', 'the entry’s key')
    .option('--password-stdin', 'for a Hoody SDK (_enc) value: read its own password from stdin')
    .action(async (key: string, flags: { passwordStdin?: boolean }, command: Command) => {
      const cli = cliFor(command);
      await openVault(cli);
      const realmId = cli.realmId;
      let revealed;
      try {
        revealed = await cli.call('vault.reveal', { realmId, key });
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        if (error.error.code === 'UNREADABLE') return streamFile(cli, key, error);
        if (error.error.code !== 'PASSWORD_REQUIRED') throw error;
        const password = flags.passwordStdin ? await nextStdinLine() : isTty() ? await prompt(`Password of “${key}” (Hoody SDK): `, { hidden: true }) : undefined;
        if (password === undefined) throw new CliError({ ...error.error, message: `${error.error.message} Give it with --password-stdin or on a terminal.` });
        revealed = await cli.call('vault.reveal', { realmId, key, password });
      }
      offlineNote(cli, await cli.call('vault.status'));
      if (cli.json) return cli.printJson({ key, realmId, format: revealed.format, value: revealed.value });
      out(revealed.value);
    });

  vault
    .command('set')
    .description('store a secret (new or changed); the value from --value, stdin, a prompt or --generate')
    .argument('<key>', 'the entry’s key')
    .option('--value <value>', 'the value (visible to other users of this computer in the process list: prefer --stdin)')
    .option('--stdin', 'read the value from stdin (one trailing newline is dropped)')
    .option('--generate [length]', `generate a random value (default ${GENERATE_DEFAULT} characters); it is not printed`)
    .option('--notes <text>', 'notes, sealed with the value')
    .action(async (key: string, flags: { value?: string; stdin?: boolean; generate?: string | boolean; notes?: string }, command: Command) => {
      const cli = cliFor(command);
      const sources = [flags.value !== undefined, flags.stdin, flags.generate !== undefined].filter(Boolean).length;
      if (sources > 1) throw usageError('Give the value one way: --value, --stdin or --generate.', { '--value': 'cannot be combined with --stdin or --generate' });
      let value: string | undefined = flags.value;
      if (flags.stdin) value = (await readStdin()).replace(/\r?\n$/, '');
      if (flags.generate !== undefined) value = generate(flags.generate);
      if (value === undefined && sources === 0) {
        if (!isTty()) throw usageError('No value: give --value, --stdin or --generate.', { '--stdin': 'or --value or --generate is needed' });
        value = await prompt(`Value of “${key}”: `, { hidden: true });
      }
      await openVault(cli);
      const realmId = cli.realmId;
      let item: VaultItem;
      try {
        item = await cli.call('vault.save', { realmId, key, value, notes: flags.notes ?? '', mode: 'create' });
      } catch (error) {
        if (!(error instanceof CliError) || error.error.code !== 'CONFLICT' || !error.error.fields?.key) throw error;
        // It exists: change it, keeping its notes unless new ones are given.
        const notes = flags.notes ?? (await cli.call('vault.list', { realmId })).entries.find((e) => e.key === key)?.notes ?? '';
        item = await cli.call('vault.save', { realmId, key, value, notes, mode: 'update' });
      }
      if (cli.json) return cli.printJson(item);
      out(`Stored “${key}”${flags.generate !== undefined ? ` (generated, ${value!.length} characters)` : ''}${item.pending ? ', waiting to sync (offline)' : ''}.\n`);
    });

  vault
    .command('delete')
    .description('delete an entry')
    .argument('<key>', 'the entry’s key')
    .action(async (key: string, _flags: unknown, command: Command) => {
      const cli = cliFor(command);
      await openVault(cli);
      const { pending } = await cli.call('vault.delete', { realmId: cli.realmId, key });
      if (cli.json) return cli.printJson({ key, deleted: true, pending });
      out(`Deleted “${key}”${pending ? ' (waiting to sync: offline)' : ''}.\n`);
    });

  vault
    .command('clear')
    .description('delete every entry of the scope (needs -y, or typing the scope’s name)')
    .action(async (_flags: unknown, command: Command) => {
      const cli = cliFor(command);
      const scope = cli.realmId || 'global';
      let confirmation: string;
      if (cli.options.yes) confirmation = scope;
      else if (isTty()) confirmation = await prompt(`This deletes every entry of “${scope}”. Type ${scope} to confirm: `);
      else throw usageError('vault clear deletes everything in the scope: confirm with -y (or run in a terminal).', { '--yes': 'is needed without a terminal' });
      await openVault(cli);
      const { deleted } = await cli.call('vault.clear', { realmId: cli.realmId, confirmation });
      if (cli.json) return cli.printJson({ realmId: cli.realmId, deleted });
      out(`Deleted ${deleted} entr${deleted === 1 ? 'y' : 'ies'} from ${scope}.\n`);
    });

  vault
    .command('stats')
    .description('entries and space used in the scope, and what the account has left')
    .action(async (_flags: unknown, command: Command) => {
      const cli = cliFor(command);
      const { stats } = await cli.call('vault.listLocked', { realmId: cli.realmId, stats: true });
      if (cli.json) return cli.printJson(stats);
      if (!stats) throw new CliError({ code: 'INTERNAL', message: 'The server sent no statistics.' });
      out(formatRecord([['entries', String(stats.keys)], ['scope size', formatBytes(stats.scopeBytes)], ['account used', `${formatBytes(stats.accountUsedBytes)} of ${formatBytes(stats.accountLimitBytes)} (${stats.usedPercentage}%)`], ['remaining', formatBytes(stats.remainingBytes)]]));
    });

  return vault;
}

function offlineNote(cli: Cli, status: { online: boolean }): void {
  if (!status.online) cli.warn("offline: this value comes from this computer's copy.");
}

/** `vault get` of a file: its decrypted bytes on stdout, as `vault fetch --out -` does. */
async function streamFile(cli: Cli, key: string, original: CliError): Promise<void> {
  const { token } = await cli.call('vault.prepareDownload', { realmId: cli.realmId, key });
  const chunks = await cli.download(token).catch(() => undefined);
  if (!chunks) throw original;
  for await (const chunk of chunks) if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
}

function generate(length: string | boolean): string {
  const n = length === true ? GENERATE_DEFAULT : Number(length);
  if (!Number.isInteger(n) || n < 8 || n > 1024) throw usageError('--generate takes a length from 8 to 1024.', { '--generate': 'must be a whole number from 8 to 1024' });
  let value = '';
  for (let i = 0; i < n; i += 1) value += GENERATE_ALPHABET[randomInt(GENERATE_ALPHABET.length)];
  return value;
}

/** A commander parser for whole numbers that names the flag and the rule. */
export function wholeNumber(flag: string) {
  return (text: string): number => {
    if (!/^\d+$/.test(text)) throw usageError(`${flag} must be a whole number.`, { [flag]: 'must be a whole number' });
    return Number(text);
  };
}

export const progressLine = (text: string): void => err(`\r${text}`);
