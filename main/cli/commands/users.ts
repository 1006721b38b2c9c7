import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { usageError } from '../exit.js';
import { formatRecord, isTty, nextStdinLine, out, prompt } from '../io.js';
import { printUser } from './accounts.js';

// Users: yourself (the profile), and, for admins, anyone by id. Passwords only by prompt or stdin.

type CliFor = (command: Command) => Cli;

interface UpdateFlags {
  alias?: string;
  publicKey?: string;
  metadata?: string;
  password?: boolean;
  passwordStdin?: boolean;
  admin?: boolean;
  banned?: boolean;
}

export function registerUsers(program: Command, cliFor: CliFor): void {
  const users = program.command('users').description('your profile, and (admins) other users');

  users
    .command('get')
    .description('a user (default: you)')
    .argument('[id]', 'the user’s id, or “me”')
    .action(async (id: string | undefined, _flags: unknown, command: Command) => {
      const cli = cliFor(command);
      printUser(cli, isMe(id) ? await cli.call('profile.get') : await cli.call('users.get', { id: id! }));
    });

  users
    .command('update')
    .description('change a user (default: you); admins may change anyone')
    .argument('[id]', 'the user’s id, or “me”')
    .option('--alias <alias>', 'the display name')
    .option('--public-key <hex>', 'an ED25519 public key, 64 hex characters')
    .option('--metadata <json>', 'a JSON object of your own fields')
    .option('--password', 'change your password (asked on the terminal)')
    .option('--password-stdin', 'change your password: current on the first line of stdin, new on the second')
    .option('--admin', 'admins: make the user an admin')
    .option('--no-admin', 'admins: make the user not an admin')
    .option('--banned', 'admins: ban the user')
    .option('--no-banned', 'admins: lift the ban')
    .action(async (id: string | undefined, flags: UpdateFlags, command: Command) => {
      const cli = cliFor(command);
      let metadata: Record<string, unknown> | undefined;
      if (flags.metadata !== undefined) {
        try {
          metadata = JSON.parse(flags.metadata) as Record<string, unknown>;
        } catch {
          throw usageError('--metadata is not valid JSON.', { '--metadata': 'must be a JSON object' });
        }
      }
      const fields = {
        ...(flags.alias !== undefined ? { alias: flags.alias } : {}),
        ...(metadata !== undefined ? { metadata } : {}),
      };
      const changesPassword = flags.password || flags.passwordStdin;
      if (isMe(id)) {
        if (flags.admin !== undefined || flags.banned !== undefined) throw usageError('--admin and --banned change other users (by id), not yourself.', { '--admin': 'needs a user id' });
        if (!Object.keys(fields).length && flags.publicKey === undefined && !changesPassword) throw usageError('Nothing to change: give --alias, --public-key, --metadata or --password.');
        let user = Object.keys(fields).length || flags.publicKey !== undefined ? await cli.call('profile.update', { ...fields, ...(flags.publicKey !== undefined ? { public_key: flags.publicKey } : {}) }) : undefined;
        if (changesPassword) {
          const { currentPassword, newPassword } = await passwords(Boolean(flags.passwordStdin));
          user = await cli.call('profile.changePassword', { currentPassword, newPassword });
          cli.note('Password changed.');
        }
        return printUser(cli, user!);
      }
      if (changesPassword || flags.publicKey !== undefined) throw usageError('--password and --public-key change your own profile: leave out the id.', { '--password': 'is for your own profile' });
      const admin = { ...(flags.admin !== undefined ? { is_admin: flags.admin } : {}), ...(flags.banned !== undefined ? { is_banned: flags.banned } : {}) };
      if (!Object.keys(fields).length && !Object.keys(admin).length) throw usageError('Nothing to change: give --alias, --metadata, --admin/--no-admin or --banned/--no-banned.');
      printUser(cli, await cli.call('users.update', { id: id!, ...fields, ...admin }));
    });

  users
    .command('retry-setup')
    .description('ask the server to finish setting up your account again')
    .option('--region <region>', 'the region to set up in')
    .action(async (flags: { region?: string }, command: Command) => {
      const cli = cliFor(command);
      const result = await cli.call('profile.retrySetup', { ...(flags.region ? { region: flags.region } : {}) });
      if (cli.json) return cli.printJson(result);
      out(formatRecord(Object.entries(result as unknown as Record<string, unknown>)));
    });
}

const isMe = (id: string | undefined): boolean => id === undefined || id === 'me';

async function passwords(fromStdin: boolean): Promise<{ currentPassword: string; newPassword: string }> {
  if (fromStdin) {
    const currentPassword = (await nextStdinLine()) ?? '';
    const newPassword = (await nextStdinLine()) ?? '';
    return { currentPassword, newPassword };
  }
  if (!isTty()) throw usageError('Changing the password needs a terminal, or --password-stdin.', { '--password': 'needs a terminal (or use --password-stdin)' });
  const currentPassword = await prompt('Current password: ', { hidden: true });
  const newPassword = await prompt('New password: ', { hidden: true });
  if ((await prompt('New password again: ', { hidden: true })) !== newPassword) throw usageError('The two new passwords differ.', { '--password': 'must be typed the same twice' });
  return { currentPassword, newPassword };
}
