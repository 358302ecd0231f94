// The post's crossing queue on screen: how many wait to be sent, the last send, and what the server refused.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { format } from '../../shared/i18n.ts';
import { rejectedCrossings } from './crossings.ts';
import type { CrossingSyncRecord, LocalCrossing } from './storage.ts';
import { FLAG_CODES, type FlagCode, type Strings } from './strings.ts';
import { pktClock, pktWhen } from './time.ts';

const el = h;

const isFlag = (code: string): code is FlagCode => (FLAG_CODES as readonly string[]).includes(code);

/** A server flag in the officer's language; one this app does not know yet is shown by its code, readably. */
export function flagText(code: string, s: Strings): string {
  if (isFlag(code)) return s.flags[code];
  return format(s.flagUnknown, { code: code.toLowerCase().replace(/_/g, ' ') });
}

function stateLine(local: LocalCrossing, s: Strings): string {
  const parts = [s.queue.states[local.state]];
  if (local.record.override) parts.push(s.queue.override);
  if (local.record.crew) parts.push(format(s.queue.crew, { n: local.record.crew.count }));
  if (local.anomalies?.length)
    parts.push(format(s.queue.anomalies, { list: local.anomalies.map((a) => flagText(a, s)).join(s.comma) }));
  return parts.join(' · ');
}

/** One crossing in a list: its time (PKT, with the day when not today), direction, who, and where it stands. */
export function CrossingRow({ local, s, nowMs }: { local: LocalCrossing; s: Strings; nowMs: number }) {
  return el(
    'li',
    {
      class: `crossing state-${local.state}`,
      'data-id': local.record.id,
      'data-state': local.state,
      'data-anomalies': local.anomalies?.join(' '),
    },
    el('span', { class: 'time', dir: 'ltr' }, pktWhen(local.record.at, nowMs)),
    el('strong', { class: 'dir' }, s.queue.directions[local.record.direction]),
    el(
      'span',
      { class: 'who' },
      el('bdi', { dir: 'ltr' }, local.name),
      ' ',
      el('bdi', { dir: 'ltr', class: 'muted' }, local.number),
    ),
    el('span', { class: 'state' }, stateLine(local, s)),
    local.reason ? el('span', { class: 'reason', 'data-testid': 'reject-reason' }, local.reason) : null,
  );
}

function lastLine(last: CrossingSyncRecord, s: Strings): string {
  switch (last.outcome) {
    case 'synced':
      return format(s.queue.synced, {
        time: pktClock(last.at),
        stored: last.stored ?? 0,
        duplicate: last.duplicate ?? 0,
        rejected: last.rejected ?? 0,
      });
    case 'offline':
      return s.queue.offline;
    case 'failed':
      return format(s.queue.failed, { detail: last.detail ?? '' });
    case 'login-needed':
      return s.queue.loginNeeded;
    case 'forbidden':
      return format(s.queue.forbidden, { detail: last.detail ?? '' });
  }
}

interface QueuePanelProps {
  s: Strings;
  /** Changes whenever the queue or the answers change, so the lists are read again. */
  version: number;
  /** Undefined until the queue has been counted. */
  waiting: number | undefined;
  sending: boolean;
  last: CrossingSyncRecord | undefined;
  retryInS: number | undefined;
  onSend: () => void;
  nowMs: number;
}

export function QueuePanel({ s, version, waiting, sending, last, retryInS, onSend, nowMs }: QueuePanelProps) {
  const [refused, setRefused] = useState<LocalCrossing[]>([]);
  useEffect(() => {
    void rejectedCrossings().then(setRefused);
  }, [version]);

  return el(
    'section',
    { class: 'queue', 'data-testid': 'queue', 'data-waiting': waiting ?? undefined },
    el('h2', null, s.queue.title),
    el(
      'p',
      { class: waiting ? 'waiting some' : 'waiting', 'data-testid': 'waiting' },
      waiting === undefined
        ? '…'
        : sending
          ? format(s.queue.sending, { n: waiting })
          : format(s.queue.waiting, { n: waiting }),
    ),
    last
      ? el(
          'p',
          {
            class: `sync sync-${last.outcome}`,
            'data-testid': 'crossing-sync',
            'data-outcome': last.outcome,
          },
          lastLine(last, s),
          retryInS !== undefined && waiting ? ` · ${format(s.queue.retryIn, { s: retryInS })}` : '',
        )
      : null,
    el(
      'button',
      { type: 'button', 'data-testid': 'send-crossings', disabled: sending, onClick: onSend },
      s.queue.send,
    ),
    refused.length > 0
      ? el(
          'div',
          { class: 'refused', 'data-testid': 'refused' },
          el('h3', null, s.queue.rejectedTitle),
          el(
            'ul',
            { class: 'crossings' },
            refused.map((local) => el(CrossingRow, { key: local.record.id, local, s, nowMs })),
          ),
        )
      : null,
  );
}
