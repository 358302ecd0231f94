// Recording a crossing after a verdict (one tap for a pass; the crew for a boat) and the post's list of crossings.
import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  isGroupPass,
  type PassClaims,
  type VerificationResult,
  type VesselClaims,
} from '../../../shared/credential.ts';
import type { CrewInput } from '../../../shared/crossing-schemas.ts';
import { parseCnic } from '../../../shared/domain/cnic.ts';
import { type Direction, MAX_CREW } from '../../../shared/domain/crossing.ts';
import { cnicAsPrinted, format } from '../../shared/i18n.ts';
import {
  crossingsToday,
  type DaySummary,
  lastCrossingOf,
  type NewCrossing,
  recordCrossing,
  rejectedCrossings,
  withdrawQueued,
} from './crossings.ts';
import type { CrossingSyncRecord, LocalCrossing } from './storage.ts';
import type { Strings } from './strings.ts';

const el = h;

/** Pakistan time of day, as the post reads its clock. */
export function pktTime(iso: string | number): string {
  return new Date(iso).toLocaleTimeString('en-GB', {
    timeZone: 'Asia/Karachi',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** What a verdict lets the officer record: only a credential whose signature checked, so its number is real. */
export interface Recordable {
  kind: 'bp' | 'vr';
  verdict: VerificationResult['verdict'];
  credential: string;
  name: string;
  number: string;
  /** A boat certificate's crew limit. */
  crewLimit?: number;
  /** The pilgrim group of a member's pass. */
  group?: string;
}

/** A leader's group pass is not: it names a group and is no travel document (docs/groups.md). */
export function recordableOf(result: VerificationResult, input: string): Recordable | undefined {
  if (!result.kind || !result.claims) return undefined;
  const base = { kind: result.kind, verdict: result.verdict, credential: input.trim() };
  if (result.kind === 'bp') {
    const claims = result.claims as PassClaims;
    if (isGroupPass(claims)) return undefined;
    return {
      ...base,
      name: claims.n,
      number: claims.sub,
      ...(claims.g !== undefined ? { group: claims.g } : {}),
    };
  }
  const claims = result.claims as VesselClaims;
  const slash = claims.sub.lastIndexOf('/');
  return {
    ...base,
    name: claims.n,
    number: slash > 0 ? claims.sub.slice(0, slash) : claims.sub,
    crewLimit: claims.m,
  };
}

/** Sends scans to the crew list instead of the verdict screen while a boat's crew is being taken. */
export type Capture = (text: string) => Promise<void>;

export interface Post {
  checkpoint: string;
  officer: string;
  device: string;
}

/** The crossing a tap (or a scan in group mode) records: one shape for every way in, so all are sent alike. */
export function crossingOf(
  item: Recordable,
  post: Post,
  direction: Direction,
  extra: { overrideReason?: string; crew?: CrewInput } = {},
): NewCrossing {
  return {
    credential: item.credential,
    kind: item.kind,
    checkpoint: post.checkpoint as NewCrossing['checkpoint'],
    direction,
    officer: post.officer,
    device: post.device,
    verdict: item.verdict,
    name: item.name,
    number: item.number,
    ...(item.group !== undefined ? { group: item.group } : {}),
    ...(extra.overrideReason !== undefined ? { override: { reason: extra.overrideReason } } : {}),
    ...(extra.crew ? { crew: extra.crew } : {}),
  };
}

/** What the officer did on the panel, for the queue's count and a group's progress. */
export type RecordChange = { recorded: LocalCrossing } | { withdrawn: LocalCrossing };

interface RecordPanelProps {
  s: Strings;
  item: Recordable;
  post: Post;
  verify: (text: string) => Promise<VerificationResult>;
  setCapture: (capture: Capture | undefined) => void;
  onChange: (change: RecordChange | undefined) => void;
  /** A crossing already recorded for this scan (group mode): the panel opens on it, with its undo. */
  recorded?: LocalCrossing;
}

export function RecordPanel({ s, item, post, verify, setCapture, onChange, recorded }: RecordPanelProps) {
  const [done, setDone] = useState<LocalCrossing | undefined>(recorded);
  const [undone, setUndone] = useState(false);
  const [reason, setReason] = useState('');
  const [crewFor, setCrewFor] = useState<Direction | undefined>();
  const [crewStart, setCrewStart] = useState<{ crew: CrewInput; from?: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const valid = item.verdict === 'VALID';
  const needsReason = !valid && reason.trim() === '';

  const save = async (direction: Direction, crew?: CrewInput) => {
    if (busy) return;
    setBusy(true);
    try {
      const crossing = crossingOf(item, post, direction, {
        ...(valid ? {} : { overrideReason: reason.trim() }),
        ...(crew ? { crew } : {}),
      });
      const local = await recordCrossing(crossing);
      setDone(local);
      setCrewFor(undefined);
      setCapture(undefined);
      onChange({ recorded: local });
    } finally {
      setBusy(false);
    }
  };

  const choose = async (direction: Direction) => {
    if (item.kind === 'bp') return save(direction);
    // A return is usually the crew that left: start from the departure this device recorded, to be corrected.
    const last = direction === 'IN' ? await lastCrossingOf(item.number) : undefined;
    setCrewStart(
      last?.record.crew && last.record.direction === 'OUT'
        ? { crew: last.record.crew, from: last.record.at }
        : { crew: { count: 1, cnics: [] } },
    );
    setCrewFor(direction);
  };

  if (done)
    return el(
      'section',
      { class: 'record done', 'data-testid': 'recorded', 'data-id': done.record.id },
      el(
        'p',
        { role: 'status' },
        undone
          ? s.record.undone
          : format(s.record.recorded, {
              direction: s.queue.directions[done.record.direction],
              time: pktTime(done.record.at),
              name: item.name,
            }),
      ),
      undone
        ? null
        : el(
            'button',
            {
              type: 'button',
              'data-testid': 'undo',
              onClick: async () => {
                const withdrawn = await withdrawQueued(done.record.id);
                setUndone(withdrawn);
                // Not withdrawn: it was sent meanwhile, and the queue is counted again all the same.
                onChange(withdrawn ? { withdrawn: done } : undefined);
              },
            },
            s.record.undo,
          ),
    );

  if (crewFor && crewStart)
    return el(CrewForm, {
      s,
      direction: crewFor,
      limit: item.crewLimit ?? MAX_CREW,
      start: crewStart,
      verify,
      setCapture,
      busy,
      onSave: (crew: CrewInput) => save(crewFor, crew),
      onCancel: () => {
        setCrewFor(undefined);
        setCapture(undefined);
      },
    });

  const buttons = el(
    'div',
    { class: 'line directions' },
    (['OUT', 'IN'] as const).map((direction) =>
      el(
        'button',
        {
          type: 'button',
          key: direction,
          class: valid ? 'primary direction' : 'direction',
          disabled: busy || needsReason,
          'data-testid': `record-${direction}`,
          onClick: () => void choose(direction),
        },
        direction === 'OUT' ? s.record.out : s.record.in,
      ),
    ),
  );
  return el(
    'section',
    { class: 'record', 'data-testid': 'record' },
    el('h2', null, s.record.title),
    valid
      ? buttons
      : el(
          'details',
          { class: 'override', 'data-testid': 'override' },
          el('summary', null, s.record.overrideOpen),
          el('label', { for: 'override-reason' }, s.record.overrideReason),
          el('textarea', {
            id: 'override-reason',
            rows: 2,
            maxLength: 500,
            value: reason,
            'data-testid': 'override-reason',
            onInput: (e: Event) => setReason((e.target as HTMLTextAreaElement).value),
          }),
          el('p', { class: 'muted' }, s.record.overrideHelp),
          buttons,
        ),
  );
}

interface CrewFormProps {
  s: Strings;
  direction: Direction;
  limit: number;
  start: { crew: CrewInput; from?: string };
  verify: (text: string) => Promise<VerificationResult>;
  setCapture: (capture: Capture | undefined) => void;
  busy: boolean;
  onSave: (crew: CrewInput) => void;
  onCancel: () => void;
}

function CrewForm({ s, direction, limit, start, verify, setCapture, busy, onSave, onCancel }: CrewFormProps) {
  const [count, setCount] = useState(String(start.crew.count));
  const [cnics, setCnics] = useState<string[]>(start.crew.cnics);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | undefined>();
  const cnicsRef = useRef(cnics);
  cnicsRef.current = cnics;
  const countRef = useRef(count);
  countRef.current = count;

  const add = (cnic: string): boolean => {
    const list = cnicsRef.current;
    if (list.includes(cnic)) {
      setError(s.record.crewCnicTwice);
      return false;
    }
    const n = Number(countRef.current);
    // Scanning past the count raises it: the officer is counting heads by scanning them.
    if (Number.isInteger(n) && list.length >= n) {
      if (list.length >= MAX_CREW) {
        setError(s.record.crewTooMany);
        return false;
      }
      setCount(String(list.length + 1));
    }
    setCnics([...list, cnic]);
    setError(undefined);
    return true;
  };

  // While the form is open every scan (camera, photo, scanner) is a crew member's pass.
  useEffect(() => {
    setCapture(async (text: string) => {
      const result = await verify(text);
      if (result.kind !== 'bp' || !result.claims) {
        setError(s.record.crewNotPass);
        return;
      }
      add(String((result.claims as PassClaims).c));
    });
    return () => setCapture(undefined);
  }, []);

  const n = Number(count);
  const countOk = Number.isInteger(n) && n >= 1 && n <= MAX_CREW && n >= cnics.length;
  const typedCheck = typed.trim() === '' ? undefined : parseCnic(typed.trim());

  return el(
    'section',
    { class: 'record crew', 'data-testid': 'crew-form', 'data-direction': direction },
    el('h2', null, direction === 'OUT' ? s.record.crewTitleOut : s.record.crewTitleIn),
    start.from
      ? el('p', { class: 'muted' }, format(s.record.crewFromLast, { time: pktTime(start.from) }))
      : null,
    el('label', { for: 'crew-count' }, s.record.crewCount),
    el(
      'div',
      { class: 'line' },
      el('input', {
        id: 'crew-count',
        type: 'number',
        inputMode: 'numeric',
        min: 1,
        max: MAX_CREW,
        dir: 'ltr',
        value: count,
        'data-testid': 'crew-count',
        onInput: (e: Event) => setCount((e.target as HTMLInputElement).value),
      }),
      el(
        'strong',
        { class: n > limit ? 'limit over' : 'limit', 'data-testid': 'crew-limit' },
        format(s.record.crewLimitIs, { limit }),
      ),
    ),
    n > limit ? el('p', { class: 'warn', role: 'alert' }, s.record.crewAboveLimit) : null,
    el('p', { class: 'muted' }, s.record.crewScanHint),
    el(
      'form',
      {
        class: 'line',
        onSubmit: (e: Event) => {
          e.preventDefault();
          if (!typedCheck) return;
          if (!typedCheck.ok) setError(format(s.record.crewCnicBad, { detail: typedCheck.error }));
          else if (add(typedCheck.cnic)) setTyped('');
        },
      },
      el('label', { for: 'crew-cnic', class: 'visually-hidden' }, s.cnic),
      el('input', {
        id: 'crew-cnic',
        dir: 'ltr',
        inputMode: 'numeric',
        autocomplete: 'off',
        placeholder: '12345-1234567-1',
        value: typed,
        'aria-invalid': typedCheck && !typedCheck.ok ? 'true' : undefined,
        'data-testid': 'crew-cnic',
        onInput: (e: Event) => setTyped((e.target as HTMLInputElement).value),
      }),
      el('button', { type: 'submit', 'data-testid': 'crew-cnic-add' }, s.record.crewCnicAdd),
    ),
    error ? el('p', { class: 'error', role: 'alert', 'data-testid': 'crew-error' }, error) : null,
    el('p', null, format(s.record.crewCnics, { n: cnics.length, count: count || '?' })),
    el(
      'ol',
      { class: 'crew-list', 'data-testid': 'crew-list' },
      cnics.map((cnic) =>
        el(
          'li',
          { key: cnic, 'data-cnic': cnic },
          el('bdi', { dir: 'ltr' }, cnicAsPrinted(Number(cnic))),
          ' ',
          el(
            'button',
            { type: 'button', class: 'small', onClick: () => setCnics(cnics.filter((c) => c !== cnic)) },
            s.record.crewRemove,
          ),
        ),
      ),
    ),
    el(
      'div',
      { class: 'line' },
      el(
        'button',
        {
          type: 'button',
          class: 'primary',
          disabled: busy || !countOk,
          'data-testid': 'crew-save',
          onClick: () => onSave({ count: n, cnics }),
        },
        format(s.record.crewSave, { direction: s.queue.directions[direction] }),
      ),
      el('button', { type: 'button', onClick: onCancel }, s.record.crewCancel),
    ),
  );
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
}

function stateLine(local: LocalCrossing, s: Strings): string {
  const parts = [s.queue.states[local.state]];
  if (local.record.override) parts.push(s.queue.override);
  if (local.record.crew) parts.push(format(s.queue.crew, { n: local.record.crew.count }));
  if (local.anomalies?.length) parts.push(format(s.queue.anomalies, { list: local.anomalies.join(', ') }));
  return parts.join(' · ');
}

function lastLine(last: CrossingSyncRecord, s: Strings): string {
  switch (last.outcome) {
    case 'synced':
      return format(s.queue.synced, {
        time: pktTime(last.at),
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

export function QueuePanel({ s, version, waiting, sending, last, retryInS, onSend }: QueuePanelProps) {
  const [today, setToday] = useState<DaySummary | undefined>();
  const [refused, setRefused] = useState<LocalCrossing[]>([]);
  useEffect(() => {
    void crossingsToday().then(setToday);
    void rejectedCrossings().then(setRefused);
  }, [version]);

  const row = (local: LocalCrossing) =>
    el(
      'li',
      {
        key: local.record.id,
        class: `crossing state-${local.state}`,
        'data-id': local.record.id,
        'data-state': local.state,
      },
      el(
        'span',
        { class: 'time', dir: 'ltr' },
        // A record of another day (the refused list, a clock set wrong) carries its date.
        local.day === today?.day ? pktTime(local.record.at) : `${local.day} ${pktTime(local.record.at)}`,
      ),
      el('strong', { class: 'dir' }, s.queue.directions[local.record.direction]),
      el('span', { class: 'who' }, local.name, ' ', el('bdi', { dir: 'ltr', class: 'muted' }, local.number)),
      el('span', { class: 'state' }, stateLine(local, s)),
      local.reason ? el('span', { class: 'reason', 'data-testid': 'reject-reason' }, local.reason) : null,
    );

  const total = today ? today.out + today.in : 0;
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
      {
        type: 'button',
        'data-testid': 'send-crossings',
        disabled: sending,
        onClick: onSend,
      },
      s.queue.send,
    ),
    refused.length > 0
      ? el(
          'div',
          { class: 'refused', 'data-testid': 'refused' },
          el('h3', null, s.queue.rejectedTitle),
          el('ul', { class: 'crossings' }, refused.map(row)),
        )
      : null,
    today
      ? el(
          'div',
          {
            class: 'today',
            'data-testid': 'today',
            'data-day': today.day,
            'data-out': today.out,
            'data-in': today.in,
          },
          el('h3', null, format(s.queue.today, { out: today.out, in: today.in })),
          total === 0
            ? el('p', { class: 'muted' }, s.queue.none)
            : el('ul', { class: 'crossings' }, today.latest.map(row)),
          total > today.latest.length
            ? el('p', { class: 'muted' }, format(s.queue.more, { n: total - today.latest.length }))
            : null,
        )
      : null,
  );
}
