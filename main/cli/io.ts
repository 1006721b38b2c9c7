import { createInterface } from 'node:readline';

// The terminal side of the command line: stdin read once and handed out line by line (a password,
// then a two-factor code), hidden prompts on a TTY, and the three output formats. Data goes to
// stdout; prompts, progress and warnings to stderr, so `$(hoody-vault vault get KEY)` is the value.

export type OutputFormat = 'table' | 'json' | 'csv';

let stdinText: Promise<string> | undefined;
let lineCursor = 0;

/** Everything on stdin, read once (a pipe or a file; never a TTY). */
export function readStdin(): Promise<string> {
  stdinText ??= (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  })();
  return stdinText;
}

/** The next line of stdin (without its line ending), or undefined when stdin has no more lines. */
export async function nextStdinLine(): Promise<string | undefined> {
  const lines = (await readStdin()).split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const line = lines[lineCursor];
  lineCursor += 1;
  return line;
}

export const isTty = (): boolean => Boolean(process.stdin.isTTY && process.stderr.isTTY);

/** Asks on the terminal; a hidden answer is not echoed at all (not even its length). Only called when isTty(). */
export function prompt(question: string, options: { hidden?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    if (options.hidden) {
      const write = output._writeToOutput.bind(rl);
      output._writeToOutput = (text: string) => {
        // Only the question itself is echoed; what is typed is not (nor its length).
        if (text.startsWith(question) || text === '\r\n' || text === '\n') write(text.startsWith(question) ? question : text);
      };
    }
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
    rl.on('SIGINT', () => {
      rl.close();
      reject(Object.assign(new Error('cancelled'), { interrupted: true }));
    });
  });
}

export const out = (text: string): void => void process.stdout.write(text);
export const err = (text: string): void => void process.stderr.write(text);

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | undefined;
  /** Right-aligned (numbers). */
  right?: boolean;
}

/** Rows as an aligned table (header in bold when colour is on), or RFC 4180 CSV. */
export function formatRows<T>(rows: readonly T[], columns: ReadonlyArray<Column<T>>, format: 'table' | 'csv', color: boolean): string {
  const cells = rows.map((row) => columns.map((c) => String(c.value(row) ?? '')));
  if (format === 'csv') {
    const line = (values: string[]) => values.map(csvField).join(',');
    return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\r\n') + '\r\n';
  }
  const oneLine = (text: string) => text.replace(/\s+/g, ' ');
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => Math.min(60, oneLine(row[i]!).length))));
  const fit = (text: string, i: number) => {
    const flat = oneLine(text);
    const cut = flat.length > widths[i]! ? `${flat.slice(0, widths[i]! - 1)}…` : flat;
    return columns[i]!.right ? cut.padStart(widths[i]!) : cut.padEnd(widths[i]!);
  };
  const header = columns.map((c, i) => fit(c.header, i)).join('  ').trimEnd();
  const body = cells.map((row) => row.map(fit).join('  ').trimEnd());
  return [color ? `\u001b[1m${header}\u001b[22m` : header, ...body].join('\n') + '\n';
}

/** Key/value pairs of one record, aligned. */
export function formatRecord(pairs: ReadonlyArray<[string, unknown]>): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.filter(([, v]) => v !== undefined).map(([k, v]) => `${k.padEnd(width)}  ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n') + '\n';
}

/** A CSV field, quoted when needed; a leading = + - @ is neutralised so spreadsheets do not run it. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
