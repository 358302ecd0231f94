// CSV answers: RFC 4180 quoting, the header row and CRLF lines, the formula guard, and negotiation on Accept.
import { describe, expect, it } from 'vitest';
import { csvCell, csvFile, toCsv, wantsCsv } from '../../functions/http/csv.ts';
import { httpEvent } from './handlers/events.ts';

describe('csvCell', () => {
  it('leaves plain text and numbers as they are', () => {
    expect(csvCell('TFT')).toBe('TFT');
    expect(csvCell(12)).toBe('12');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(null)).toBe('');
  });

  it('quotes a cell holding a comma, a quote or a line break, doubling the quotes', () => {
    expect(csvCell('Mand, Pishin')).toBe('"Mand, Pishin"');
    expect(csvCell('said "VALID"')).toBe('"said ""VALID"""');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvCell('one\nline')).toBe('"one\nline"');
  });

  it.each(['=HYPERLINK("http://x")', '+92', '-1+1', '@SUM(A1)', '\t=1', '\r=1'])(
    'prefixes %j with an apostrophe so no spreadsheet runs it',
    (text) => {
      const cell = csvCell(text);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
      expect(unquoted).toBe(`'${text}`);
    },
  );

  it('does not guard a number, which a spreadsheet reads as a number', () => {
    expect(csvCell(-3)).toBe('-3');
  });
});

describe('toCsv', () => {
  it('writes a header row and one line per row, each ended by CRLF', () => {
    const rows = [
      { date: '2026-12-01', n: 3 },
      { date: '2026-12-02', n: 0 },
    ];
    const text = toCsv(
      [
        { header: 'date', value: (r: (typeof rows)[number]) => r.date },
        { header: 'count', value: (r: (typeof rows)[number]) => r.n },
      ],
      rows,
    );
    expect(text).toBe('date,count\r\n2026-12-01,3\r\n2026-12-02,0\r\n');
  });

  it('writes only the header row when there are no rows', () => {
    expect(toCsv([{ header: 'vessel', value: () => 'x' }], [])).toBe('vessel\r\n');
  });
});

describe('wantsCsv', () => {
  const accepting = (accept?: string) =>
    wantsCsv(httpEvent('GET /reports/crossings', accept === undefined ? {} : { headers: { accept } }));

  it('answers CSV to Accept: text/csv', () => {
    expect(accepting('text/csv')).toBe(true);
    expect(accepting('text/csv, */*;q=0.1')).toBe(true);
    expect(accepting('application/json;q=0.5, text/csv')).toBe(true);
  });

  it('answers JSON when Accept is absent, prefers JSON, says anything or does not name CSV', () => {
    expect(accepting()).toBe(false);
    expect(accepting('*/*')).toBe(false);
    expect(accepting('application/json')).toBe(false);
    expect(accepting('text/csv;q=0.5, application/json')).toBe(false);
    expect(accepting('text/csv;q=0')).toBe(false);
    expect(accepting('text/html')).toBe(false);
  });
});

describe('csvFile', () => {
  it('names the file for saving and keeps it out of shared caches', () => {
    const file = csvFile('crossings-2026-12-01-2026-12-02.csv', 'a\r\n');
    expect(file.headers).toMatchObject({
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': 'attachment; filename="crossings-2026-12-01-2026-12-02.csv"',
      'cache-control': 'no-store',
    });
  });

  it('keeps quotes and path characters out of the file name', () => {
    expect(csvFile('a"b/c.csv', '').headers?.['content-disposition']).toBe(
      'attachment; filename="a_b_c.csv"',
    );
  });
});
