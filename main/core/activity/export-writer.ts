import type { ExportFormat } from '../../../common/activity.js';
import type { ActivityRecord } from '../../../common/hoody-types.js';
import type { ActivityQuery } from '../../../common/rules.js';

// The export files. CSV: RFC 4180 (a header row, CRLF line ends, fields quoted when they hold a
// comma, a quote or a line break, quotes doubled), with spreadsheet formula injection defused: a cell
// starting with = + - @ (or a tab or carriage return) gets a leading single quote. JSON: one object,
// `{exported_at, filters, records_count, complete, records}`, each record as the API gave it.

export const CSV_COLUMNS = ['created_at', 'method', 'path', 'status_code', 'realm_id', 'ip_address', 'user_agent', 'id', 'user_id'] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRow = (cells: ReadonlyArray<string | number | undefined>): string => `${cells.map(csvCell).join(',')}\r\n`;

export const MIME_TYPES: Record<ExportFormat, string> = { csv: 'text/csv;charset=utf-8', json: 'application/json;charset=utf-8' };

/** `hoody-activity-2026-11-26-1430.csv`, in local time. */
export function exportFileName(format: ExportFormat, at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `hoody-activity-${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}.${format}`;
}

/** Collects an export page by page, as text chunks, and counts its size as it grows. */
export class ExportWriter {
  readonly #chunks: string[] = [];
  #bytes = 0;
  #records = 0;

  constructor(
    readonly format: ExportFormat,
    readonly query: ActivityQuery,
  ) {
    if (format === 'csv') this.#push(csvRow([...CSV_COLUMNS]));
  }

  get bytes(): number {
    return this.#bytes;
  }

  get records(): number {
    return this.#records;
  }

  add(records: readonly ActivityRecord[]): void {
    let text = '';
    for (const record of records) {
      if (this.format === 'csv') text += csvRow(CSV_COLUMNS.map((column) => record[column]));
      else text += `${this.#records === 0 ? '\n' : ',\n'}    ${JSON.stringify(record)}`;
      this.#records += 1;
    }
    if (text) this.#push(text);
  }

  /** The whole file. */
  finish(complete: boolean, exportedAt: Date): string {
    if (this.format === 'csv') return this.#chunks.join('');
    const head = [
      '{',
      `  "exported_at": ${JSON.stringify(exportedAt.toISOString())},`,
      `  "filters": ${JSON.stringify(this.query)},`,
      `  "records_count": ${this.#records},`,
      `  "complete": ${complete},`,
      `  "records": [`,
    ].join('\n');
    return `${head}${this.#chunks.join('')}${this.#records ? '\n  ' : ''}]\n}\n`;
  }

  #push(text: string): void {
    this.#chunks.push(text);
    this.#bytes += Buffer.byteLength(text);
  }
}
