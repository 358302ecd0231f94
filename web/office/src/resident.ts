// A border resident's pages, phone first: apply, follow the application, download the pass and print its card.
import { useState } from 'preact/hooks';
import { format } from '../../shared/i18n.ts';
import { ApplicationForm, applicationForm } from './apply.ts';
import { LeaderPages } from './groups-leader.ts';
import {
  Busy,
  type Ctx,
  el,
  Failure,
  ltr,
  Notice,
  PrintView,
  pkDateTime,
  pkDay,
  StatusBadge,
  saveBlob,
  TextField,
  useForm,
  useLoad,
} from './ui.ts';

/** The applications this account sent from this device: the API has no "my applications" list. */
function keptIds(sub: string): string[] {
  try {
    return JSON.parse(localStorage.getItem(`rahdari.office.apps.${sub}`) ?? '[]') as string[];
  } catch {
    return [];
  }
}

function keepId(sub: string, id: string): void {
  try {
    const ids = [id, ...keptIds(sub).filter((x) => x !== id)].slice(0, 20);
    localStorage.setItem(`rahdari.office.apps.${sub}`, JSON.stringify(ids));
  } catch {
    // Storage off: the resident can still look it up by its number.
  }
}

export function ResidentPages({ ctx, route }: { ctx: Ctx; route: string[] }) {
  if (route[0] === 'status') return el(StatusPage, { ctx, focus: route[1] });
  if (route[0] === 'groups' || route[0] === 'group') return el(LeaderPages, { ctx, route });
  return el(ApplyPage, { ctx });
}

function ApplyPage({ ctx }: { ctx: Ctx }) {
  const form = applicationForm(ctx.session.cnic);
  return el(
    'section',
    null,
    el('h2', null, ctx.s.resident.apply),
    el(ApplicationForm, {
      ctx,
      form,
      cnicLocked: ctx.session.cnic !== undefined,
      submitLabel: ctx.s.resident.submit,
      onSubmitted: (app) => {
        keepId(ctx.session.sub, app.id);
        ctx.go(`#/status/${app.id}`);
      },
    }),
  );
}

interface ApplicationView {
  id: string;
  status: string;
  passType: string;
  name: string;
  cnic: string;
  district: string;
  crossingPoints: string[];
  validFrom: string;
  validUntil: string;
  createdAt: string;
  passNumber?: string;
  rejectionReason?: string;
}

function StatusPage({ ctx, focus }: { ctx: Ctx; focus: string | undefined }) {
  const { s } = ctx;
  const [ids, setIds] = useState(() => {
    const kept = keptIds(ctx.session.sub);
    return focus && !kept.includes(focus) ? [focus, ...kept] : kept;
  });
  const lookup = useForm({ id: '' });
  const find = (event: Event) => {
    event.preventDefault();
    void lookup.submit(async () => {
      const id = (lookup.values.id ?? '').trim().toUpperCase();
      await ctx.api.json('GET', `/applications/${encodeURIComponent(id)}`);
      keepId(ctx.session.sub, id);
      setIds((list) => [id, ...list.filter((x) => x !== id)]);
    });
  };
  return el(
    'section',
    null,
    el('h2', null, s.resident.status),
    focus ? el(Notice, null, format(s.resident.sent, { id: focus })) : null,
    ids.length === 0 ? el('p', null, s.resident.none) : null,
    ids.map((id) => el(ApplicationCard, { ctx, id, key: id })),
    el(
      'form',
      { class: 'card inline', onSubmit: find, noValidate: true },
      el(TextField, { form: lookup, name: 'id', label: s.resident.lookup, dir: 'ltr' }),
      el(Failure, { error: lookup.failure, s }),
      el('button', { type: 'submit', disabled: lookup.busy }, s.resident.find),
    ),
  );
}

function ApplicationCard({ ctx, id }: { ctx: Ctx; id: string }) {
  const { s, lang } = ctx;
  const loaded = useLoad(() => ctx.api.json<ApplicationView>('GET', `/applications/${id}`), [id]);
  const app = loaded.data;
  return el(
    'article',
    { class: 'card', 'data-testid': 'application', 'data-id': id },
    el('h3', null, ltr(id)),
    loaded.loading ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: loaded.error, s }),
    app
      ? el(
          'div',
          null,
          el('p', null, el(StatusBadge, { s, status: app.status }), ' ', app.name, ' · ', ltr(app.cnic)),
          el(
            'p',
            { class: 'muted' },
            pkDay(app.validFrom, lang),
            ' – ',
            pkDay(app.validUntil, lang),
            ' · ',
            app.crossingPoints.join(', '),
          ),
          el('p', { class: 'muted' }, pkDateTime(app.createdAt, lang)),
          app.status === 'PENDING' ? el('p', null, s.resident.pendingNote) : null,
          app.status === 'REJECTED' && app.rejectionReason
            ? el(
                'p',
                { class: 'banner bad' },
                format(s.resident.rejectedBecause, { reason: app.rejectionReason }),
              )
            : null,
          app.passNumber ? el(PassActions, { ctx, number: app.passNumber }) : null,
          el('button', { type: 'button', onClick: loaded.reload }, s.resident.refresh),
        )
      : null,
  );
}

/** Download the pass's QR image and print its card: shared by the resident's and the officer's pages. */
export function PassActions({ ctx, number }: { ctx: Ctx; number: string }) {
  const { s } = ctx;
  const [card, setCard] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    work()
      .catch((e: unknown) => setError(e))
      .finally(() => setBusy(false));
  };
  return el(
    'div',
    { class: 'pass-actions', 'data-testid': 'pass-actions' },
    el('p', null, s.fia.passNumber, ': ', ltr(number, 'pass-number')),
    el(
      'div',
      { class: 'actions' },
      el(
        'button',
        {
          type: 'button',
          class: 'primary',
          disabled: busy,
          'data-testid': 'download-png',
          onClick: () =>
            run(async () => saveBlob(await ctx.api.blob(`/passes/${number}/qr.png`), `${number}.png`)),
        },
        s.resident.downloadPng,
      ),
      el(
        'button',
        {
          type: 'button',
          disabled: busy,
          'data-testid': 'print-card',
          onClick: () =>
            run(async () => setCard(await (await ctx.api.blob(`/passes/${number}/card`)).text())),
        },
        s.resident.printCard,
      ),
    ),
    busy ? el(Busy, { s }) : null,
    el(Failure, { error, s }),
    card
      ? el(PrintView, { html: card, title: s.resident.printCard, s, onClose: () => setCard(undefined) })
      : null,
  );
}
