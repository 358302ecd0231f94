// The officer's lists, offline: who is out now and this device's last 7 days of crossings, searched by name or
// number, today's counts, and the checks per officer and shift a supervisor asks for.
import { h } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { format } from '../../shared/i18n.ts';
import { crossingsSince, historyStart, matches, outNow } from './history.ts';
import { CrossingRow } from './queue-panel.ts';
import { SHIFT_HOURS, type ShiftRow, shiftRows } from './shift-counts.ts';
import type { LocalCrossing, SavedRosters } from './storage.ts';
import type { Strings } from './strings.ts';
import { pakistanDay, pktStamp } from './time.ts';

const el = h;

/** Rows drawn at most per list: a search narrows a week of a busy post. */
const SHOWN = 100;
/** Everything the device keeps is read for "out now": a month of records. */
const KEPT_MS = 31 * 24 * 3600 * 1000;

interface ListsProps {
  s: Strings;
  /** Changes whenever a crossing is recorded, withdrawn or answered. */
  version: number;
  rosters: SavedRosters | undefined;
  nowMs: number;
}

export function ListsPanel({ s, version, rosters, nowMs }: ListsProps) {
  const [kept, setKept] = useState<LocalCrossing[] | undefined>();
  const [shifts, setShifts] = useState<ShiftRow[]>([]);
  const [query, setQuery] = useState('');

  useEffect(() => {
    let current = true;
    // A run of scans changes the version each time: read once the run pauses.
    const timer = setTimeout(async () => {
      const all = await crossingsSince(Date.now() - KEPT_MS);
      const rows = await shiftRows(all, pakistanDay(historyStart(Date.now())));
      if (current) {
        setKept(all);
        setShifts(rows);
      }
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [version]);

  const today = pakistanDay(nowMs);
  const since = new Date(historyStart(nowMs)).toISOString();
  const out = useMemo(() => outNow(kept ?? [], rosters), [kept, rosters]);
  const week = useMemo(() => (kept ?? []).filter((local) => local.record.at >= since), [kept, since]);
  const q = query.trim();
  const outShown = q ? out.filter((o) => matches(q, o.name, o.number)) : out;
  const weekShown = q ? week.filter((local) => matches(q, local.name, local.number)) : week;
  const ofToday = week.filter((local) => local.day === today);
  const counts = {
    out: ofToday.filter((l) => l.record.direction === 'OUT').length,
    in: ofToday.filter((l) => l.record.direction === 'IN').length,
  };

  return el(
    'section',
    { class: 'lists', 'data-testid': 'lists' },
    el(
      'p',
      {
        class: 'today-counts',
        'data-testid': 'today',
        'data-day': today,
        'data-out': kept ? counts.out : undefined,
        'data-in': kept ? counts.in : undefined,
      },
      format(s.queue.today, counts),
    ),
    el('label', { for: 'list-search' }, s.lists.search),
    el('input', {
      id: 'list-search',
      type: 'search',
      dir: 'auto',
      autocomplete: 'off',
      placeholder: s.lists.searchPlaceholder,
      value: query,
      'data-testid': 'list-search',
      onInput: (e: Event) => setQuery((e.target as HTMLInputElement).value),
    }),
    el('p', { class: 'muted' }, s.timesInPkt),
    el(
      'details',
      { class: 'out-now', open: true, 'data-testid': 'out-now', 'data-count': out.length },
      el('summary', null, format(s.lists.outNow, { n: outShown.length })),
      outShown.length === 0
        ? el('p', { class: 'muted' }, s.lists.outNowNone)
        : el(
            'ul',
            { class: 'crossings' },
            outShown
              .slice(0, SHOWN)
              .map((o) =>
                el(
                  'li',
                  { key: o.number, class: 'crossing', 'data-number': o.number, 'data-source': o.source },
                  el(
                    'span',
                    { class: 'who' },
                    el('bdi', { dir: 'ltr' }, o.name),
                    ' ',
                    el('bdi', { dir: 'ltr', class: 'muted' }, o.number),
                  ),
                  el(
                    'span',
                    { class: 'state' },
                    format(s.lists.since, { time: pktStamp(o.since) }),
                    o.source === 'platform' ? ` (${s.known.platform})` : '',
                  ),
                ),
              ),
          ),
    ),
    el(
      'details',
      { class: 'history today', open: true, 'data-testid': 'history', 'data-count': weekShown.length },
      el('summary', null, format(s.lists.week, { n: weekShown.length })),
      weekShown.length === 0
        ? el('p', { class: 'muted' }, s.lists.weekNone)
        : el(
            'ul',
            { class: 'crossings' },
            weekShown
              .slice(0, SHOWN)
              .map((local) => el(CrossingRow, { key: local.record.id, local, s, nowMs })),
          ),
      weekShown.length > SHOWN
        ? el('p', { class: 'muted' }, format(s.lists.weekMore, { n: weekShown.length - SHOWN }))
        : null,
    ),
    el(
      'details',
      { class: 'shifts', 'data-testid': 'shifts' },
      el('summary', null, s.lists.shifts),
      shifts.length === 0
        ? el('p', { class: 'muted' }, s.lists.shiftsNone)
        : el(
            'table',
            null,
            el(
              'thead',
              null,
              el(
                'tr',
                null,
                el('th', { scope: 'col' }, s.lists.shift),
                el('th', { scope: 'col' }, s.lists.officer),
                el('th', { scope: 'col' }, s.lists.checks),
                el('th', { scope: 'col' }, s.lists.recorded),
              ),
            ),
            el(
              'tbody',
              null,
              shifts.map((row) =>
                el(
                  'tr',
                  { key: row.key, 'data-officer': row.officer, 'data-checks': row.checks },
                  el('td', { dir: 'ltr' }, shiftName(row)),
                  el('td', { dir: 'ltr' }, row.officer),
                  el('td', null, String(row.checks)),
                  el('td', null, String(row.recorded)),
                ),
              ),
            ),
          ),
    ),
  );
}

const hh = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

function shiftName(row: ShiftRow): string {
  // The list says once that its times are PKT; the year is plain from the last seven days.
  return `${row.day.slice(5)} ${hh(row.shift)}–${hh(row.shift + SHIFT_HOURS)}`;
}
