// CSV answers (RFC 4180): content negotiation on Accept, a header row, quoted cells, and no cell a spreadsheet runs.
import type { HttpEvent, HttpResult } from './event.ts';

export type CsvCell = string | number | boolean | null | undefined;

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvCell;
}

/**
 * A cell a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage return before one) is prefixed
 * with an apostrophe (OWASP's CSV-injection advice), so an officer's free text cannot run when the file is opened.
 * Numbers are written as numbers.
 */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** The header row and one row per item, each line ended by CRLF. */
export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  const line = (cells: CsvCell[]) => `${cells.map(csvCell).join(',')}\r\n`;
  return (
    line(columns.map((c) => c.header)) + rows.map((row) => line(columns.map((c) => c.value(row)))).join('')
  );
}

/** The q value Accept gives the first of `types` it names (exactly or by wildcard); 0 when it names none. */
function quality(accept: string, matches: (type: string) => boolean): number {
  let best = 0;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!matches(type)) continue;
    const q = params.find((p) => p.startsWith('q='));
    const value = q ? Number(q.slice(2)) : 1;
    if (Number.isFinite(value)) best = Math.max(best, value);
  }
  return best;
}

/** CSV when Accept prefers text/csv to JSON; JSON otherwise, and when Accept is absent or says nothing of either. */
export function wantsCsv(event: HttpEvent): boolean {
  const accept = event.headers.accept ?? event.headers.Accept;
  if (!accept) return false;
  const csv = quality(accept, (t) => t === 'text/csv' || t === 'text/*');
  const json = quality(accept, (t) => t === 'application/json' || t === 'application/*' || t === '*/*');
  return csv > 0 && csv > json;
}

/** A CSV file answer, named for saving; like every answer, kept by no shared cache. */
export function csvFile(filename: string, body: string): HttpResult {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
      'cache-control': 'no-store',
      vary: 'Accept',
    },
    body,
  };
}
