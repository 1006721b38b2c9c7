import type { Command } from 'commander';
import type { AccountSummary, SignInResult } from '../../../common/accounts.js';
import type { User } from '../../../common/hoody-types.js';
import type { Cli } from '../context.js';
import { CliError, usageError } from '../exit.js';
import { formatRecord, formatRows, isTty, nextStdinLine, out, prompt } from '../io.js';

// Signing in and out, as the app does it (same keychain entry, same accounts.json), and who is who.

type CliFor = (command: Command) => Cli;

export function registerAccounts(program: Command, cliFor: CliFor): void {
  program
    .command('login')
    .description('sign in with an API token, or a username/email and password (then the two-factor code when asked)')
    .option('--server <url>', 'the Hoody server (default: HOODY_BASE_URL, or the current account’s)')
    .option('--username <name>', 'sign in with this username or email and a password')
    .option('--token-stdin', 'read the API token from the first line of stdin')
    .option('--password-stdin', 'read the password from the first line of stdin (and a two-factor code from the second)')
    .option('--code <code>', 'the two-factor code, if the account asks for one')
    .option('--session-only', 'keep the credentials in memory only (nothing is stored; for this run)')
    .action(async (flags: { server?: string; username?: string; tokenStdin?: boolean; passwordStdin?: boolean; code?: string; sessionOnly?: boolean }, command: Command) => {
      const cli = cliFor(command);
      if (flags.tokenStdin && (flags.username || flags.passwordStdin)) throw usageError('--token-stdin signs in with a token; it cannot be combined with --username or --password-stdin.', { '--token-stdin': 'cannot be combined with --username' });
      if (flags.passwordStdin && !flags.username) throw usageError('--password-stdin needs --username.', { '--username': 'is needed with --password-stdin' });
      const state = await cli.call('accounts.list', undefined, { forLogin: true });
      const active = state.accounts.find((a) => a.id === state.activeId);
      const serverUrl = flags.server ?? cli.options.server ?? cli.env.HOODY_BASE_URL ?? active?.serverUrl;
      if (!serverUrl) throw usageError('Say which server to sign in to: --server URL (or set HOODY_BASE_URL).', { '--server': 'is needed (no account is signed in yet)' });
      const sessionOnly = flags.sessionOnly === true;
      let result: SignInResult;
      try {
        result = await signIn(cli, flags, serverUrl, sessionOnly);
      } catch (error) {
        // The app offers a session-only sign-in here; a command line's answer is HOODY_TOKEN.
        if (error instanceof CliError && error.error.code === 'KEYCHAIN_UNAVAILABLE') {
          throw new CliError({ ...error.error, message: `${error.error.message.split('. You can')[0]}. On the command line, HOODY_TOKEN with HOODY_BASE_URL signs in for one run without it.` });
        }
        throw error;
      }
      if (result.status !== 'signed-in') throw new CliError({ code: 'INTERNAL', message: 'The sign-in did not finish.' });
      if (sessionOnly) cli.warn('--session-only: nothing was stored, so the next command will not be signed in.');
      if (cli.json) cli.printJson(result.account);
      else out(`Signed in as ${result.account.username} (${result.account.id}) on ${result.account.serverUrl}\n`);
    });

  program
    .command('logout')
    .description('sign out here: removes the account’s keychain entry and its local data (other devices stay signed in)')
    .option('--account <id|username>', 'the account to sign out (default: the current one)')
    .action(async (flags: { account?: string }, command: Command) => {
      const cli = cliFor(command);
      const account = await pick(cli, flags.account ?? cli.options.account);
      const state = await cli.call('accounts.signOut', { id: account.id });
      if (cli.json) cli.printJson(state);
      else out(`Signed out ${account.username} (${account.id})\n`);
    });

  program
    .command('whoami')
    .description('the signed-in user, as the server sees them')
    .action(async (_flags: unknown, command: Command) => {
      const cli = cliFor(command);
      const user = await cli.call('profile.get');
      printUser(cli, user);
    });

  const accounts = program
    .command('accounts')
    .description('the accounts signed in on this computer (accounts use ID|USERNAME sets the default)')
    .action(async (_flags: unknown, command: Command) => {
      const cli = cliFor(command);
      const state = await cli.call('accounts.list');
      if (cli.json) return cli.printJson(state);
      const rows = state.accounts;
      if (!rows.length && cli.options.output === 'table') return cli.note('No account is signed in. Sign in with hoody-vault login.');
      out(
        formatRows(rows, [
          { header: '', value: (a) => (a.id === state.activeId ? '*' : '') },
          { header: 'ID', value: (a) => a.id },
          { header: 'USERNAME', value: (a) => a.username },
          { header: 'SERVER', value: (a) => a.serverUrl },
          { header: 'KIND', value: (a) => a.kind },
          { header: 'STATUS', value: (a) => a.status },
        ], cli.options.output === 'csv' ? 'csv' : 'table', cli.options.color),
      );
    });
  accounts
    .command('use')
    .description('make this account the default for later commands (and for the app)')
    .argument('<account>', 'account id or username')
    .action(async (wanted: string, _flags: unknown, command: Command) => {
      const cli = cliFor(command);
      const account = await pick(cli, wanted);
      const state = await cli.call('accounts.switch', { id: account.id });
      if (cli.json) cli.printJson(state);
      else out(`Default account: ${account.username} (${account.id})\n`);
    });
}

interface LoginFlags {
  username?: string;
  tokenStdin?: boolean;
  passwordStdin?: boolean;
  code?: string;
}

/** A token, or a password then (when the server asks) the two-factor code: by stdin, flag or prompt. */
async function signIn(cli: Cli, flags: LoginFlags, serverUrl: string, sessionOnly: boolean): Promise<SignInResult> {
  if (!flags.username) {
    const token = flags.tokenStdin ? await nextStdinLine() : isTty() ? await prompt('API token: ', { hidden: true }) : undefined;
    if (!token) throw usageError('Give the token on stdin with --token-stdin (or sign in with --username), or run in a terminal to be asked.', { '--token-stdin': 'needs the token on the first line of stdin' });
    return cli.call('accounts.signInWithToken', { serverUrl, token, sessionOnly });
  }
  const password = flags.passwordStdin ? await nextStdinLine() : isTty() ? await prompt('Password: ', { hidden: true }) : undefined;
  if (!password) throw usageError('Give the password on stdin with --password-stdin, or run in a terminal to be asked.', { '--password-stdin': 'needs the password on the first line of stdin' });
  const result = await cli.call('accounts.signInWithPassword', { serverUrl, login: flags.username, password, sessionOnly });
  if (result.status !== 'two-factor') return result;
  const code = flags.code ?? (flags.passwordStdin ? await nextStdinLine() : undefined) ?? (isTty() ? await prompt('Two-factor code: ', { hidden: true }) : undefined);
  if (!code) throw usageError('This account asks for a two-factor code: pass --code, put it on the line after the password, or run in a terminal.', { '--code': 'is needed for this account' });
  return cli.call('accounts.verifyTwoFactor', { challengeId: result.challengeId, code });
}

/** An account by id or username; the current one when none is named. */
async function pick(cli: Cli, wanted: string | undefined): Promise<AccountSummary> {
  const state = await cli.call('accounts.list');
  const id = wanted ?? state.activeId;
  const match = state.accounts.find((a) => a.id === id) ?? state.accounts.find((a) => a.username === id);
  if (!match) {
    if (!wanted) throw new CliError({ code: 'NOT_SIGNED_IN', message: 'No account is signed in on this computer.' });
    throw new CliError({ code: 'NOT_FOUND', message: `No account “${wanted}” is signed in on this computer (see hoody-vault accounts).` });
  }
  return match;
}

export function printUser(cli: Cli, user: User): void {
  if (cli.json) return cli.printJson(user);
  out(
    formatRecord([
      ['id', user.id],
      ['username', user.username],
      ['email', user.email ?? undefined],
      ['alias', user.alias],
      ['admin', String(user.is_admin)],
      ['banned', String(user.is_banned)],
      ['public key', user.public_key || undefined],
      ['created', user.created_at],
    ]),
  );
}
