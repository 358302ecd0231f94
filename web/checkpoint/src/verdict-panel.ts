// The verdict block, where the officer's eye is: the current person's verdict, what the device knows of them, or
// that the last read failed (which clears the verdict before it, so nobody is let through on someone else's).
import { h } from 'preact';
import { format } from '../../shared/i18n.ts';
import type { Signal } from './feedback.ts';
import type { Known } from './recent.ts';
import type { Strings } from './strings.ts';
import { pktWhen } from './time.ts';
import type { VerdictView } from './verdict.ts';

const el = h;

/** The sound and vibration of a verdict: someone already out, or a card just recorded, is a warning. */
export function signalOf(view: VerdictView, known: Known | undefined): Signal {
  if (view.tone === 'bad') return 'stop';
  if (view.tone === 'warn' || known?.recent || known?.latest?.direction === 'OUT') return 'warn';
  return 'go';
}

function KnownLine({ s, known, nowMs }: { s: Strings; known: Known; nowMs: number }) {
  const { latest } = known;
  if (!latest) return null;
  const values = {
    time: pktWhen(latest.at, nowMs),
    source: latest.source === 'device' ? s.known.device : s.known.platform,
  };
  return el(
    'p',
    {
      class: latest.direction === 'OUT' ? 'known out' : 'known',
      'data-testid': 'known',
      'data-direction': latest.direction,
      'data-source': latest.source,
    },
    format(latest.direction === 'OUT' ? s.known.outSince : s.known.lastIn, values),
  );
}

export function VerdictPanel({
  view,
  s,
  seq,
  known,
  nowMs,
}: {
  view: VerdictView;
  s: Strings;
  seq: number;
  known: Known | undefined;
  nowMs: number;
}) {
  return el(
    'section',
    {
      class: `verdict tone-${view.tone}`,
      id: 'verdict',
      'data-testid': 'verdict',
      'data-verdict': view.verdict,
      'data-tone': view.tone,
      'data-seq': seq,
      role: 'status',
    },
    el('p', { class: 'headline' }, view.headline),
    el('p', { class: 'detail', title: view.technical, 'data-technical': view.technical }, view.detail),
    known ? el(KnownLine, { s, known, nowMs }) : null,
    view.warnings.length > 0
      ? el(
          'ul',
          { class: 'verdict-warnings' },
          view.warnings.map((w) => el('li', { 'data-warning': w, key: w }, s.warnings[w])),
        )
      : null,
    view.rows.length > 0
      ? el(
          'div',
          { class: 'claims' },
          view.checkTitle ? el('h2', null, view.checkTitle) : null,
          el(
            'dl',
            null,
            view.rows.map((row) =>
              el(
                'div',
                { class: row.key ? 'row key' : 'row', key: row.label },
                el('dt', null, row.label),
                el('dd', null, row.ltr ? el('bdi', { dir: 'ltr' }, row.value) : row.value),
              ),
            ),
          ),
        )
      : null,
  );
}

/** A read that found nothing: said where the verdict was, in the same place, with nothing of the person before. */
export function ReadFailed({ s, message, seq }: { s: Strings; message: string; seq: number }) {
  return el(
    'section',
    {
      class: 'verdict tone-none',
      id: 'verdict',
      'data-testid': 'input-error',
      'data-seq': seq,
      role: 'alert',
    },
    el('p', { class: 'headline' }, s.readFailedTitle),
    el('p', { class: 'detail' }, message),
  );
}
