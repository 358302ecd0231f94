// The Ministry feed's health as the server reports it: records waiting, batches dead-lettered, the oldest undelivered.
import { format } from '../../shared/i18n.ts';
import { ApiError } from './api.ts';
import { Busy, type Ctx, el, Failure, ltr, pkDateTime, useLoad } from './ui.ts';

interface FeedStatus {
  pending: number;
  openBatches: number;
  deadBatches: {
    deliveryId: string;
    records: number;
    attempts: number;
    lastError?: string;
    deadAt?: string;
  }[];
  oldestUndeliveredAt?: string;
  oldestUndeliveredAgeSeconds?: number;
}

function age(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export function FeedHealth({ ctx }: { ctx: Ctx }) {
  const { s, lang } = ctx;
  const status = useLoad(() => ctx.api.json<FeedStatus>('GET', '/feed/status'), []);
  const forbidden = status.error instanceof ApiError && status.error.kind === 'forbidden';
  return el(
    'section',
    { class: 'card', 'data-testid': 'feed-health', 'aria-labelledby': 'feed-title' },
    el('h3', { id: 'feed-title' }, s.ministry.feed),
    status.loading ? el(Busy, { s, label: s.loading }) : null,
    forbidden
      ? el('p', { class: 'hint' }, s.ministry.feedForbidden)
      : el(Failure, { error: status.error, s }),
    status.data
      ? el(
          'div',
          null,
          el(
            'dl',
            { class: 'facts' },
            stat(s.ministry.waiting, String(status.data.pending + status.data.openBatches), 'feed-waiting'),
            stat(s.ministry.deadLettered, String(status.data.deadBatches.length), 'feed-dead'),
            stat(
              s.ministry.oldest,
              status.data.oldestUndeliveredAt
                ? `${pkDateTime(status.data.oldestUndeliveredAt, lang)} (${age(status.data.oldestUndeliveredAgeSeconds ?? 0)})`
                : '—',
              'feed-oldest',
            ),
          ),
          status.data.deadBatches.length > 0
            ? el(
                'ul',
                null,
                status.data.deadBatches.map((b) =>
                  el(
                    'li',
                    { key: b.deliveryId },
                    ltr(b.deliveryId),
                    ` · ${format(s.ministry.deadBatch, { records: b.records, attempts: b.attempts })} `,
                    b.lastError ? el('span', { dir: 'auto' }, b.lastError) : null,
                  ),
                ),
              )
            : null,
          el('button', { type: 'button', onClick: status.reload }, s.resident.refresh),
        )
      : null,
  );
}

function stat(label: string, value: string, testid: string) {
  return el(
    'div',
    { class: 'fact' },
    el('dt', null, label),
    el('dd', { class: 'stat', 'data-testid': testid }, ltr(value)),
  );
}
