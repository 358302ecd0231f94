// Recording a crossing after a verdict: one tap for a valid pass, the crew for a boat, an override with a reason
// for anything else, and what was just recorded shown with its undo instead of fresh buttons.
import { h } from 'preact';
import { useState } from 'preact/hooks';
import {
  isGroupPass,
  type PassClaims,
  type VerificationResult,
  type VesselClaims,
} from '../../../shared/credential.ts';
import type { CrewInput } from '../../../shared/crossing-schemas.ts';
import { type Direction, MAX_CREW } from '../../../shared/domain/crossing.ts';
import { MAX_REASON_LENGTH, MIN_REASON_LENGTH, reasonProblem } from '../../../shared/domain/reasons.ts';
import { format } from '../../shared/i18n.ts';
import { type Capture, CrewForm } from './crew-form.ts';
import { type NewCrossing, recordCrossing, withdrawQueued } from './crossings.ts';
import { isOut, type Known, latestRecordedOf } from './recent.ts';
import type { LocalCrossing } from './storage.ts';
import type { Strings } from './strings.ts';
import { isolated, pktClock } from './time.ts';

export type { Capture } from './crew-form.ts';
export { pktTime } from './time.ts';

const el = h;

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
  /** The version of the device's trust state the credential was judged with. */
  trustVersion?: number;
}

/** A leader's group pass is not: it names a group and is no travel document (docs/groups.md). */
export function recordableOf(
  result: VerificationResult,
  input: string,
  trustVersion?: number,
): Recordable | undefined {
  if (!result.kind || !result.claims) return undefined;
  const base = {
    kind: result.kind,
    verdict: result.verdict,
    credential: input.trim(),
    ...(trustVersion !== undefined ? { trustVersion } : {}),
  };
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
    ...(item.trustVersion !== undefined ? { trustVersion: item.trustVersion } : {}),
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
  /** What the device knew of the person when the credential was judged. */
  known?: Known;
}

/**
 * Which directions take one tap and which need an override with a reason: everything on a credential that is
 * not valid; an OUT of someone already out (the server would flag it DOUBLE_OUT).
 */
function directionsFor(valid: boolean, out: boolean): { oneTap: Direction[]; withReason: Direction[] } {
  if (!valid) return { oneTap: [], withReason: ['OUT', 'IN'] };
  return out ? { oneTap: ['IN'], withReason: ['OUT'] } : { oneTap: ['OUT', 'IN'], withReason: [] };
}

export function RecordPanel(props: RecordPanelProps) {
  const { s, item, post, verify, setCapture, onChange, recorded, known } = props;
  const [done, setDone] = useState<LocalCrossing | undefined>(recorded ?? known?.recent);
  const [undone, setUndone] = useState(false);
  const [another, setAnother] = useState(false);
  const [reason, setReason] = useState('');
  const [crewFor, setCrewFor] = useState<{ direction: Direction; reason?: string } | undefined>();
  const [crewStart, setCrewStart] = useState<{ crew: CrewInput; from?: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const valid = item.verdict === 'VALID';
  // What was recorded here is what the device knows now; an undone record leaves the person as they were before.
  const out = done ? !undone && done.record.direction === 'OUT' : isOut(known);
  const { oneTap, withReason } = directionsFor(valid, out);
  const problem = reasonProblem(reason);

  const save = async (direction: Direction, overrideReason: string | undefined, crew?: CrewInput) => {
    if (busy) return;
    setBusy(true);
    try {
      const crossing = crossingOf(item, post, direction, {
        ...(overrideReason !== undefined ? { overrideReason } : {}),
        ...(crew ? { crew } : {}),
      });
      const local = await recordCrossing(crossing);
      setDone(local);
      setUndone(false);
      setAnother(false);
      setReason('');
      setCrewFor(undefined);
      setCapture(undefined);
      onChange({ recorded: local });
    } finally {
      setBusy(false);
    }
  };

  const choose = async (direction: Direction, overrideReason?: string) => {
    if (item.kind === 'bp') return save(direction, overrideReason);
    // A return is usually the crew that left: start from the departure this device recorded, to be corrected.
    const last = direction === 'IN' ? await latestRecordedOf(item.number) : undefined;
    setCrewStart(
      last?.record.crew && last.record.direction === 'OUT'
        ? { crew: last.record.crew, from: last.record.at }
        : { crew: { count: 1, cnics: [] } },
    );
    setCrewFor({ direction, ...(overrideReason !== undefined ? { reason: overrideReason } : {}) });
  };

  if (done && !another)
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
              time: pktClock(done.record.at),
              // A Latin name inside an Urdu sentence keeps its own order.
              name: isolated(item.name),
            }),
      ),
      el(
        'div',
        { class: 'line' },
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
        el(
          'button',
          { type: 'button', class: 'link', 'data-testid': 'record-another', onClick: () => setAnother(true) },
          s.record.another,
        ),
      ),
    );

  if (crewFor && crewStart)
    return el(CrewForm, {
      s,
      direction: crewFor.direction,
      limit: item.crewLimit ?? MAX_CREW,
      start: crewStart,
      verify,
      setCapture,
      busy,
      onSave: (crew: CrewInput) => save(crewFor.direction, crewFor.reason, crew),
      onCancel: () => {
        setCrewFor(undefined);
        setCapture(undefined);
      },
    });

  const button = (direction: Direction, needsReason: boolean) =>
    el(
      'button',
      {
        type: 'button',
        key: direction,
        class: needsReason ? 'direction' : 'primary direction',
        disabled: busy || (needsReason && problem !== undefined),
        'data-testid': `record-${direction}`,
        onClick: () => void choose(direction, needsReason ? reason.trim() : undefined),
      },
      direction === 'OUT' ? s.record.out : s.record.in,
    );

  return el(
    'section',
    { class: 'record', 'data-testid': 'record' },
    el('h2', null, s.record.title),
    oneTap.length > 0
      ? el('div', { class: 'line directions' }, ...oneTap.map((d) => button(d, false)))
      : null,
    withReason.length > 0
      ? el(
          'details',
          { class: 'override', 'data-testid': 'override', 'data-why': valid ? 'already-out' : 'not-valid' },
          el('summary', null, valid ? s.record.secondOutOpen : s.record.overrideOpen),
          el('label', { for: 'override-reason' }, s.record.overrideReason),
          el('textarea', {
            id: 'override-reason',
            rows: 2,
            maxLength: MAX_REASON_LENGTH,
            value: reason,
            'aria-invalid': reason !== '' && problem !== undefined ? 'true' : undefined,
            'aria-describedby': 'override-problem',
            'data-testid': 'override-reason',
            onInput: (e: Event) => setReason((e.target as HTMLTextAreaElement).value),
          }),
          el(
            'p',
            {
              id: 'override-problem',
              class: 'muted',
              'data-testid': 'override-problem',
              'data-problem': problem,
            },
            problem === undefined
              ? valid
                ? s.record.secondOutHelp
                : s.record.overrideHelp
              : format(s.record.reasonProblems[problem], { min: MIN_REASON_LENGTH, max: MAX_REASON_LENGTH }),
          ),
          el('div', { class: 'line directions' }, ...withReason.map((d) => button(d, true))),
        )
      : null,
  );
}
