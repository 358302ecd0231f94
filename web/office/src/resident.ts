// A border resident's pages, phone first: apply, follow the application, download the pass and print its card.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { PASS_TYPES } from '../../../shared/domain/pass-types.ts';
import type { ApplicationView } from '../../../shared/office-views.ts';
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
  statusText,
  useLoad,
} from './ui.ts';

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
      onSubmitted: (app) => ctx.go(`#/status/${app.id}`),
    }),
  );
}

/** An application as the API shows it to its applicant (functions/views.ts), so a change there breaks this page. */
type OwnApplication = ApplicationView;

/** The resident's applications from the server, so a new phone or a cleared browser shows them all. */
function StatusPage({ ctx, focus }: { ctx: Ctx; focus: string | undefined }) {
  const { s } = ctx;
  const mine = useLoad(() => ctx.api.json<{ items: OwnApplication[] }>('GET', '/applications?mine=true'), []);
  const items = mine.data?.items ?? [];
  const sent = focus ? items.find((a) => a.id === focus) : undefined;
  return el(
    'section',
    null,
    el('h2', null, s.resident.status),
    sent ? el(Notice, null, format(s.resident.sent, { id: sent.reference ?? sent.id })) : null,
    el('p', { class: 'hint' }, s.desk.mineNote, ' ', s.desk.timesNote),
    mine.loading && !mine.data ? el(Busy, { s, label: s.loading }) : null,
    el(Failure, { error: mine.error, s }),
    mine.data && items.length === 0 ? el('p', { 'data-testid': 'mine-none' }, s.desk.mineNone) : null,
    items.map((app) => el(ApplicationCard, { ctx, app, key: app.id })),
    mine.data
      ? el(
          'button',
          { type: 'button', onClick: mine.reload, disabled: mine.loading, 'data-testid': 'refresh' },
          s.resident.refresh,
        )
      : null,
  );
}

const passTypeName = (code: string) => PASS_TYPES.find((t) => t.code === code)?.name ?? code;

function ApplicationCard({ ctx, app }: { ctx: Ctx; app: OwnApplication }) {
  const { s, lang } = ctx;
  const [receipt, setReceipt] = useState(false);
  const titleId = `app-${app.id}`;
  return el(
    'article',
    { class: 'card', 'data-testid': 'application', 'data-id': app.id, 'aria-labelledby': titleId },
    el(
      'h3',
      { id: titleId, class: 'reference' },
      el('span', { class: 'reference-label' }, s.desk.reference),
      ' ',
      ltr(app.reference ?? app.id, 'reference'),
    ),
    app.reference ? el('p', { class: 'hint' }, s.desk.referenceHint) : null,
    el('p', null, el(StatusBadge, { s, status: app.status }), ' ', app.name, ' · ', ltr(app.cnic)),
    el(
      'p',
      { class: 'muted' },
      el('bdi', null, passTypeName(app.passType)),
      ' · ',
      pkDay(app.validFrom, lang),
      ' – ',
      pkDay(app.validUntil, lang),
      ' · ',
      ltr(app.crossingPoints.join(', ')),
    ),
    el('p', { class: 'muted' }, s.desk.sent, ' ', pkDateTime(app.createdAt, lang)),
    app.status === 'PENDING' ? el('p', null, s.resident.pendingNote) : null,
    app.status === 'REJECTED' && app.rejectionReason
      ? el('p', { class: 'banner bad' }, format(s.resident.rejectedBecause, { reason: app.rejectionReason }))
      : null,
    app.passNumber ? el(PassActions, { ctx, number: app.passNumber }) : null,
    el(
      'div',
      { class: 'actions no-print' },
      el(
        'button',
        {
          type: 'button',
          'aria-expanded': receipt ? 'true' : 'false',
          'data-testid': 'show-receipt',
          onClick: () => setReceipt(!receipt),
        },
        s.desk.receipt,
      ),
    ),
    receipt ? el(Receipt, { ctx, app, onClose: () => setReceipt(false) }) : null,
  );
}

/** The receipt of an application, printed on one A5 sheet: what a resident keeps to quote the reference. */
function Receipt({ ctx, app, onClose }: { ctx: Ctx; app: OwnApplication; onClose: () => void }) {
  const { s, lang } = ctx;
  return el(
    'section',
    { class: 'receipt', 'aria-label': s.desk.receiptTitle, 'data-testid': 'receipt' },
    el(
      'div',
      { class: 'actions no-print' },
      el(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-testid': 'receipt-print',
          onClick: () => {
            // Only the receipt prints: the rest of the page is taken out of the printed layout, not just hidden.
            document.body.classList.add('printing-receipt');
            addEventListener('afterprint', () => document.body.classList.remove('printing-receipt'), {
              once: true,
            });
            window.print();
          },
        },
        s.desk.receipt,
      ),
      el('button', { type: 'button', onClick: onClose }, s.close),
    ),
    el(
      'div',
      { class: 'receipt-sheet' },
      el('p', { class: 'receipt-head' }, s.appName, ' · ', s.desk.receiptTitle),
      el(
        'p',
        { class: 'receipt-ref' },
        el('span', { class: 'reference-label' }, s.desk.reference),
        ' ',
        ltr(app.reference ?? app.id, 'receipt-reference'),
      ),
      el(
        'dl',
        { class: 'facts' },
        fact(s.fields.name, app.name),
        fact(s.fields.fatherName, app.fatherName),
        fact(s.fields.cnic, ltr(app.cnic)),
        fact(s.fields.passType, el('bdi', null, passTypeName(app.passType))),
        fact(s.desk.receiptDates, `${pkDay(app.validFrom, lang)} – ${pkDay(app.validUntil, lang)}`),
        fact(s.fields.crossingPoints, ltr(app.crossingPoints.join(', '))),
        fact(s.desk.receiptSent, pkDateTime(app.createdAt, lang)),
        fact(s.fields.status, statusText(s, app.status)),
      ),
      el('p', null, s.desk.receiptKeep),
    ),
  );
}

function fact(label: string, value: ComponentChildren) {
  return el('div', { class: 'fact' }, el('dt', null, label), el('dd', null, value));
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
