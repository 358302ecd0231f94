// What to record under a verdict: the record panel for a person or a boat, what group mode did with the scan, or
// why there is nothing to record (a group pass, a text that is no credential).
import { h } from 'preact';
import type { VerificationResult } from '../../../shared/credential.ts';
import { type GroupStep, GroupStepNote, groupOf } from './group-panels.ts';
import type { Known } from './recent.ts';
import { type Capture, type RecordChange, RecordPanel, recordableOf } from './record.ts';
import type { SavedLogin } from './storage.ts';
import type { Strings } from './strings.ts';

const el = h;

/** One verdict on screen and what goes with it. */
export interface Shown {
  result: VerificationResult;
  /** The text that was checked: what a recorded crossing carries for the server to verify again. */
  input: string;
  wentBack: boolean;
  /** performance.now() when the frame or text was taken, for the scan-to-verdict measure. */
  startedAt: number;
  seq: number;
  /** The trust state's version the credential was judged with, carried on the crossing recorded. */
  trustVersion: number;
  /** What group mode did with this scan, when it was on. */
  step?: GroupStep;
  /** What the device knew of the person: recorded moments ago, out since. */
  known?: Known;
}

export function RecordFor({
  s,
  shown,
  login,
  device,
  verify,
  setCapture,
  onChange,
}: {
  s: Strings;
  shown: Shown;
  login: SavedLogin;
  device: string | undefined;
  verify: (text: string) => Promise<VerificationResult>;
  setCapture: (capture: Capture | undefined) => void;
  onChange: (change: RecordChange | undefined) => void;
}) {
  const item = recordableOf(shown.result, shown.input, shown.trustVersion);
  const { step } = shown;
  if (!device) return null;
  // A leader's group pass: the group panel says why there is nothing to record.
  if (groupOf(shown.result)?.groupPass) return step ? el(GroupStepNote, { s, step }) : null;
  if (!item)
    return el(
      'div',
      null,
      step ? el(GroupStepNote, { s, step }) : null,
      el('p', { class: 'muted record-none', 'data-testid': 'not-recordable' }, s.record.notRecordable),
    );
  // Recorded by group mode, or already there: no buttons, so a second tap cannot record the member twice.
  if (step?.kind === 'already') return el(GroupStepNote, { s, step });
  const panel = el(RecordPanel, {
    // A new scan is a new crossing: the panel starts afresh; so does one group mode has just recorded.
    key: `${shown.seq}${step?.kind === 'recorded' ? '-group' : ''}`,
    s,
    item,
    post: { checkpoint: login.checkpoint, officer: login.sub, device },
    verify,
    setCapture,
    onChange,
    ...(step?.kind === 'recorded' ? { recorded: step.local } : {}),
    ...(shown.known ? { known: shown.known } : {}),
  });
  return step ? el('div', null, el(GroupStepNote, { s, step }), panel) : panel;
}
