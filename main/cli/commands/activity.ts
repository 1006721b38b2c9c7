import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ActivityProgress } from '../../../common/activity.js';
import type { ActivityRecord } from '../../../common/hoody-types.js';
import type { Cli } from '../context.js';
import { CliError, usageError } from '../exit.js';
import { formatRecord, formatRows, out } from '../io.js';
import { progressLine, wholeNumber } from './vault.js';

// The API activity log: one page or all of them, its statistics, and exports written by the same
// writer as the app's (atomically: an interrupted export leaves no file behind).

type CliFor = (command: Command) => Cli;

interface FilterFlags {
  from?: string;
  to?: string;
  method?: string;
  minStatus?: number;
  maxStatus?: number;
  errorsOnly?: boolean;
  realm?: string;
}

const withFilters = (command: Command): Command =>
  command
    .option('--from <date>', 'from this date or time (ISO 8601, e.g. 2026-05-01 or 2026-05-01T12:00:00Z)')
    .option('--to <date>', 'up to this date or time (a date covers its whole UTC day)')
    .option('--method <method>', 'only this HTTP method (GET, POST, …)')
    .option('--min-status <code>', 'only statuses from this one', wholeNumber('--min-status'))
    .option('--max-status <code>', 'only statuses up to this one', wholeNumber('--max-status'))
    .option('--errors-only', 'only failed calls (status 400 and up)')
    .option('--realm <id>', 'only calls in this realm');

/** The API's query from the flags; the contract's schemas check it (and name the field). */
function filters(flags: FilterFlags) {
  return {
    ...(flags.from ? { start_date: flags.from } : {}),
    ...(flags.to ? { end_date: flags.to } : {}),
    // Any text goes to the core: the contract's schema says which methods there are.
    ...(flags.method ? { method: flags.method.toUpperCase() as 'GET' } : {}),
    ...(flags.minStatus !== undefined ? { min_status: flags.minStatus } : {}),
    ...(flags.maxStatus !== undefined ? { max_status: flags.maxStatus } : {}),
    ...(flags.errorsOnly ? { errors_only: 'true' as const } : {}),
    ...(flags.realm ? { realm_id: flags.realm } : {}),
  };
}

/** The API's field names, as the flags a person typed. */
export const ACTIVITY_FLAGS: Record<string, string> = {
  start_date: '--from', end_date: '--to', method: '--method', min_status: '--min-status', max_status: '--max-status',
  errors_only: '--errors-only', realm_id: '--realm', page: '--page', limit: '--limit', format: '--format',
};

export function registerActivity(program: Command, cliFor: CliFor): void {
  const activity = program.command('activity').description('your account’s API activity log');

  withFilters(activity.command('log').description('calls made with your account, newest first'))
    .option('--page <n>', 'this page (from 1)', wholeNumber('--page'))
    .option('--limit <n>', 'records per page (1 to 100)', wholeNumber('--limit'))
    .option('--all', 'every page')
    .action(async (flags: FilterFlags & { page?: number; limit?: number; all?: boolean }, command: Command) => {
      const cli = cliFor(command);
      if (flags.all && flags.page !== undefined) throw usageError('--all reads every page: leave out --page.', { '--page': 'cannot be combined with --all' });
      const query = { ...filters(flags), ...(flags.limit !== undefined ? { limit: flags.limit } : {}) };
      let records: ActivityRecord[] = [];
      let page = flags.page ?? 1;
      let meta;
      for (;;) {
        const answer = await cli.call('activity.query', { ...query, page });
        records = records.concat(answer.records);
        meta = answer.metadata;
        if (!flags.all || page >= meta.pages || !answer.records.length) break;
        page += 1;
        if (!cli.options.quiet) progressLine(`page ${page - 1} of ${meta.pages}`);
      }
      if (flags.all && !cli.options.quiet && meta.pages > 1) progressLine('\n');
      if (cli.json) return cli.printJson(flags.all ? { records, total: meta.total } : { records, metadata: meta });
      out(
        formatRows(records, [
          { header: 'TIME', value: (r) => r.created_at },
          { header: 'METHOD', value: (r) => r.method },
          { header: 'STATUS', value: (r) => r.status_code, right: true },
          { header: 'PATH', value: (r) => r.path },
          { header: 'IP', value: (r) => r.ip_address },
          { header: 'REALM', value: (r) => r.realm_id },
        ], cli.options.output === 'csv' ? 'csv' : 'table', cli.options.color),
      );
      if (!flags.all && cli.options.output === 'table') cli.note(`page ${meta.page} of ${meta.pages} (${meta.total} records)`);
    });

  activity
    .command('stats')
    .description('records kept, storage used, oldest and newest record')
    .action(async (_flags: unknown, command: Command) => {
      const cli = cliFor(command);
      const stats = await cli.call('activity.stats');
      if (cli.json) return cli.printJson(stats);
      out(formatRecord(Object.entries(stats as unknown as Record<string, unknown>)));
    });

  withFilters(activity.command('export').description('the filtered log as CSV or JSON, to a file (atomically) or stdout'))
    .requiredOption('--format <format>', 'csv or json')
    .option('--out <file>', 'the file to write (default: stdout); a folder gets the usual file name')
    .action(async (flags: FilterFlags & { format: string; out?: string }, command: Command) => {
      const cli = cliFor(command);
      if (flags.format !== 'csv' && flags.format !== 'json') throw usageError('--format must be csv or json.', { '--format': 'must be csv or json' });
      const target = flags.out ? resolve(flags.out) : undefined;
      await cli.core(target ? { saveTo: async (name) => (existsSync(target) && statSync(target).isDirectory() ? join(target, name) : target) } : {});
      const jobId = randomUUID();
      const stop = await cli.listen((event, payload) => {
        const progress = payload as ActivityProgress;
        if (event === 'activity.progress' && progress.jobId === jobId && !cli.options.quiet) progressLine(`exporting: page ${progress.done} of ${progress.total} (${progress.records} records)`);
      });
      cli.onInterrupt = async () => {
        await cli.call('activity.cancel', { jobId });
      };
      let result;
      try {
        result = await cli.call('activity.export', { jobId, format: flags.format, ...filters(flags) });
      } finally {
        cli.onInterrupt = undefined;
        stop();
        if (!cli.options.quiet) progressLine('\n');
      }
      if (result.status === 'cancelled') throw new CliError({ code: 'CONFLICT', message: 'The export was cancelled; no file was written.' });
      if (result.status === 'dismissed') throw new CliError({ code: 'INTERNAL', message: 'The export had nowhere to go.' });
      if (result.cap) cli.warn(result.cap.reason === 'pages' ? `the export stopped at ${result.cap.pages} pages (the API's limit).` : 'the export stopped at the size limit for stdout: use --out FILE for all of it.');
      if (result.status === 'download') return out(result.content);
      cli.note(`Exported ${result.records} records to ${result.path}`);
      if (cli.json) cli.printJson({ path: result.path, records: result.records, format: result.format });
    });
}
