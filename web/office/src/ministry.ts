// The Ministry of Interior analyst's page: crossings per checkpoint per day as a chart (with the same numbers as a
// table), anomalies with filters and paging, overstays, boats at sea, the feed's health, and each report as CSV.
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { ANOMALY_KINDS } from '../../../shared/crossing-schemas.ts';
import { karachiDate, karachiDatePlus, karachiDayStart } from '../../../shared/domain/pass-types.ts';
import { CHECKPOINT_CODES, checkpointName } from '../../../shared/domain/reference.ts';
import type {
  AnomalyRow,
  CrossingCountRow,
  OverstayRow,
  VesselAtSeaRow,
} from '../../../shared/report-schemas.ts';
import { format } from '../../shared/i18n.ts';
import { deskPage, WithSearch } from './desk.ts';
import { FeedHealth } from './feed-health.ts';
import { MinistryGroupsPage } from './groups-ministry.ts';
import {
  Busy,
  CsvButton,
  type Ctx,
  cursorOf,
  el,
  Failure,
  ltr,
  Pager,
  pkDateTime,
  pkDay,
  SelectField,
  TextField,
  useForm,
  useLoad,
  usePager,
} from './ui.ts';

// Distinguishable on white and for the common colour-blindness types (Okabe–Ito), one per checkpoint in turn.
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8C564B'];

export function MinistryPages({ ctx, route }: { ctx: Ctx; route: string[] }) {
  const page =
    deskPage(ctx, route) ??
    (route[0] === 'groups' ? el(MinistryGroupsPage, { ctx, cnic: route[1] }) : el(ReportsPage, { ctx }));
  return el(WithSearch, { ctx, route, page });
}

function ReportsPage({ ctx }: { ctx: Ctx }) {
  const { s } = ctx;
  const range = useForm({
    from: karachiDatePlus(new Date(), -13),
    to: karachiDate(new Date()),
    checkpoint: '',
  });
  const [shown, setShown] = useState({ ...range.values });
  return el(
    'section',
    null,
    el('h2', null, s.ministry.title),
    el(
      'form',
      {
        class: 'card filters',
        noValidate: true,
        onSubmit: (e: Event) => {
          e.preventDefault();
          setShown({ ...range.values });
        },
      },
      el(TextField, { form: range, name: 'from', label: s.ministry.from, type: 'date' }),
      el(TextField, { form: range, name: 'to', label: s.ministry.to, type: 'date' }),
      el(SelectField, {
        form: range,
        name: 'checkpoint',
        label: s.ministry.checkpoint,
        options: [
          { value: '', label: s.ministry.checkpointAll },
          ...CHECKPOINT_CODES.map((c) => ({ value: c, label: `${c} · ${checkpointName(c)}` })),
        ],
      }),
      el('button', { type: 'submit', class: 'primary', 'data-testid': 'range-show' }, s.ministry.show),
    ),
    el(CrossingsChart, { ctx, range: shown }),
    el(Anomalies, { ctx, from: shown.from ?? '', to: shown.to ?? '' }),
    el(Overstays, { ctx }),
    el(AtSea, { ctx }),
    el(FeedHealth, { ctx }),
  );
}

/** One series per checkpoint over the days of the range; a day with no row is a zero, not a gap. */
export function chartData(rows: readonly CrossingCountRow[], from: string, to: string) {
  const days: string[] = [];
  for (
    let day = from;
    day <= to && days.length < 400;
    day = karachiDate(new Date(karachiDayStart(day) + 36 * 3600_000))
  )
    days.push(day);
  const checkpoints = [...new Set(rows.map((r) => r.checkpoint))].sort();
  const index = new Map(days.map((d, i) => [d, i]));
  const series = checkpoints.map((c) => {
    const values = days.map(() => 0);
    for (const r of rows)
      if (r.checkpoint === c) {
        const i = index.get(r.date);
        if (i !== undefined) values[i] = (values[i] ?? 0) + r.out + r.in;
      }
    return values;
  });
  return { days, checkpoints, series, x: days.map((d) => karachiDayStart(d) / 1000) };
}

function CrossingsChart({ ctx, range }: { ctx: Ctx; range: Record<string, string> }) {
  const { s, lang } = ctx;
  const query = new URLSearchParams({
    from: range.from ?? '',
    to: range.to ?? '',
    ...(range.checkpoint ? { checkpoint: range.checkpoint } : {}),
  }).toString();
  const counts = useLoad(
    () => ctx.api.json<{ days: CrossingCountRow[] }>('GET', `/reports/crossings?${query}`),
    [query],
  );
  const box = useRef<HTMLDivElement>(null);
  const rows = counts.data?.days ?? [];
  const data = chartData(rows, range.from ?? '', range.to ?? '');
  const total = rows.reduce((sum, r) => sum + r.out + r.in, 0);
  useEffect(() => {
    const target = box.current;
    if (!target || !counts.data) return;
    const width = Math.max(280, Math.min(target.clientWidth || 800, 1060));
    const plot = new uPlot(
      {
        width,
        height: 260,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Asia/Karachi'),
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, max)] } },
        axes: [{}, { label: s.ministry.total }],
        series: [
          {
            label: s.ministry.day,
            value: (_u, v) => (v == null ? '' : pkDay(karachiDate(new Date(v * 1000)), lang)),
          },
          ...data.checkpoints.map((c, i) => ({
            label: c,
            stroke: PALETTE[i % PALETTE.length] as string,
            width: 2,
            points: { show: true },
          })),
        ],
      },
      [data.x, ...data.series] as uPlot.AlignedData,
      target,
    );
    return () => plot.destroy();
  }, [counts.data, lang]);
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'crossings-title' },
    el('h3', { id: 'crossings-title' }, s.ministry.crossings),
    counts.loading ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: counts.error, s }),
    counts.data && rows.length === 0 ? el('p', null, s.ministry.none) : null,
    el('div', {
      ref: box,
      class: 'chart',
      role: 'img',
      'aria-label': s.ministry.chartLabel,
      dir: 'ltr',
      'data-testid': 'crossings-chart',
      'data-total': String(total),
      'data-series': data.checkpoints.join(' '),
    }),
    rows.length > 0
      ? el(
          'div',
          { class: 'table-wrap', role: 'region', tabIndex: 0, 'aria-label': s.ministry.crossings },
          el(
            'table',
            { 'data-testid': 'crossing-counts' },
            el(
              'thead',
              null,
              el(
                'tr',
                null,
                [s.ministry.day, s.ministry.checkpoint, 'OUT', 'IN'].map((t) =>
                  el('th', { key: t, scope: 'col' }, t),
                ),
              ),
            ),
            el(
              'tbody',
              null,
              rows.map((r) =>
                el(
                  'tr',
                  { key: `${r.date}-${r.checkpoint}`, 'data-day': r.date, 'data-checkpoint': r.checkpoint },
                  el('td', null, pkDay(r.date, lang)),
                  el('td', null, ltr(r.checkpoint)),
                  el('td', { 'data-out': r.out }, ltr(String(r.out))),
                  el('td', { 'data-in': r.in }, ltr(String(r.in))),
                ),
              ),
            ),
          ),
        )
      : null,
    el(CsvButton, { ctx, path: `/reports/crossings?${query}`, name: `crossings-${range.from}-${range.to}` }),
  );
}

function Anomalies({ ctx, from, to }: { ctx: Ctx; from: string; to: string }) {
  const { s, lang } = ctx;
  const filter = useForm({ type: '' });
  const pager = usePager();
  const type = filter.values.type ?? '';
  const query = new URLSearchParams({ from, to, ...(type ? { type } : {}), limit: '25' });
  const page = useLoad(
    () =>
      ctx.api.json<{ items: AnomalyRow[]; next?: string }>(
        'GET',
        `/reports/anomalies?${query}${pager.cursor ? `&cursor=${encodeURIComponent(pager.cursor)}` : ''}`,
      ),
    [query.toString(), pager.cursor],
  );
  const kinds = s.ministry.anomalyKinds as Record<string, string>;
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'anomalies-title' },
    el('h3', { id: 'anomalies-title' }, s.ministry.anomalies),
    el(SelectField, {
      form: filter,
      name: 'type',
      label: s.ministry.type,
      options: [
        { value: '', label: s.ministry.allTypes },
        ...ANOMALY_KINDS.map((k) => ({ value: k, label: kinds[k] ?? k })),
      ],
      onChange: () => pager.reset(),
    }),
    page.loading ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: page.error, s }),
    page.data && page.data.items.length === 0 ? el('p', null, s.ministry.none) : null,
    page.data && page.data.items.length > 0
      ? el(
          'div',
          { class: 'table-wrap', role: 'region', tabIndex: 0, 'aria-label': s.ministry.anomalies },
          el(
            'table',
            { 'data-testid': 'anomalies' },
            el(
              'thead',
              null,
              el(
                'tr',
                null,
                [s.table.at, s.ministry.type, s.ministry.checkpoint, s.table.credential, s.table.detail].map(
                  (t) => el('th', { key: t, scope: 'col' }, t),
                ),
              ),
            ),
            el(
              'tbody',
              null,
              page.data.items.map((a) =>
                el(
                  'tr',
                  { key: a.crossingId + a.type, 'data-type': a.type },
                  el('td', null, pkDateTime(a.at, lang)),
                  el('td', null, kinds[a.type] ?? a.type),
                  el('td', null, ltr(a.checkpoint)),
                  el('td', null, ltr(a.credential)),
                  el('td', { dir: 'auto' }, a.detail),
                ),
              ),
            ),
          ),
        )
      : null,
    el(Pager, {
      s,
      page: pager.page,
      next: cursorOf(page.data?.next),
      onNext: () => {
        const c = cursorOf(page.data?.next);
        if (c) pager.next(c);
      },
      onPrevious: pager.previous,
    }),
    el(CsvButton, { ctx, path: `/reports/anomalies?${query}`, name: `anomalies-${from}-${to}` }),
  );
}

function Overstays({ ctx }: { ctx: Ctx }) {
  const { s, lang } = ctx;
  const list = useLoad(
    () => ctx.api.json<{ asOf: string; items: OverstayRow[] }>('GET', '/reports/overstays'),
    [],
  );
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'overstays-title' },
    el('h3', { id: 'overstays-title' }, s.ministry.overstays),
    list.loading ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: list.error, s }),
    list.data
      ? el('p', { class: 'muted' }, format(s.ministry.asOf, { at: pkDateTime(list.data.asOf, lang) }))
      : null,
    list.data && list.data.items.length === 0 ? el('p', null, s.ministry.none) : null,
    list.data && list.data.items.length > 0
      ? el(
          'div',
          { class: 'table-wrap', role: 'region', tabIndex: 0, 'aria-label': s.ministry.overstays },
          el(
            'table',
            { 'data-testid': 'overstays' },
            el(
              'thead',
              null,
              el(
                'tr',
                null,
                [
                  s.table.number,
                  s.table.name,
                  s.ministry.checkpoint,
                  s.ministry.outAt,
                  s.ministry.expiredAt,
                ].map((t) => el('th', { key: t, scope: 'col' }, t)),
              ),
            ),
            el(
              'tbody',
              null,
              list.data.items.map((o) =>
                el(
                  'tr',
                  { key: o.pass },
                  el('td', null, ltr(o.pass)),
                  el('td', null, o.name),
                  el('td', null, ltr(o.checkpoint)),
                  el('td', null, pkDateTime(o.outAt, lang)),
                  el('td', null, pkDateTime(o.expiredAt, lang)),
                ),
              ),
            ),
          ),
        )
      : null,
    el(CsvButton, { ctx, path: '/reports/overstays', name: 'overstays' }),
  );
}

function AtSea({ ctx }: { ctx: Ctx }) {
  const { s, lang } = ctx;
  const list = useLoad(
    () => ctx.api.json<{ asOf: string; items: VesselAtSeaRow[] }>('GET', '/reports/vessels-at-sea'),
    [],
  );
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'atsea-title' },
    el('h3', { id: 'atsea-title' }, s.ministry.atSea),
    list.loading ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: list.error, s }),
    list.data && list.data.items.length === 0 ? el('p', null, s.ministry.none) : null,
    list.data && list.data.items.length > 0
      ? el(
          'div',
          { class: 'table-wrap', role: 'region', tabIndex: 0, 'aria-label': s.ministry.atSea },
          el(
            'table',
            { 'data-testid': 'at-sea' },
            el(
              'thead',
              null,
              el(
                'tr',
                null,
                [s.table.number, s.ministry.checkpoint, s.ministry.outAt, s.ministry.crew].map((t) =>
                  el('th', { key: t, scope: 'col' }, t),
                ),
              ),
            ),
            el(
              'tbody',
              null,
              list.data.items.map((v) =>
                el(
                  'tr',
                  { key: v.vessel },
                  el('td', null, ltr(v.certificate)),
                  el('td', null, ltr(v.checkpoint)),
                  el('td', null, pkDateTime(v.outAt, lang)),
                  el('td', null, ltr(v.crew === null ? '—' : String(v.crew))),
                ),
              ),
            ),
          ),
        )
      : null,
    el(CsvButton, { ctx, path: '/reports/vessels-at-sea', name: 'vessels-at-sea' }),
  );
}
