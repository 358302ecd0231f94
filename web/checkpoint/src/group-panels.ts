// Pilgrim groups on screen: the group of a scanned pass, the group mode that records a whole group's departure or
// return scan after scan, and the rosters and progress behind them (docs/groups.md).
import { type ComponentChildren, h } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isGroupPass, type PassClaims, type VerificationResult } from '../../../shared/credential.ts';
import type { Direction } from '../../../shared/domain/crossing.ts';
import { format } from '../../shared/i18n.ts';
import { recordCrossing } from './crossings.ts';
import {
  GroupProgress,
  groupMarks,
  loadRosters,
  type Mark,
  markOf,
  type Roster,
  type RosterSync,
  syncRosters,
} from './groups.ts';
import { placeList } from './places.ts';
import { crossingOf, type Post, type RecordChange, recordableOf } from './record.ts';
import type { LocalCrossing, RuntimeConfig, SavedLogin, SavedRosters } from './storage.ts';
import type { Strings } from './strings.ts';
import { pktClock } from './time.ts';

const el = h;

/** Members waiting in group mode that are listed by name; the rest are counted, so a long roster stays cheap. */
const WAITING_SHOWN = 25;

/** Recording one group's departure or return: every valid pass of the group scanned is recorded at once. */
export interface GroupMode {
  group: string;
  direction: Direction;
}

/** What group mode did with one scan. */
export type GroupStep =
  | { kind: 'recorded'; local: LocalCrossing }
  | { kind: 'already'; mark: Mark; name: string }
  | { kind: 'skipped'; why: keyof Strings['groups']['skipped']; group?: string };

/** The group a verified border pass names, and whether it is the leader's group pass. */
export function groupOf(result: VerificationResult): { number: string; groupPass: boolean } | undefined {
  if (result.kind !== 'bp' || !result.claims) return undefined;
  const claims = result.claims as PassClaims;
  return claims.g === undefined ? undefined : { number: claims.g, groupPass: isGroupPass(claims) };
}

/** A template filled with nodes: names stay isolated in their own direction inside Urdu sentences. */
function fill(template: string, values: Record<string, ComponentChildren>): ComponentChildren[] {
  return template.split(/\{(\w+)\}/g).map((part, i) => (i % 2 === 1 ? (values[part] ?? part) : part));
}

const ltr = (text: string | number) => el('bdi', { dir: 'ltr' }, String(text));
/** A group or pass number, a code or a date: left to right and never broken across lines. */
const number = (text: string, extra = '') => el('bdi', { dir: 'ltr', class: `number ${extra}`.trim() }, text);

/**
 * The rosters kept on the device and each opened group's progress. A group is opened (its crossings on this device
 * read from IndexedDB) the first time one of its passes is scanned; after that every crossing recorded or undone
 * updates it in memory, and a roster download re-files the same crossings against the new roster.
 */
export function useGroups() {
  const [rosters, setRosters] = useState<SavedRosters | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [, setVersion] = useState(0);
  const book = useRef(new Map<string, Roster>());
  const opened = useRef(new Map<string, GroupProgress>());
  const bump = useCallback(() => setVersion((v) => v + 1), []);

  const take = useCallback(
    (saved: SavedRosters) => {
      book.current = new Map(saved.groups.map((roster) => [roster.number, roster]));
      for (const [number, progress] of opened.current)
        opened.current.set(number, progress.withRoster(book.current.get(number)));
      setRosters(saved);
      bump();
    },
    [bump],
  );

  useEffect(() => {
    void loadRosters().then((saved) => saved && take(saved));
  }, [take]);

  const sync = useCallback(
    async (config: RuntimeConfig, login: SavedLogin, nowMs: number) => {
      // A failure here (IndexedDB full, say) must not stop the trust update it runs beside.
      const result = await syncRosters(config, login, nowMs).catch(
        (error: unknown): RosterSync => ({ outcome: 'failed', detail: String(error) }),
      );
      if (result.outcome === 'updated') take(result.rosters);
      // No signal or an expired login is already said by the trust data's own line.
      setFailure(result.outcome === 'failed' ? result.detail : undefined);
    },
    [take],
  );

  const open = useCallback(async (number: string): Promise<GroupProgress> => {
    const known = opened.current.get(number);
    if (known) return known;
    const progress = new GroupProgress(number, book.current.get(number), await groupMarks(number));
    // Another scan of the group may have opened it meanwhile: the first one stays, with what was noted on it.
    const first = opened.current.get(number) ?? progress;
    opened.current.set(number, first);
    return first;
  }, []);

  const changed = useCallback(
    (change: RecordChange) => {
      const local = 'recorded' in change ? change.recorded : change.withdrawn;
      const progress = local.group === undefined ? undefined : opened.current.get(local.group);
      if (!progress) return;
      if ('recorded' in change) progress.recorded(local.number, markOf(local));
      else progress.withdrawn(local.number, local.record.id);
      bump();
    },
    [bump],
  );

  const progressOf = useCallback((number: string) => opened.current.get(number), []);

  return { rosters, failure, sync, open, changed, progressOf };
}

/**
 * Group mode's answer to one verified scan: a valid pass of the group is recorded in the mode's direction unless
 * this device already has it so; anything else is left to the officer. `progress` must be the group's, opened.
 */
export async function groupStep(
  result: VerificationResult,
  input: string,
  mode: GroupMode,
  progress: GroupProgress,
  post: Post,
  trustVersion?: number,
): Promise<GroupStep> {
  if (result.verdict !== 'VALID') return { kind: 'skipped', why: 'notValid' };
  const group = groupOf(result);
  if (group?.groupPass) return { kind: 'skipped', why: 'groupPass' };
  const item = recordableOf(result, input, trustVersion);
  if (!item || !group) return { kind: 'skipped', why: 'notMember' };
  if (group.number !== mode.group) return { kind: 'skipped', why: 'otherGroup', group: group.number };
  const latest = progress.latestOf(item.number);
  if (latest?.direction === mode.direction) return { kind: 'already', mark: latest, name: item.name };
  return { kind: 'recorded', local: await recordCrossing(crossingOf(item, post, mode.direction)) };
}

/** What group mode did with the scan on screen, when it recorded nothing. */
export function GroupStepNote({ s, step }: { s: Strings; step: GroupStep }) {
  if (step.kind === 'recorded') return null;
  if (step.kind === 'already')
    return el(
      'p',
      { class: 'group-note already', role: 'status', 'data-testid': 'group-already' },
      fill(s.groups.already, {
        direction: s.queue.directions[step.mark.direction],
        time: pktClock(step.mark.at),
        name: ltr(step.name),
      }),
    );
  return el(
    'p',
    { class: 'group-note', 'data-testid': 'group-skipped', 'data-why': step.why },
    fill(s.groups.skipped[step.why], { group: ltr(step.group ?? '') }),
  );
}

function RosterFacts({ s, roster, leaderName }: { s: Strings; roster?: Roster; leaderName?: string }) {
  return el(
    'div',
    { class: 'group-facts' },
    roster
      ? el(
          'p',
          { class: 'leader', 'data-testid': 'group-leader' },
          fill(s.groups.leader, {
            name: ltr(roster.leader.name),
            organization: ltr(roster.leader.organization),
          }),
        )
      : leaderName
        ? el('p', { class: 'leader' }, fill(s.groups.leader, { name: ltr(leaderName), organization: '—' }))
        : null,
    roster
      ? el(
          'p',
          { class: 'muted' },
          fill(s.groups.trip, {
            point: placeList(roster.crossingPoint, s.lang),
            departOn: number(roster.departOn),
            returnBy: number(roster.returnBy),
          }),
        )
      : null,
  );
}

function Counts({ s, progress }: { s: Strings; progress: GroupProgress }) {
  const { roster } = progress;
  return el(
    'p',
    { class: 'counts', 'data-testid': 'group-counts', 'data-out': progress.out, 'data-back': progress.back },
    roster
      ? format(s.groups.counts, { size: roster.size, out: progress.out, back: progress.back })
      : format(s.groups.countsNoRoster, { out: progress.out, back: progress.back }),
  );
}

interface GroupPanelProps {
  s: Strings;
  result: VerificationResult;
  progress: GroupProgress;
  /** Offered on a valid member's pass: start group mode in a direction. */
  onStart: (direction: Direction) => void;
  mode: GroupMode | undefined;
}

/** The group of the pass on screen: the leader, the trip, who is out and back, and group mode's start. */
export function GroupPanel({ s, result, progress, onStart, mode }: GroupPanelProps) {
  const group = groupOf(result);
  if (!group) return null;
  const claims = result.claims as PassClaims;
  const { roster } = progress;
  const startable = !group.groupPass && result.verdict === 'VALID';
  return el(
    'section',
    {
      class: group.groupPass ? 'group group-pass' : 'group',
      'data-testid': 'group',
      'data-group': group.number,
      'data-group-pass': group.groupPass ? 'true' : undefined,
    },
    el(
      'h2',
      null,
      fill(group.groupPass ? s.groups.groupPassTitle : s.groups.title, { number: number(group.number) }),
    ),
    el(RosterFacts, {
      s,
      ...(roster ? { roster } : {}),
      ...(group.groupPass ? { leaderName: claims.n } : {}),
    }),
    el(Counts, { s, progress }),
    roster ? null : el('p', { class: 'warn', 'data-testid': 'group-no-roster' }, s.groups.noRoster),
    roster && !group.groupPass && !progress.member(claims.sub)
      ? el('p', { class: 'warn', 'data-testid': 'group-not-on-roster' }, s.groups.notOnRoster)
      : null,
    group.groupPass
      ? el('p', { class: 'group-pass-note', 'data-testid': 'group-pass-note' }, s.groups.groupPassNote)
      : null,
    startable
      ? el(
          'div',
          { class: 'line directions' },
          (['OUT', 'IN'] as const)
            .filter((direction) => mode?.group !== group.number || mode.direction !== direction)
            .map((direction) =>
              el(
                'button',
                {
                  type: 'button',
                  key: direction,
                  class: 'group-start',
                  'data-testid': `group-start-${direction}`,
                  onClick: () => onStart(direction),
                },
                direction === 'OUT' ? s.groups.startOut : s.groups.startIn,
              ),
            ),
        )
      : null,
    group.groupPass && roster ? el(RosterList, { s, progress, roster }) : null,
  );
}

/** The whole roster with where each member stands, drawn only when the officer opens it. */
function RosterList({ s, progress, roster }: { s: Strings; progress: GroupProgress; roster: Roster }) {
  const [open, setOpen] = useState(false);
  return el(
    'details',
    {
      class: 'roster',
      'data-testid': 'group-roster',
      onToggle: (e: Event) => setOpen((e.currentTarget as HTMLDetailsElement).open),
    },
    el('summary', null, format(s.groups.rosterOpen, { n: roster.members.length })),
    open
      ? el(
          'ol',
          { class: 'members' },
          roster.members.map((member) => {
            const state = progress.latestOf(member.pass)?.direction ?? 'NONE';
            return el(
              'li',
              { key: member.pass, class: 'member', 'data-pass': member.pass, 'data-state': state },
              el('span', { class: 'who' }, ltr(member.name)),
              ' ',
              number(member.pass, 'muted'),
              ' ',
              el('span', { class: `state state-${state}` }, s.groups.states[state]),
            );
          }),
        )
      : null,
  );
}

/**
 * Group mode at the top of the screen while it is on, whatever is scanned: which group and direction, how far it
 * has got, and the tap that ends it. Scans record without a tap in this mode, so it must never be out of sight.
 */
export function GroupModeBar({
  s,
  mode,
  progress,
  onEnd,
}: {
  s: Strings;
  mode: GroupMode;
  progress: GroupProgress | undefined;
  onEnd: () => void;
}) {
  const roster = progress?.roster;
  const waiting = progress?.waiting(mode.direction);
  const total = roster ? (progress?.total(mode.direction) ?? 0) : 0;
  const out = mode.direction === 'OUT';
  const done = (roster ? progress?.done(mode.direction) : out ? progress?.out : progress?.back) ?? 0;
  return el(
    'section',
    {
      class: 'group-mode-bar',
      'data-testid': 'group-mode',
      'data-group': mode.group,
      'data-direction': mode.direction,
      'data-done': done,
      'data-waiting': waiting && roster ? waiting.size : undefined,
    },
    el(
      'p',
      { class: 'group-mode-title' },
      fill(out ? s.groups.modeTitleOut : s.groups.modeTitleIn, { number: number(mode.group) }),
    ),
    el(
      'div',
      { class: 'group-mode-line' },
      // Its own box, so the count keeps its order beside the group number in Urdu.
      el(
        'span',
        { class: roster ? 'progress-count' : 'progress-count warn', 'data-testid': 'group-progress' },
        roster
          ? format(out ? s.groups.progressOut : s.groups.progressIn, { done, total })
          : format(s.groups.progressNoRoster, { done, direction: s.queue.directions[mode.direction] }),
      ),
      el('button', { type: 'button', 'data-testid': 'group-mode-end', onClick: onEnd }, s.groups.modeEnd),
    ),
    roster ? el('progress', { max: Math.max(total, 1), value: done }) : null,
  );
}

/** Under the verdict in group mode: the roster's members not yet scanned in the mode's direction. */
export function GroupWaiting({
  s,
  mode,
  progress,
}: {
  s: Strings;
  mode: GroupMode;
  progress: GroupProgress;
}) {
  const { roster } = progress;
  const waiting = progress.waiting(mode.direction);
  const shown = roster ? progress.firstWaiting(mode.direction, WAITING_SHOWN) : [];
  const out = mode.direction === 'OUT';
  return el(
    'section',
    { class: 'group-mode', 'data-testid': 'group-mode-waiting' },
    el(
      'h2',
      null,
      format(out ? s.groups.waitingOut : s.groups.waitingIn, { n: roster ? waiting.size : '?' }),
    ),
    el('p', { class: 'muted' }, s.groups.modeHelp),
    !roster
      ? el('p', { class: 'warn' }, s.groups.noRoster)
      : waiting.size === 0
        ? el('p', { class: 'all-done', 'data-testid': 'group-all-done' }, s.groups.allDone)
        : el(
            'ol',
            { class: 'members', 'data-testid': 'group-waiting' },
            shown.map((member) =>
              el(
                'li',
                { key: member.pass, class: 'member', 'data-pass': member.pass },
                el('span', { class: 'who' }, ltr(member.name)),
                ' ',
                number(member.pass, 'muted'),
              ),
            ),
          ),
    roster && waiting.size > shown.length
      ? el(
          'p',
          { class: 'muted', 'data-testid': 'group-waiting-more' },
          format(s.groups.more, { n: waiting.size - shown.length }),
        )
      : null,
  );
}
