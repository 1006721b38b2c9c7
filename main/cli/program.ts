import { Command, CommanderError, Option } from 'commander';
import type { AppError } from '../../common/errors.js';
import { ACTIVITY_FLAGS, registerActivity } from './commands/activity.js';
import { registerAccounts } from './commands/accounts.js';
import { registerFiles } from './commands/files.js';
import { registerUsers } from './commands/users.js';
import { registerVault } from './commands/vault.js';
import { registerVaultHistory } from './commands/vault-history.js';
import { Cli, VERSION, type GlobalOptions } from './context.js';
import { CliError, EXIT } from './exit.js';
import { err } from './io.js';

// The command tree (commander), the global options, and the one place errors become a message on
// stderr and an exit code. Usage errors are exit 2 and name the flag and the rule.

/** Input fields of the contract, as the flags or arguments a person typed. */
const FIELD_FLAGS: Record<string, string> = {
  ...ACTIVITY_FLAGS,
  realmId: '--realm',
  notes: '--notes',
  value: '--value',
  key: 'KEY',
  serverUrl: '--server',
  login: '--username',
  code: '--code',
  alias: '--alias',
  public_key: '--public-key',
  metadata: '--metadata',
  region: '--region',
  id: 'ID',
  minutes: '--minutes',
  session: 'HOODY_VAULT_SESSION',
  currentPassword: 'current password',
  newPassword: 'new password',
};

export interface RunResult {
  exitCode: number;
}

export async function run(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  let cli: Cli | undefined;
  const program = new Command('hoody-vault');
  const cliFor = (command: Command): Cli => {
    cli ??= new Cli(globalOptions(command.optsWithGlobals(), env), env);
    return cli;
  };
  let usageText = '';
  program
    .description('Hoody Vault on the command line: your Hoody account, its vault (encrypted on this computer) and its activity log')
    .version(VERSION, '--version', 'print the version')
    .option('--server <url>', 'the Hoody server (with HOODY_TOKEN; default: HOODY_BASE_URL)')
    .option('--account <id|username>', 'use this signed-in account for this command')
    .option('--data <dir>', 'the data folder (default: the app’s own, so both see the same accounts and copies)')
    .addOption(new Option('-o, --output <format>', 'table, json, or csv (lists)').choices(['table', 'json', 'csv']).default('table'))
    .option('--realm <id>', 'the realm to work in (default: the global scope)')
    .option('-y, --yes', 'answer yes to confirmations')
    .option('-q, --quiet', 'no notes or progress on stderr')
    .option('--no-color', 'no colours')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => void (usageText += text), writeOut: (text) => void process.stdout.write(text) });
  registerAccounts(program, cliFor);
  registerUsers(program, cliFor);
  const vault = registerVault(program, cliFor);
  registerVaultHistory(vault, cliFor);
  registerFiles(vault, cliFor);
  registerActivity(program, cliFor);
  for (const command of allCommands(program)) if (command !== program) command.exitOverride().configureOutput({ writeErr: (text) => void (usageText += text) });

  // Ctrl+C: what is running is stopped through the core (an upload cancelled, so the server keeps
  // nothing; an export abandoned before its file is written), then the run ends with 130.
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(EXIT.interrupted);
    interrupted = true;
    const stop = cli?.onInterrupt;
    if (!stop) process.exit(EXIT.interrupted);
    err('\nstopping…\n');
    void stop().catch(() => process.exit(EXIT.interrupted));
  };
  process.on('SIGINT', onSigint);

  let exitCode: number = EXIT.ok;
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    await cli?.settle();
  } catch (error) {
    const json = wantsJson(argv);
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return { exitCode: EXIT.ok };
      const message = usageText.split('\n')[0]!.replace(/^error: /, '').trim() || error.message;
      report({ code: 'INVALID_INPUT', message }, json, usageText);
      exitCode = EXIT.usage;
    } else if (error instanceof CliError) {
      report(error.error, json);
      exitCode = error.exitCode;
    } else if ((error as { interrupted?: boolean }).interrupted) {
      exitCode = EXIT.interrupted;
    } else {
      report({ code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) }, json);
      exitCode = EXIT.failed;
    }
  }
  process.off('SIGINT', onSigint);
  return { exitCode: interrupted ? EXIT.interrupted : exitCode };
}

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

function globalOptions(opts: Record<string, unknown>, env: NodeJS.ProcessEnv): GlobalOptions {
  const color = opts.color !== false && !env.NO_COLOR && Boolean(process.stderr.isTTY);
  return {
    output: (opts.output as GlobalOptions['output']) ?? 'table',
    color,
    ...(typeof opts.server === 'string' ? { server: opts.server } : {}),
    ...(typeof opts.account === 'string' ? { account: opts.account } : {}),
    ...(typeof opts.data === 'string' ? { data: opts.data } : {}),
    ...(typeof opts.realm === 'string' ? { realm: opts.realm } : {}),
    ...(opts.yes ? { yes: true } : {}),
    ...(opts.quiet ? { quiet: true } : {}),
  };
}

/** Whether -o json / --output json was asked for, read from argv (usage errors happen before parsing ends). */
function wantsJson(argv: readonly string[]): boolean {
  return argv.some((arg, i) => ((arg === '-o' || arg === '--output') && argv[i + 1] === 'json') || arg === '--output=json' || arg === '-ojson');
}

/** One error: a JSON object on stderr with -o json, else a message, then each bad field by its flag. */
function report(error: AppError, json: boolean, usage = ''): void {
  const fields = error.fields ? Object.fromEntries(Object.entries(error.fields).map(([field, rule]) => [FIELD_FLAGS[field] ?? field, rule])) : undefined;
  if (json) {
    err(`${JSON.stringify({ error: { code: error.code, message: error.message, ...(fields ? { fields } : {}) } })}\n`);
    return;
  }
  let text = `hoody-vault: ${error.message}\n`;
  for (const [flag, rule] of Object.entries(fields ?? {})) if (!error.message.includes(rule)) text += `  ${flag}: ${rule}\n`;
  if (error.retryAfter) text += `  try again in ${error.retryAfter} s\n`;
  if (usage.includes('(run with --help')) text += '(run with --help for usage)\n';
  err(text);
}

