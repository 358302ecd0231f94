// The reports on DynamoDB Local through the local server: crossings at several posts around Pakistan midnight,
// replayed and synced out of order, and each report agreeing with what this file posted, as JSON and as CSV.
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cnicSeries, karachiDay } from '../support/data.ts';
import { vesselBody } from '../support/fleet.ts';
import { applicationFor, type TestPlatform, testPlatform } from '../support/platform.ts';

let p: TestPlatform;
let officer: string;
let analyst: string;
const posts: Record<string, string> = {};

const freshCnic = cnicSeries('58', 1);
const freshOwner = cnicSeries('59', 3);
const HOUR = 3600_000;

interface Sent {
  id: string;
  credential: string;
  kind: 'bp' | 'vr';
  checkpoint: string;
  direction: 'OUT' | 'IN';
  at: string;
  crew?: { count: number; cnics: string[] };
}

/** Every record this file posted and the server stored, by id (a replay is the same record again). */
const stored = new Map<string, Sent & { no: string; anomalies: string[] }>();
const passes = new Map<string, { no: string; name: string; cnic: string; qrText: string }>();
const boats = new Map<string, { no: string; qrText: string }>();

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await p.api(method, path, { token, ...(body === undefined ? {} : { body }) });
  if (res.status >= 300)
    throw new Error(`${method} ${path} failed while preparing: ${res.status} ${res.text}`);
  return res.json;
}

/** The Pakistan day of an instant, counted here without the server's code: UTC+5, no daylight saving. */
const pakistanDay = (at: string) => new Date(Date.parse(at) + 5 * HOUR).toISOString().slice(0, 10);

/** Posts records as the post that recorded them and files what the server stored. */
async function sync(checkpoint: string, records: (Sent & { no: string })[]) {
  const res = await p.api('POST', '/crossings', {
    token: posts[checkpoint] as string,
    body: {
      records: records.map(({ no: _no, ...r }) => ({
        ...r,
        officer: `officer-${checkpoint}`,
        device: `device-${checkpoint}`,
        verdict: 'VALID',
      })),
    },
  });
  expect(res.status, res.text).toBe(200);
  const results = res.json.results as { id: string; result: string; anomalies?: string[] }[];
  records.forEach((record, i) => {
    const result = results[i] as (typeof results)[number];
    expect(['stored', 'duplicate'], JSON.stringify(result)).toContain(result.result);
    if (result.result === 'stored') stored.set(record.id, { ...record, anomalies: result.anomalies ?? [] });
  });
  return results;
}

// Two Pakistan midnights: the start of today there (in the past) and the start of tomorrow (at most a day ahead,
// which the server takes from a device).
const midnight1 = Date.parse(`${karachiDay()}T00:00:00+05:00`);
const midnight2 = Date.parse(`${karachiDay(1)}T00:00:00+05:00`);
const at = (base: number, minutes: number) => new Date(base + minutes * 60_000).toISOString();

function passRecord(
  key: string,
  checkpoint: string,
  direction: 'OUT' | 'IN',
  when: string,
): Sent & { no: string } {
  const pass = passes.get(key) as { no: string; qrText: string };
  return { id: ulid(), credential: pass.qrText, no: pass.no, kind: 'bp', checkpoint, direction, at: when };
}

function boatRecord(
  key: string,
  checkpoint: string,
  direction: 'OUT' | 'IN',
  when: string,
  count: number,
): Sent & { no: string } {
  const boat = boats.get(key) as { no: string; qrText: string };
  return {
    id: ulid(),
    credential: boat.qrText,
    no: boat.no,
    kind: 'vr',
    checkpoint,
    direction,
    at: when,
    crew: { count, cnics: [] },
  };
}

beforeAll(async () => {
  p = await testPlatform();
  officer = await p.login('fia-officer', 'officer-1');
  analyst = await p.login('moi-analyst', 'analyst-1');
  const fisheries = await p.login('fisheries-officer', 'fisheries-gwd-1', { port: 'GWD' });
  for (const checkpoint of ['TFT', 'RJY', 'GWD', 'JWN']) {
    posts[checkpoint] = await p.login('checkpoint-officer', `post-${checkpoint}`, { checkpoint });
  }
  for (const key of ['A', 'B', 'C', 'D', 'E']) {
    const cnic = freshCnic();
    const name = `Holder ${key}`;
    const app = await call('POST', '/applications', officer, applicationFor(cnic, { name }));
    const approved = await call('POST', `/applications/${app.id}/approve`, officer);
    const shown = await call('GET', `/passes/${approved.pass.number}`, officer);
    passes.set(key, { no: approved.pass.number, name, cnic, qrText: shown.qrText });
  }
  for (const key of ['X', 'Y', 'Z']) {
    const owner = { name: 'Karim Bakhsh', fatherName: 'Dad Muhammad', cnic: freshOwner(), address: 'Gwadar' };
    const boat = await call(
      'POST',
      '/vessels',
      fisheries,
      vesselBody(karachiDay(), { name: `Report ${key}`, owner }),
    );
    boats.set(key, { no: boat.officialNumber, qrText: boat.certificate.qrText });
  }

  // A: out just before midnight at Taftan, back just after at Rajay, the return synced first.
  const aOut = passRecord('A', 'TFT', 'OUT', at(midnight1, -2));
  const aIn = passRecord('A', 'RJY', 'IN', at(midnight1, 3));
  await sync('RJY', [aIn]);
  await sync('TFT', [aOut]);
  // B: out and back in one batch, then the whole batch replayed.
  const bOut = passRecord('B', 'TFT', 'OUT', at(midnight1, -1));
  const bIn = passRecord('B', 'TFT', 'IN', at(midnight1, 1));
  await sync('TFT', [bOut, bIn]);
  await sync('TFT', [bOut, bIn]);
  // C: out the day before, still away.
  await sync('RJY', [passRecord('C', 'RJY', 'OUT', at(midnight1, -30))]);
  // C again, out once more after midnight with no return between: an anomaly of the second day.
  await sync('RJY', [passRecord('C', 'RJY', 'OUT', at(midnight1, 10))]);
  // D: in, then out again after the second midnight, in one batch sent newest first.
  await sync('TFT', [
    passRecord('D', 'TFT', 'OUT', at(midnight2, 2)),
    passRecord('D', 'TFT', 'IN', at(midnight1, 5)),
  ]);
  // E: out, back, out again, back again, across both midnights; the last return synced before the rest.
  const e = [
    passRecord('E', 'TFT', 'OUT', at(midnight1, -3)),
    passRecord('E', 'TFT', 'IN', at(midnight1, 4)),
    passRecord('E', 'TFT', 'OUT', at(midnight2, -4)),
    passRecord('E', 'TFT', 'IN', at(midnight2, 1)),
  ];
  await sync('TFT', [e[3] as Sent & { no: string }]);
  await sync('TFT', e);
  // X: at sea with a crew of 5. Y: out and back. Z: back at Jiwani synced before its departure from Gwadar.
  await sync('GWD', [boatRecord('X', 'GWD', 'OUT', at(midnight1, -5), 5)]);
  await sync('GWD', [boatRecord('Y', 'GWD', 'OUT', at(midnight1, -6), 4)]);
  await sync('JWN', [boatRecord('Y', 'JWN', 'IN', at(midnight2, -6), 4)]);
  const zOut = boatRecord('Z', 'GWD', 'OUT', at(midnight1, 6), 3);
  await sync('JWN', [boatRecord('Z', 'JWN', 'IN', at(midnight1, 60), 3)]);
  await sync('GWD', [zOut]);
}, 120_000);
afterAll(() => p.close());

const records = () => [...stored.values()];
const days = () =>
  records()
    .map((r) => pakistanDay(r.at))
    .sort();
const firstDay = () => days()[0] as string;
const lastDay = () => days().at(-1) as string;

/** What each credential's last crossing is, from this file's own list: (time, id) order, as the history is. */
function lastCrossings() {
  const last = new Map<string, Sent & { no: string }>();
  for (const r of records()) {
    const before = last.get(r.no);
    if (!before || `${before.at}#${before.id}` < `${r.at}#${r.id}`) last.set(r.no, r);
  }
  return [...last.values()];
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  expect(cell, 'every line ends with CRLF').toBe('');
  return rows;
}

/** The CSV answer as objects keyed by its header row, every cell a string. */
async function csvRows(path: string, token = officer) {
  const res = await p.api('GET', path, { token, headers: { accept: 'text/csv' } });
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[\w.-]+\.csv"$/);
  const [header, ...rows] = parseCsv(res.text);
  return rows.map((cells) => Object.fromEntries((header as string[]).map((h, i) => [h, cells[i] as string])));
}

/** JSON rows as CSV cells: absent and null empty, a list space-separated; `columns` adds the absent ones. */
const asStrings = (rows: Record<string, unknown>[], columns: string[] = []) =>
  rows.map((row) =>
    Object.fromEntries(
      Object.entries({ ...Object.fromEntries(columns.map((c) => [c, undefined])), ...row }).map(([k, v]) => [
        k,
        v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v),
      ]),
    ),
  );

describe('GET /reports/crossings', () => {
  const expected = (checkpoint?: string) => {
    const rows = new Map<string, { date: string; checkpoint: string; out: number; in: number }>();
    for (const r of records()) {
      if (checkpoint && r.checkpoint !== checkpoint) continue;
      const date = pakistanDay(r.at);
      const row = rows.get(`${date}#${r.checkpoint}`) ?? { date, checkpoint: r.checkpoint, out: 0, in: 0 };
      if (r.direction === 'OUT') row.out++;
      else row.in++;
      rows.set(`${date}#${r.checkpoint}`, row);
    }
    return [...rows.values()].sort((a, b) =>
      `${a.date}#${a.checkpoint}` < `${b.date}#${b.checkpoint}` ? -1 : 1,
    );
  };

  it('counts each stored crossing once, by Pakistan day, checkpoint and direction', async () => {
    const res = await p.api('GET', `/reports/crossings?from=${firstDay()}&to=${lastDay()}`, {
      token: analyst,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.days).toEqual(expected());
    // The replayed batch and the re-sent return were answered as duplicates and counted nowhere.
    expect(res.json.days.reduce((n: number, d: { out: number; in: number }) => n + d.out + d.in, 0)).toBe(
      stored.size,
    );
  });

  it('puts a crossing a minute before Pakistan midnight on the day before the one a minute after', async () => {
    const res = await p.api('GET', `/reports/crossings?from=${firstDay()}&to=${lastDay()}&checkpoint=TFT`, {
      token: analyst,
    });
    const before = res.json.days.find((d: { date: string }) => d.date === pakistanDay(at(midnight1, -1)));
    const after = res.json.days.find((d: { date: string }) => d.date === pakistanDay(at(midnight1, 1)));
    expect(pakistanDay(at(midnight1, -1))).not.toBe(pakistanDay(at(midnight1, 1)));
    expect(before).toMatchObject({ checkpoint: 'TFT', out: 3 });
    expect(after).toMatchObject({ checkpoint: 'TFT', in: 3 });
  });

  it('answers one checkpoint when asked for it', async () => {
    const res = await p.api('GET', `/reports/crossings?from=${firstDay()}&to=${lastDay()}&checkpoint=RJY`, {
      token: officer,
    });
    expect(res.json).toEqual({ from: firstDay(), to: lastDay(), checkpoint: 'RJY', days: expected('RJY') });
  });

  it('answers nothing for days with no crossing', async () => {
    const res = await p.api('GET', '/reports/crossings?from=2020-01-01&to=2020-03-31', { token: officer });
    expect(res.json.days).toEqual([]);
  });

  it('gives the same rows as a CSV file', async () => {
    const json = await p.api('GET', `/reports/crossings?from=${firstDay()}&to=${lastDay()}`, {
      token: officer,
    });
    const rows = await csvRows(`/reports/crossings?from=${firstDay()}&to=${lastDay()}`);
    expect(rows).toEqual(asStrings(json.json.days));
  });
});

describe('GET /reports/vessels-at-sea', () => {
  it('lists exactly the boats whose latest crossing is an OUT, with where, when and the crew', async () => {
    const expected = lastCrossings()
      .filter((r) => r.kind === 'vr' && r.direction === 'OUT')
      .map((r) => ({ vessel: r.no, checkpoint: r.checkpoint, outAt: r.at, crew: r.crew?.count }));
    const res = await p.api('GET', '/reports/vessels-at-sea', { token: analyst });
    expect(res.status, res.text).toBe(200);
    expect(
      res.json.items.map(({ certificate: _c, ...row }: Record<string, unknown>) => row).sort(byOut),
    ).toEqual(expected.sort(byOut));
    expect(expected.map((r) => r.vessel)).toEqual([boats.get('X')?.no]);
  });

  it('gives the same rows as a CSV file', async () => {
    const json = await p.api('GET', '/reports/vessels-at-sea', { token: officer });
    expect(await csvRows('/reports/vessels-at-sea')).toEqual(asStrings(json.json.items));
  });
});

const byOut = (a: { outAt: unknown }, b: { outAt: unknown }) =>
  String(a.outAt).localeCompare(String(b.outAt));

describe('GET /reports/overstays', () => {
  // Every pass here runs 90 days from today: a day 120 days on is past all of them.
  const later = karachiDay(120);
  const expected = (withCnic: boolean) =>
    lastCrossings()
      .filter((r) => r.kind === 'bp' && r.direction === 'OUT')
      .map((r) => {
        const pass = [...passes.values()].find((x) => x.no === r.no) as { name: string; cnic: string };
        return {
          pass: r.no,
          name: pass.name,
          ...(withCnic ? { cnic: pass.cnic } : {}),
          checkpoint: r.checkpoint,
          outAt: r.at,
        };
      })
      .sort(byOut);

  it('lists no one while every pass is still valid', async () => {
    const res = await p.api('GET', '/reports/overstays', { token: officer });
    expect(res.status, res.text).toBe(200);
    expect(res.json.items).toEqual([]);
  });

  it('lists every holder out with no return once their pass has expired, with the CNIC for FIA', async () => {
    const res = await p.api('GET', `/reports/overstays?asOf=${later}`, { token: officer });
    expect(res.status, res.text).toBe(200);
    expect(
      res.json.items.map(({ expiredAt: _e, ...row }: Record<string, unknown>) => row).sort(byOut),
    ).toEqual(expected(true));
    expect(
      expected(true)
        .map((r) => r.pass)
        .sort(),
    ).toEqual([passes.get('C')?.no, passes.get('D')?.no].sort());
  });

  it('shows the Ministry analyst the same list without CNICs', async () => {
    const res = await p.api('GET', `/reports/overstays?asOf=${later}`, { token: analyst });
    expect(
      res.json.items.map(({ expiredAt: _e, ...row }: Record<string, unknown>) => row).sort(byOut),
    ).toEqual(expected(false));
    expect(res.text).not.toMatch(/\d{13}/);
    const rows = await csvRows(`/reports/overstays?asOf=${later}`, analyst);
    expect(Object.keys(rows[0] ?? {})).not.toContain('cnic');
  });

  it('gives the same rows as a CSV file', async () => {
    const json = await p.api('GET', `/reports/overstays?asOf=${later}`, { token: officer });
    expect(await csvRows(`/reports/overstays?asOf=${later}`)).toEqual(asStrings(json.json.items));
  });
});

describe('GET /reports/anomalies', () => {
  const expected = (type?: string) =>
    records()
      .flatMap((r) =>
        r.anomalies.filter((t) => !type || t === type).map((t) => ({ id: r.id, type: t, at: r.at })),
      )
      .sort((a, b) => `${a.at}#${a.id}#${a.type}`.localeCompare(`${b.at}#${b.id}#${b.type}`));

  async function everyPage(query: string, token = officer) {
    const items: Record<string, unknown>[] = [];
    let path: string | undefined = `/reports/anomalies?${query}`;
    let pages = 0;
    while (path) {
      const res = await p.api('GET', path, { token });
      expect(res.status, res.text).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(2);
      items.push(...res.json.items);
      path = res.json.next;
      pages++;
    }
    return { items, pages };
  }

  it('pages through every anomaly of the days, across days, in time order', async () => {
    const all = expected();
    expect(new Set(all.map((a) => pakistanDay(a.at))).size).toBeGreaterThan(1);
    const { items, pages } = await everyPage(`from=${firstDay()}&to=${lastDay()}&limit=2`);
    expect(items.map((a) => ({ id: a.crossingId, type: a.type, at: a.at }))).toEqual(all);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(all.length / 2));
  });

  it('filters by type', async () => {
    const { items } = await everyPage(`from=${firstDay()}&to=${lastDay()}&type=DOUBLE_OUT&limit=2`);
    expect(items.map((a) => ({ id: a.crossingId, type: a.type, at: a.at }))).toEqual(expected('DOUBLE_OUT'));
  });

  it('gives the same rows as a CSV file, with a link to the next page', async () => {
    const query = `from=${firstDay()}&to=${lastDay()}&limit=3`;
    const json = await p.api('GET', `/reports/anomalies?${query}`, { token: officer });
    const res = await p.api('GET', `/reports/anomalies?${query}`, {
      token: officer,
      headers: { accept: 'text/csv' },
    });
    // The group columns stay empty but on a GROUP_OVERDUE row (test/integration/groups.test.ts).
    expect(await csvRows(`/reports/anomalies?${query}`)).toEqual(
      asStrings(json.json.items, ['cnics', 'group', 'leader', 'leaderCnic']),
    );
    if (json.json.next) expect(res.headers.get('link')).toBe(`<${json.json.next}>; rel="next"`);
  });

  it('refuses a cursor made for other days', async () => {
    const first = await p.api('GET', `/reports/anomalies?from=${firstDay()}&to=${lastDay()}&limit=1`, {
      token: officer,
    });
    const cursor = new URL(first.json.next, 'http://x').searchParams.get('cursor') as string;
    const res = await p.api('GET', `/reports/anomalies?from=2020-01-01&to=2020-01-02&cursor=${cursor}`, {
      token: officer,
    });
    expect(res.status, res.text).toBe(400);
    expect(res.json.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
  });
});
