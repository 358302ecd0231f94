// The crew of a boat at the post: counted and listed by CNIC, typed or scanned from each member's pass.
import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PassClaims, VerificationResult } from '../../../shared/credential.ts';
import type { CrewInput } from '../../../shared/crossing-schemas.ts';
import { parseCnic } from '../../../shared/domain/cnic.ts';
import { type Direction, MAX_CREW } from '../../../shared/domain/crossing.ts';
import { cnicAsPrinted, format } from '../../shared/i18n.ts';
import type { Strings } from './strings.ts';
import { pktStamp } from './time.ts';

const el = h;

/** Sends scans to the crew list instead of the verdict screen while a boat's crew is being taken. */
export type Capture = (text: string) => Promise<void>;

export interface CrewFormProps {
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

export function CrewForm({
  s,
  direction,
  limit,
  start,
  verify,
  setCapture,
  busy,
  onSave,
  onCancel,
}: CrewFormProps) {
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
      ? el('p', { class: 'muted' }, format(s.record.crewFromLast, { time: pktStamp(start.from) }))
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
