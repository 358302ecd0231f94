// The post's status in one consistent view: the trust data's age and version, the login, the clock, and the last
// update, each line shown only while it is true, so no two lines on screen contradict each other.
import { type ComponentChildren, h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PublicJwk } from '../../../shared/keys.ts';
import type { TrustState } from '../../../shared/trust-state.ts';
import { format } from '../../shared/i18n.ts';
import { loginValid } from './auth.ts';
import { placeName } from './places.ts';
import type { SavedLogin, SavedRosters, SyncRecord } from './storage.ts';
import type { AppWarning, Strings } from './strings.ts';
import { ago, pktStamp, pktWhen } from './time.ts';
import { printedThumbprint } from './trust.ts';

const el = h;

/** A template filled with nodes: a Latin name or a time keeps its own direction inside an Urdu sentence. */
function fill(template: string, values: Record<string, ComponentChildren>): ComponentChildren[] {
  return template.split(/\{(\w+)\}/g).map((part, i) => (i % 2 === 1 ? (values[part] ?? part) : part));
}

export function syncMessage(record: SyncRecord, s: Strings, state: TrustState | undefined): string {
  switch (record.outcome) {
    case 'updated':
      return format(s.syncUpdated, { from: record.from ?? '—', to: record.to ?? '' });
    case 'current':
      return format(s.syncCurrent, { version: record.to ?? '' });
    case 'offline':
      return s.syncOffline;
    case 'login-needed':
      return s.syncLoginNeeded;
    case 'refused': {
      const reason = record.reason as keyof Strings['refusals'] | undefined;
      return format(s.syncRefused, {
        reason: reason && reason in s.refusals ? s.refusals[reason] : (record.reason ?? ''),
        version: state?.version ?? '—',
      });
    }
    case 'failed':
      return format(s.syncFailed, { detail: record.detail ?? '' });
  }
}

export interface PostStatus {
  warnings: AppWarning[];
  loginExpired: boolean;
  /** The last update's outcome, when it does not contradict what is true now. */
  sync: SyncRecord | undefined;
}

/**
 * What the status says now. The last update's outcome is dropped when something since has made it untrue: a
 * "log in again" once a new login is there; an "up to date" once the data has gone stale or run out (the
 * warnings say so, and what to do).
 */
export function postStatus(
  state: TrustState,
  login: SavedLogin,
  lastSync: SyncRecord | undefined,
  wentBack: boolean,
  nowMs: number,
): PostStatus {
  const warnings: AppWarning[] = [
    ...state.warnings(Math.floor(nowMs / 1000)),
    ...(wentBack ? (['CLOCK_WENT_BACK'] as const) : []),
  ];
  const loginExpired = !loginValid(login, nowMs);
  const stale = warnings.includes('BUNDLE_STALE') || warnings.includes('REVOCATION_UNKNOWN');
  let sync = lastSync;
  if (sync?.outcome === 'login-needed' && !loginExpired) sync = undefined;
  if ((sync?.outcome === 'current' || sync?.outcome === 'updated') && stale) sync = undefined;
  return { warnings, loginExpired, sync };
}

/** The top of the screen: the post, the trust data's age, and the warnings an officer must act on. */
export function StatusBar({
  s,
  state,
  login,
  status,
  nowMs,
  loginForm,
}: {
  s: Strings;
  state: TrustState;
  login: SavedLogin;
  status: PostStatus;
  nowMs: number;
  /** The form to log in again, shown under an expired login. */
  loginForm: ComponentChildren;
}) {
  return el(
    'section',
    { class: 'status', 'data-testid': 'status' },
    el(
      'p',
      { class: 'age', 'data-testid': 'trust-age' },
      el('strong', { dir: 'ltr' }, login.checkpoint),
      ` ${placeName(login.checkpoint, s.lang)} · `,
      el('bdi', { dir: 'ltr' }, login.sub),
      ' · ',
      format(s.trustAge, { age: ago(state.issuedAt * 1000, nowMs, s) }),
      ' · ',
      el(
        'span',
        { 'data-testid': 'trust-version', 'data-version': state.version },
        format(s.trustVersion, { version: state.version, revoked: state.revokedCount }),
      ),
    ),
    status.warnings.length > 0
      ? el(
          'ul',
          { class: 'warnings', 'data-testid': 'state-warnings' },
          status.warnings.map((w) => el('li', { 'data-warning': w, key: w }, s.warnings[w])),
        )
      : null,
    status.loginExpired
      ? el(
          'div',
          { class: 'login-expired', 'data-testid': 'login-expired' },
          el('p', null, s.loginExpired),
          el('details', null, el('summary', null, s.loginAgain), loginForm),
        )
      : null,
  );
}

/** Lower on the screen: the last update, the rosters, the login, and the ways to update the trust data. */
export function DeviceSection({
  s,
  state,
  login,
  status,
  rosters,
  rosterFailure,
  syncing,
  nowMs,
  onSync,
  fileInput,
  root,
}: {
  s: Strings;
  state: TrustState;
  login: SavedLogin;
  status: PostStatus;
  rosters: SavedRosters | undefined;
  rosterFailure: string | undefined;
  syncing: boolean;
  nowMs: number;
  onSync: () => void;
  fileInput: ComponentChildren;
  root: PublicJwk;
}) {
  const { sync } = status;
  return el(
    'section',
    { class: 'device' },
    el('h2', null, s.settings),
    sync
      ? el(
          'p',
          { class: `sync sync-${sync.outcome}`, 'data-testid': 'sync', 'data-outcome': sync.outcome },
          syncMessage(sync, s, state),
          el('span', { class: 'muted', dir: 'ltr' }, ` · ${pktWhen(sync.at, nowMs)}`),
        )
      : null,
    el(
      'p',
      {
        class: rosterFailure ? 'rosters sync-failed' : 'rosters muted',
        'data-testid': 'rosters',
        'data-groups': rosters?.groups.length,
        'data-as-of': rosters?.asOf,
      },
      rosters
        ? format(s.groups.rosters, { n: rosters.groups.length, age: ago(rosters.receivedAt, nowMs, s) })
        : s.groups.rostersNone,
      rosterFailure ? ` · ${format(s.groups.rostersFailed, { detail: rosterFailure })}` : '',
    ),
    status.loginExpired
      ? null
      : el(
          'p',
          { class: 'muted', 'data-testid': 'logged-in' },
          fill(s.loggedInUntil, {
            sub: el('bdi', { dir: 'ltr' }, login.sub),
            time: el('bdi', { dir: 'ltr' }, pktStamp(login.expiresAt * 1000)),
          }),
        ),
    el('p', { class: 'muted' }, format(s.serverTimeAtUpdate, { time: pktStamp(state.issuedAt * 1000) })),
    el(
      'button',
      { type: 'button', 'data-testid': 'sync-now', disabled: syncing, onClick: onSync },
      syncing ? s.syncing : s.syncNow,
    ),
    fileInput,
    el(RootThumbprint, { root, s }),
  );
}

function RootThumbprint({ root, s }: { root: PublicJwk; s: Strings }) {
  const [thumbprint, setThumbprint] = useState<string>('');
  useEffect(() => void printedThumbprint(root).then(setThumbprint), [root]);
  return el(
    'p',
    { class: 'muted' },
    `${s.rootPinned}: `,
    el('code', { dir: 'ltr', 'data-testid': 'thumbprint' }, thumbprint),
  );
}
