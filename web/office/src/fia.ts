// FIA officers' and supervisors' pages: the queue, an application with any watchlist hit explained, approve and
// reject, counter applications, a pass with its crossings and revocation, the watchlist, and a CNIC's record.
import { useState } from 'preact/hooks';
import { DISTRICTS } from '../../../shared/domain/reference.ts';
import type { ApplicationView } from '../../../shared/office-views.ts';
import { WATCHLIST_CATEGORIES } from '../../../shared/schemas.ts';
import type { QUEUE_FILTER_PARAMS } from '../../../shared/search-schemas.ts';
import { format } from '../../shared/i18n.ts';
import { ApiError } from './api.ts';
import { ApplicationForm, applicationForm } from './apply.ts';
import { deskPage, HistoryList, personHash, WithSearch } from './desk.ts';
import { FeedHealth } from './feed-health.ts';
import { FiaGroupPages } from './groups-fia.ts';
import { PassActions } from './resident.ts';
import {
  Busy,
  CnicField,
  type Ctx,
  cursorOf,
  el,
  Failure,
  ltr,
  Notice,
  Pager,
  pkDateTime,
  pkDay,
  SelectField,
  StatusBadge,
  TextField,
  typeCnic,
  useForm,
  useLoad,
  usePager,
} from './ui.ts';

/** An application as the API shows it to FIA (functions/views.ts), so a change there breaks these pages. */

export function FiaPages({ ctx, route }: { ctx: Ctx; route: string[] }) {
  return el(WithSearch, { ctx, route, page: deskPage(ctx, route) ?? el(FiaPage, { ctx, route }) });
}

function FiaPage({ ctx, route }: { ctx: Ctx; route: string[] }) {
  switch (route[0]) {
    case 'application':
      return el(DetailPage, { ctx, id: route[1] ?? '' });
    case 'counter':
      return el(CounterPage, { ctx });
    case 'pass':
      return el(PassPage, { ctx, number: route[1] });
    case 'watchlist':
      return el(WatchlistPage, { ctx });
    case 'history':
      return el(HistoryPage, { ctx });
    case 'feed':
      return el('section', null, el('h2', null, ctx.s.ministry.feed), el(FeedHealth, { ctx }));
    case 'groups':
    case 'group':
    case 'organizers':
      return el(FiaGroupPages, { ctx, route });
    default:
      return el(QueuePage, { ctx });
  }
}

const supervisor = (ctx: Ctx) => ctx.session.role === 'fia-supervisor';

/** The queue's answer: its applications as the API shows them, and what the office pages' parameters add. */
interface QueuePageAnswer {
  status: string;
  items: ApplicationView[];
  next?: string;
  /** With `total=true`: how many applications the status holds. */
  total?: number;
}

/** The queue's own parameters, named as the server's contract names them, so a rename breaks this page. */
type QueueFilterParam = (typeof QUEUE_FILTER_PARAMS)[number];

function queuePath(status: string, cursor: string | undefined, q: string): string {
  const params = new URLSearchParams({ status, limit: '25' });
  const extra: Partial<Record<QueueFilterParam, string>> = q ? { q } : { total: 'true' };
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  // The total is a count of the whole status: asked for with the first page, kept while paging on.
  if (cursor) {
    params.delete('total');
    params.set('cursor', cursor);
  }
  return `/applications?${params}`;
}

function QueuePage({ ctx }: { ctx: Ctx }) {
  const { s, lang } = ctx;
  const filters = useForm({ status: 'PENDING', 'queue-q': '' });
  const pager = usePager();
  const [q, setQ] = useState('');
  const [total, setTotal] = useState<number | undefined>();
  const status = filters.values.status ?? 'PENDING';
  const page = useLoad(async () => {
    const answer = await ctx.api.json<QueuePageAnswer>('GET', queuePath(status, pager.cursor, q));
    if (answer.total !== undefined) setTotal(answer.total);
    return answer;
  }, [status, pager.cursor, q]);
  const items = page.data?.items ?? [];
  // The server filters the whole queue of the status (a CNIC or its first digits, a reference, a name as heard),
  // best first in one answer: the 25 rows on screen are never what is searched.
  const find = (event: Event) => {
    event.preventDefault();
    pager.reset();
    setQ((filters.values['queue-q'] ?? '').trim());
  };
  const clear = () => {
    filters.set('queue-q', '');
    pager.reset();
    setQ('');
  };
  return el(
    'section',
    null,
    el('h2', null, s.fia.queue),
    el(
      'div',
      { class: 'filters card' },
      el(SelectField, {
        form: filters,
        name: 'status',
        label: s.fia.filterStatus,
        options: ['PENDING', 'NEEDS_REVIEW', 'APPROVED', 'REJECTED'].map((v) => ({
          value: v,
          label: s.status[v as 'PENDING'],
        })),
        onChange: () => {
          pager.reset();
          setTotal(undefined);
        },
      }),
      el(
        'form',
        { class: 'queue-find', onSubmit: find, noValidate: true, 'data-testid': 'queue-find' },
        el(TextField, {
          form: filters,
          name: 'queue-q',
          label: s.desk.queueFind,
          hint: s.desk.queueFindHint,
        }),
        el(
          'div',
          { class: 'actions' },
          el('button', { type: 'submit', 'data-testid': 'queue-find-submit' }, s.desk.queueFilter),
          q
            ? el(
                'button',
                { type: 'button', onClick: clear, 'data-testid': 'queue-clear' },
                s.desk.queueClear,
              )
            : null,
        ),
      ),
    ),
    page.loading ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: page.error, s }),
    page.data
      ? el(
          'p',
          {
            class: 'muted',
            role: 'status',
            'data-testid': 'queue-count',
            'data-count': items.length,
            'data-total': total,
          },
          q
            ? format(s.desk.queueMatches, { n: items.length, q })
            : format(s.desk.queueCount, { n: items.length }),
          total !== undefined ? ` ${format(s.desk.queueTotal, { total })}` : '',
          !q && page.data.next ? ` ${s.desk.queueMore}` : '',
        )
      : null,
    page.data && items.length === 0 ? el('p', null, s.fia.empty) : null,
    items.length > 0
      ? el(
          'div',
          { class: 'table-wrap', role: 'region', tabIndex: 0, 'aria-label': s.fia.queue },
          el(
            'table',
            { 'data-testid': 'queue', class: 'one-line' },
            el(
              'thead',
              null,
              el(
                'tr',
                null,
                [
                  s.table.sent,
                  s.desk.reference,
                  s.table.name,
                  s.table.cnic,
                  s.table.district,
                  s.table.status,
                  '',
                ].map((t, i) => el('th', { key: i, scope: 'col' }, t)),
              ),
            ),
            el(
              'tbody',
              null,
              items.map((a) =>
                el(
                  'tr',
                  { key: a.id, 'data-id': a.id },
                  el('td', null, pkDateTime(a.createdAt, lang)),
                  el('td', null, a.reference ? ltr(a.reference) : ''),
                  el('td', null, a.name),
                  el('td', null, ltr(a.cnic)),
                  el('td', null, DISTRICTS[a.district as 'GWADAR']?.name ?? a.district),
                  el('td', null, el(StatusBadge, { s, status: a.status })),
                  el(
                    'td',
                    null,
                    el(
                      'a',
                      {
                        href: `#/application/${a.id}`,
                        class: 'button small',
                        'aria-label': `${s.fia.open} ${a.name}`,
                      },
                      s.fia.open,
                    ),
                  ),
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
  );
}

function DetailPage({ ctx, id }: { ctx: Ctx; id: string }) {
  const { s, lang } = ctx;
  const loaded = useLoad(
    () => ctx.api.json<ApplicationView>('GET', `/applications/${encodeURIComponent(id)}`),
    [id],
  );
  const app = loaded.data;
  const hit = app?.reviewReason?.startsWith('watchlist');
  const watch = useLoad(
    async () =>
      hit && app
        ? ctx.api
            .json<{
              reason: string;
              category: string;
              addedBy?: { sub: string };
              addedAt?: string;
              updatedAt?: string;
            }>('GET', `/watchlist/${app.cnic.replaceAll('-', '')}`)
            .catch((e: unknown) => {
              if (e instanceof ApiError && e.kind === 'not-found') return undefined;
              throw e;
            })
        : undefined,
    [app?.id, hit],
  );
  const decide = useForm({ reason: '' });
  const [notice, setNotice] = useState<string | undefined>();
  const approve = () =>
    void decide.submit(async () => {
      const result = await ctx.api.json<{ pass: { number: string } }>('POST', `/applications/${id}/approve`);
      setNotice(format(s.fia.approved, { no: result.pass.number }));
      loaded.reload();
    });
  const reject = (event: Event) => {
    event.preventDefault();
    void decide.submit(async () => {
      await ctx.api.json('POST', `/applications/${id}/reject`, { reason: decide.values.reason });
      setNotice(s.fia.rejected);
      loaded.reload();
    });
  };
  const open = app && (app.status === 'PENDING' || app.status === 'NEEDS_REVIEW');
  const category = watch.data?.category ?? app?.reviewReason?.replace(/^watchlist:\s*/, '') ?? '';
  return el(
    'section',
    null,
    el('p', { class: 'no-print' }, el('a', { href: '#/queue' }, s.fia.back)),
    el('h2', null, format(s.fia.detail, { id: '' }), ltr(id)),
    loaded.loading && !app ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: loaded.error, s }),
    notice ? el(Notice, null, notice) : null,
    app
      ? el(
          'div',
          { class: 'card', 'data-testid': 'application-detail', 'data-status': app.status },
          el('p', null, el(StatusBadge, { s, status: app.status })),
          hit
            ? el(
                'div',
                { class: 'banner warn', 'data-testid': 'watch-hit' },
                el(
                  'p',
                  null,
                  format(s.fia.watchHit, {
                    category: (s.fia.categories as Record<string, string>)[category] ?? category,
                  }),
                ),
                watch.data
                  ? el(
                      'p',
                      null,
                      format(s.fia.watchEntry, {
                        reason: watch.data.reason,
                        by: watch.data.addedBy?.sub ?? '',
                        at: pkDateTime(watch.data.addedAt ?? watch.data.updatedAt, lang),
                      }),
                    )
                  : null,
              )
            : null,
          el(
            'dl',
            { class: 'facts' },
            app.reference ? fact(s.desk.reference, ltr(app.reference, 'reference')) : null,
            fact(s.fields.name, app.name),
            fact(s.fields.fatherName, app.fatherName),
            fact(s.fields.cnic, ltr(app.cnic)),
            fact(s.fields.district, DISTRICTS[app.district as 'GWADAR']?.name ?? app.district),
            fact(s.fields.crossingPoints, ltr(app.crossingPoints.join(', '))),
            fact(s.fields.passType, ltr(app.passType)),
            fact(s.fields.validFrom, pkDay(app.validFrom, lang)),
            fact(s.fields.validUntil, pkDay(app.validUntil, lang)),
            app.phone ? fact(s.fields.phone, ltr(app.phone)) : null,
            fact(
              s.table.sent,
              format(s.fia.submitted, {
                at: pkDateTime(app.createdAt, lang),
                by:
                  app.submittedBy?.role === 'fia-officer'
                    ? format(s.fia.counterSubmitted, { by: app.submittedBy.sub })
                    : s.fia.selfSubmitted,
              }),
            ),
            app.rejectionReason ? fact(s.fields.reason, app.rejectionReason) : null,
          ),
          open
            ? el(
                'div',
                { class: 'decide' },
                app.status === 'NEEDS_REVIEW' && !supervisor(ctx)
                  ? el('p', { class: 'hint' }, s.fia.needsSupervisor)
                  : null,
                el(
                  'button',
                  {
                    type: 'button',
                    class: 'primary',
                    disabled: decide.busy,
                    onClick: approve,
                    'data-testid': 'approve',
                  },
                  s.fia.approve,
                ),
                el(
                  'form',
                  { onSubmit: reject, noValidate: true, class: 'inline' },
                  el(TextField, { form: decide, name: 'reason', label: s.fia.rejectReason, multiline: true }),
                  el(
                    'button',
                    { type: 'submit', disabled: decide.busy, 'data-testid': 'reject' },
                    s.fia.reject,
                  ),
                ),
                decide.busy ? el(Busy, { s }) : null,
                el(Failure, { error: decide.failure, s, shownFields: ['reason'] }),
              )
            : null,
          app.passNumber ? el(PassActions, { ctx, number: app.passNumber }) : null,
          el(
            'p',
            { class: 'links no-print' },
            el('a', { href: personHash(app.cnic), 'data-testid': 'open-person' }, s.desk.openPerson),
          ),
          // Read again after each decision: the key changes with the status.
          el(HistoryList, {
            ctx,
            path: `/applications/${encodeURIComponent(id)}/history`,
            key: app.status,
          }),
        )
      : null,
  );
}

function fact(label: string, value: preact.ComponentChildren) {
  return el('div', { class: 'fact' }, el('dt', null, label), el('dd', null, value));
}

function CounterPage({ ctx }: { ctx: Ctx }) {
  const { s } = ctx;
  const form = applicationForm();
  const [account, setAccount] = useState(false);
  const [made, setMade] = useState<string | undefined>();
  if (ctx.session.role !== 'fia-officer')
    return el(
      'section',
      null,
      el('h2', null, s.fia.counterTitle),
      el('p', { class: 'banner warn' }, s.fia.counterSupervisor),
    );
  return el(
    'section',
    null,
    el('h2', null, s.fia.counterTitle),
    el('p', { class: 'hint' }, s.fia.counterNote),
    made ? el(Notice, null, made) : null,
    el(ApplicationForm, {
      ctx,
      form,
      cnicLocked: false,
      submitLabel: s.resident.submit,
      // The account is made first: if its e-mail is refused, nothing has been filed and the form is kept as typed.
      beforeSend: account
        ? async () => {
            await ctx.api.json('POST', '/accounts/applicants', {
              cnic: form.values.cnic,
              name: form.values.name,
              email: form.values.email,
            });
            setMade(
              format(s.fia.accountMade, { cnic: form.values.cnic ?? '', email: form.values.email ?? '' }),
            );
            setAccount(false);
          }
        : undefined,
      onSubmitted: (app) => ctx.go(`#/application/${app.id}`),
      extra: el(
        'div',
        { class: 'account' },
        el(
          'label',
          { class: 'check' },
          el('input', {
            type: 'checkbox',
            checked: account,
            onChange: (e: Event) => setAccount((e.currentTarget as HTMLInputElement).checked),
          }),
          ` ${s.fia.makeAccount}`,
        ),
        account
          ? el(TextField, {
              form,
              name: 'email',
              label: s.fields.email,
              type: 'email',
              inputMode: 'email',
              dir: 'ltr',
            })
          : null,
      ),
    }),
  );
}

interface PassView {
  number: string;
  status: string;
  name: string;
  fatherName: string;
  cnic: string;
  crossingPoints: string[];
  validFrom: string;
  validUntil: string;
  issuedAt: string;
  revokedAt?: string;
  revocation?: { reason: string };
}

interface CrossingView {
  id: string;
  at: string;
  checkpoint: string;
  direction: string;
  verdict?: string;
  serverVerdict?: string;
  anomalies?: Array<{ kind: string } | string>;
}

function PassPage({ ctx, number }: { ctx: Ctx; number: string | undefined }) {
  const { s, lang } = ctx;
  const find = useForm({ number: number ?? '' });
  const [shown, setShown] = useState(number);
  const pass = useLoad(
    async () => (shown ? ctx.api.json<PassView>('GET', `/passes/${encodeURIComponent(shown)}`) : undefined),
    [shown],
  );
  const pager = usePager();
  const crossings = useLoad(
    async () =>
      shown && pass.data
        ? ctx.api.json<{ items: CrossingView[]; next?: string }>(
            'GET',
            `/crossings?credential=${encodeURIComponent(shown)}&limit=20${pager.cursor ? `&cursor=${encodeURIComponent(pager.cursor)}` : ''}`,
          )
        : undefined,
    [shown, pass.data?.status, pager.cursor],
  );
  const revoke = useForm({ reason: '' });
  return el(
    'section',
    null,
    el('h2', null, s.fia.pass),
    el(
      'form',
      {
        class: 'card inline',
        noValidate: true,
        onSubmit: (e: Event) => {
          e.preventDefault();
          pager.reset();
          setShown((find.values.number ?? '').trim().toUpperCase());
        },
      },
      el(TextField, {
        form: find,
        name: 'number',
        label: s.fia.passNumber,
        dir: 'ltr',
        hint: 'BP-2026-000123',
      }),
      el('button', { type: 'submit' }, s.fia.findPass),
    ),
    pass.loading && shown ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: pass.error, s }),
    pass.data
      ? el(
          'div',
          { class: 'card', 'data-testid': 'pass-detail' },
          el('h3', null, ltr(pass.data.number), ' ', el(StatusBadge, { s, status: pass.data.status })),
          el(
            'dl',
            { class: 'facts' },
            fact(s.fields.name, pass.data.name),
            fact(s.fields.fatherName, pass.data.fatherName),
            fact(s.fields.cnic, ltr(pass.data.cnic)),
            fact(s.fields.crossingPoints, ltr(pass.data.crossingPoints.join(', '))),
            fact(s.fields.validFrom, pkDay(pass.data.validFrom, lang)),
            fact(s.fields.validUntil, pkDay(pass.data.validUntil, lang)),
            pass.data.revocation ? fact(s.fields.reason, pass.data.revocation.reason) : null,
          ),
          el(PassActions, { ctx, number: pass.data.number }),
          supervisor(ctx) && pass.data.status === 'ACTIVE'
            ? el(
                'form',
                {
                  class: 'inline',
                  noValidate: true,
                  onSubmit: (e: Event) => {
                    e.preventDefault();
                    void revoke.submit(async () => {
                      await ctx.api.json('POST', `/passes/${pass.data?.number}/revoke`, {
                        reason: revoke.values.reason,
                      });
                      pass.reload();
                    });
                  },
                },
                el(TextField, { form: revoke, name: 'reason', label: s.fia.revokeReason }),
                el(Failure, { error: revoke.failure, s, shownFields: ['reason'] }),
                el(
                  'button',
                  { type: 'submit', disabled: revoke.busy, 'data-testid': 'revoke' },
                  s.fia.revoke,
                ),
              )
            : null,
          el(
            'p',
            { class: 'links no-print' },
            el('a', { href: personHash(pass.data.cnic) }, s.desk.openPerson),
          ),
          el(HistoryList, {
            ctx,
            path: `/passes/${encodeURIComponent(pass.data.number)}/history`,
            key: pass.data.status,
          }),
          el('h3', null, s.fia.crossings),
          crossings.loading ? el(Busy, { s, label: s.loading }) : null,
          el(Failure, { error: crossings.error, s }),
          crossings.data && crossings.data.items.length === 0 ? el('p', null, s.fia.noCrossings) : null,
          crossings.data && crossings.data.items.length > 0
            ? el(
                'div',
                { class: 'table-wrap', role: 'region', tabIndex: 0, 'aria-label': s.fia.crossings },
                el(
                  'table',
                  { class: 'one-line' },
                  el(
                    'thead',
                    null,
                    el(
                      'tr',
                      null,
                      [s.table.at, s.table.checkpoint, s.table.direction, s.table.verdict].map((t) =>
                        el('th', { key: t, scope: 'col' }, t),
                      ),
                    ),
                  ),
                  el(
                    'tbody',
                    null,
                    crossings.data.items.map((c) =>
                      el(
                        'tr',
                        { key: c.id },
                        el('td', null, pkDateTime(c.at, lang)),
                        el('td', null, ltr(c.checkpoint)),
                        el('td', null, c.direction),
                        el('td', null, ltr(c.serverVerdict ?? c.verdict ?? '')),
                      ),
                    ),
                  ),
                ),
              )
            : null,
          el(Pager, {
            s,
            page: pager.page,
            next: cursorOf(crossings.data?.next),
            onNext: () => {
              const c = cursorOf(crossings.data?.next);
              if (c) pager.next(c);
            },
            onPrevious: pager.previous,
          }),
        )
      : null,
  );
}

interface WatchEntry {
  cnic?: string;
  reason: string;
  category: string;
  addedBy?: { sub: string };
  addedAt?: string;
  updatedAt?: string;
}

function WatchlistPage({ ctx }: { ctx: Ctx }) {
  const { s, lang } = ctx;
  const find = useForm({ cnic: '' });
  const edit = useForm({ reason: '', category: 'other' });
  const [cnic, setCnic] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const entry = useLoad(
    async () =>
      cnic
        ? ctx.api.json<WatchEntry>('GET', `/watchlist/${cnic}`).catch((e: unknown) => {
            if (e instanceof ApiError && e.kind === 'not-found') return null;
            throw e;
          })
        : undefined,
    [cnic],
  );
  const digits = (value: string | undefined) => (value ?? '').replace(/[^0-9]/g, '');
  return el(
    'section',
    null,
    el('h2', null, s.fia.watchlist),
    !supervisor(ctx) ? el('p', { class: 'hint' }, s.fia.supervisorOnly) : null,
    el(
      'form',
      {
        class: 'card inline',
        noValidate: true,
        onSubmit: (e: Event) => {
          e.preventDefault();
          setNotice(undefined);
          setCnic(digits(find.values.cnic));
        },
      },
      el(CnicField, { form: find, name: 'cnic', label: s.fia.watchCnic, s }),
      el('button', { type: 'submit', 'data-testid': 'watch-lookup' }, s.fia.lookUp),
    ),
    notice ? el(Notice, null, notice) : null,
    entry.loading && cnic ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: entry.error, s }),
    entry.data === null
      ? el('p', { 'data-testid': 'watch-entry', 'data-listed': 'no' }, s.fia.notListed)
      : null,
    entry.data
      ? el(
          'div',
          { class: 'banner warn', 'data-testid': 'watch-entry', 'data-listed': 'yes' },
          el(
            'p',
            null,
            format(s.fia.listed, {
              category:
                (s.fia.categories as Record<string, string>)[entry.data.category] ?? entry.data.category,
              reason: entry.data.reason,
            }),
          ),
          entry.data.addedBy
            ? el(
                'p',
                null,
                format(s.fia.listedBy, {
                  by: entry.data.addedBy.sub,
                  at: pkDateTime(entry.data.addedAt, lang),
                }),
              )
            : null,
        )
      : null,
    supervisor(ctx) && cnic && entry.data !== undefined
      ? el(
          'form',
          {
            class: 'card form',
            noValidate: true,
            onSubmit: (e: Event) => {
              e.preventDefault();
              void edit.submit(async () => {
                await ctx.api.json('PUT', `/watchlist/${cnic}`, {
                  reason: edit.values.reason,
                  category: edit.values.category,
                });
                setNotice(s.fia.saved);
                entry.reload();
              });
            },
          },
          el(SelectField, {
            form: edit,
            name: 'category',
            label: s.fields.category,
            options: WATCHLIST_CATEGORIES.map((c) => ({ value: c, label: s.fia.categories[c] })),
          }),
          el(TextField, { form: edit, name: 'reason', label: s.fields.reason, multiline: true }),
          el(Failure, { error: edit.failure, s, shownFields: ['reason', 'category'] }),
          el(
            'button',
            { type: 'submit', class: 'primary', disabled: edit.busy, 'data-testid': 'watch-save' },
            entry.data ? s.fia.updateList : s.fia.addToList,
          ),
          entry.data
            ? el(
                'button',
                {
                  type: 'button',
                  disabled: edit.busy,
                  'data-testid': 'watch-remove',
                  onClick: () =>
                    void edit.submit(async () => {
                      await ctx.api.json('DELETE', `/watchlist/${cnic}`);
                      setNotice(s.fia.removed);
                      entry.reload();
                    }),
                },
                s.fia.removeFromList,
              )
            : null,
        )
      : null,
  );
}

interface BoatRow {
  officialNumber: string;
  name: string;
  status: string;
  homePort: string;
}

function HistoryPage({ ctx }: { ctx: Ctx }) {
  const { s } = ctx;
  const find = useForm({ cnic: '' });
  const [cnic, setCnic] = useState<string | undefined>();
  const record = useLoad(async () => {
    if (!cnic) return undefined;
    const [watch, boats] = await Promise.all([
      ctx.api.json<WatchEntry>('GET', `/watchlist/${cnic}`).catch((e: unknown) => {
        if (e instanceof ApiError && e.kind === 'not-found') return null;
        throw e;
      }),
      ctx.api.json<{ items: BoatRow[] }>('GET', `/vessels?ownerCnic=${cnic}&limit=50`),
    ]);
    return { watch, boats: boats.items };
  }, [cnic]);
  return el(
    'section',
    null,
    el('h2', null, s.fia.history),
    el('p', { class: 'hint' }, s.fia.historyNote),
    el(
      'form',
      {
        class: 'card inline',
        noValidate: true,
        onSubmit: (e: Event) => {
          e.preventDefault();
          setCnic((find.values.cnic ?? '').replace(/[^0-9]/g, ''));
        },
      },
      el(CnicField, { form: find, name: 'cnic', label: s.fia.watchCnic, s }),
      el('button', { type: 'submit' }, s.fia.lookUp),
    ),
    record.loading && cnic ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: record.error, s }),
    record.data
      ? el(
          'div',
          { class: 'card' },
          el('h3', null, ltr(typeCnic(cnic ?? ''))),
          el(
            'p',
            null,
            record.data.watch
              ? format(s.fia.listed, {
                  category: record.data.watch.category,
                  reason: record.data.watch.reason,
                })
              : s.fia.notListed,
          ),
          el('h3', null, s.fia.boatsOwned),
          record.data.boats.length === 0
            ? el('p', null, s.fia.noBoats)
            : el(
                'ul',
                null,
                record.data.boats.map((b) =>
                  el(
                    'li',
                    { key: b.officialNumber },
                    ltr(b.officialNumber),
                    ` ${b.name} · `,
                    el(StatusBadge, { s, status: b.status }),
                  ),
                ),
              ),
        )
      : null,
  );
}
