// The checkpoint app's screens: first setup (root, login, first bundle), then status, input and the verdict.
import { type ComponentChildren, h } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type VerificationResult, verifyCredential } from '../../../shared/credential.ts';
import type { Direction } from '../../../shared/domain/crossing.ts';
import { CHECKPOINT_CODES, checkpointName, isCheckpointCode } from '../../../shared/domain/reference.ts';
import type { PublicJwk } from '../../../shared/keys.ts';
import type { TrustState } from '../../../shared/trust-state.ts';
import { applyLang, format, type Lang, savedLang } from '../../shared/i18n.ts';
import { devLogin, finishCognitoLogin, loadLogin, loginValid, startCognitoLogin } from './auth.ts';
import { loadConfig, type RuntimeConfig } from './config.ts';
import { backoffMs, deviceId, pruneAnswered, queuedCount, type SyncResult } from './crossings.ts';
import {
  type GroupMode,
  GroupModeBar,
  GroupPanel,
  type GroupStep,
  GroupStepNote,
  GroupWaiting,
  groupOf,
  groupStep,
  useGroups,
} from './group-panels.ts';
import { type Capture, QueuePanel, type RecordChange, RecordPanel, recordableOf } from './record.ts';
import { CameraScanner, FrameReader, photoFrame } from './scanner.ts';
import {
  type CrossingSyncRecord,
  load,
  type SavedLogin,
  type SavedRosters,
  type SyncRecord,
  save,
} from './storage.ts';
import { STRINGS, type Strings } from './strings.ts';
import type { SyncReply, SyncRequest } from './sync-worker.ts';
import {
  applyBundle,
  clockWentBack,
  pinnedRoot,
  pinRoot,
  printedThumbprint,
  readRootJwk,
  restoreTrust,
  syncTrust,
} from './trust.ts';
import { type VerdictView, verdictView } from './verdict.ts';

/** The camera checks the same card again after this long (ms), so a verdict does not flicker while it is read. */
const SAME_CARD_MS = 3000;

/** How often the app tries to update its trust data while it has signal. */
const SYNC_EVERY_MS = 10 * 60 * 1000;

/** Crossings recorded in a quick run of scans go out together, this long after the last one. */
const SEND_AFTER_RECORD_MS = 1500;
/** How often crossings still waiting are tried, when no retry is already set. */
const SEND_EVERY_MS = 60 * 1000;

interface Device {
  config: RuntimeConfig | undefined;
  root: PublicJwk | undefined;
  state: TrustState | undefined;
  login: SavedLogin | undefined;
  lastSync: SyncRecord | undefined;
}

interface Shown {
  result: VerificationResult;
  /** The text that was checked: what a recorded crossing carries for the server to verify again. */
  input: string;
  wentBack: boolean;
  /** performance.now() when the frame or text was taken, for the scan-to-verdict measure. */
  startedAt: number;
  seq: number;
  /** What group mode did with this scan, when it was on. */
  step?: GroupStep;
}

const el = h;

function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

function ago(fromMs: number, nowMs: number, s: Strings): string {
  const minutes = Math.max(0, Math.floor((nowMs - fromMs) / 60_000));
  if (minutes < 1) return s.ago.justNow;
  if (minutes < 60) return format(s.ago.minutes, { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return format(s.ago.hours, { n: hours, m: minutes % 60 });
  return format(s.ago.days, { n: Math.floor(hours / 24), h: hours % 24 });
}

const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export function App() {
  const [lang, setLang] = useState<Lang>(savedLang());
  const [device, setDevice] = useState<Device | undefined>(undefined);
  const [fatal, setFatal] = useState<string | undefined>(undefined);
  const s = STRINGS[lang];

  useEffect(() => applyLang(lang), [lang]);

  useEffect(() => {
    (async () => {
      const config = await loadConfig();
      const root = await pinnedRoot();
      let login = await loadLogin();
      if (config) login = (await finishCognitoLogin(config).catch(() => undefined)) ?? login;
      const state = root ? await restoreTrust(root) : undefined;
      const lastSync = await load('lastSync');
      setDevice({ config, root, state, login, lastSync });
    })().catch((error: unknown) => setFatal(String(error)));
  }, []);

  const update = useCallback((change: Partial<Device>) => {
    setDevice((current) => (current ? { ...current, ...change } : current));
  }, []);

  const header = el(
    'header',
    { class: 'bar' },
    el('h1', null, s.appName),
    el(
      'button',
      {
        type: 'button',
        class: 'lang',
        lang: lang === 'en' ? 'ur' : 'en',
        'data-testid': 'lang',
        onClick: () => setLang(lang === 'en' ? 'ur' : 'en'),
      },
      s.langSwitch,
    ),
  );

  let body: ComponentChildren;
  if (fatal) body = el('p', { class: 'error', role: 'alert' }, fatal);
  else if (!device) body = el('p', { class: 'muted' }, s.loading);
  else if (!device.config && !device.state)
    body = el('p', { class: 'error', role: 'alert' }, 'config.json could not be loaded');
  else if (!device.root || !device.login || !device.state) body = el(Setup, { s, device, update });
  else
    body = el(Checkpoint, {
      s,
      device: { ...device, root: device.root, login: device.login, state: device.state },
      update,
    });

  return el('div', { class: 'app' }, header, el('main', null, body));
}

interface SetupProps {
  s: Strings;
  device: Device;
  update: (change: Partial<Device>) => void;
}

function Setup({ s, device, update }: SetupProps) {
  return el(
    'section',
    { class: 'setup', 'data-testid': 'setup' },
    el('h2', null, s.setupTitle),
    el(RootStep, { s, device, update }),
    device.root ? el(LoginStep, { s, device, update }) : null,
    device.root && device.login ? el(FirstTrustStep, { s, device, update }) : null,
  );
}

function RootStep({ s, device, update }: SetupProps) {
  const [candidate, setCandidate] = useState<{ jwk: PublicJwk; thumbprint: string } | undefined>();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [pinnedThumbprint, setPinnedThumbprint] = useState<string | undefined>();

  useEffect(() => {
    if (device.root) void printedThumbprint(device.root).then(setPinnedThumbprint);
  }, [device.root]);

  if (device.root)
    return el(
      'div',
      { class: 'step done' },
      el('h3', null, s.setupRootStep),
      el(
        'p',
        null,
        `${s.rootPinned}: `,
        el('code', { dir: 'ltr', 'data-testid': 'thumbprint' }, pinnedThumbprint),
      ),
    );

  const consider = async (jwkText: string) => {
    const read = await readRootJwk(jwkText);
    if (!read.ok) {
      setError(`${s.rootBad}: ${read.reason}`);
      setCandidate(undefined);
      return;
    }
    setError(undefined);
    setCandidate({ jwk: read.jwk, thumbprint: await printedThumbprint(read.jwk) });
  };
  const fetchRoot = async () => {
    const url = device.config?.rootJwkUrl;
    if (!url) return;
    try {
      const response = await fetch(new URL(url, document.baseURI), { cache: 'no-store' });
      await consider(await response.text());
    } catch (e) {
      setError(String(e));
    }
  };

  return el(
    'div',
    { class: 'step' },
    el('h3', null, s.setupRootStep),
    el('p', { class: 'muted' }, s.setupRootHelp),
    device.config?.rootJwkUrl
      ? el('button', { type: 'button', 'data-testid': 'root-fetch', onClick: fetchRoot }, s.rootFetch)
      : null,
    el('label', null, s.rootPaste),
    el('textarea', {
      dir: 'ltr',
      rows: 3,
      value: text,
      'data-testid': 'root-text',
      onInput: (e: Event) => setText((e.target as HTMLTextAreaElement).value),
    }),
    el('button', { type: 'button', onClick: () => consider(text) }, s.rootUse),
    el('label', null, s.rootFile),
    el('input', {
      type: 'file',
      accept: '.jwk,.json,application/json',
      onChange: async (e: Event) => {
        const file = (e.target as HTMLInputElement).files?.[0];
        if (file) await consider(await file.text());
      },
    }),
    error ? el('p', { class: 'error', role: 'alert' }, error) : null,
    candidate
      ? el(
          'div',
          { class: 'thumbprint' },
          el('p', null, s.rootThumbprint),
          el(
            'code',
            { dir: 'ltr', class: 'big', 'data-testid': 'candidate-thumbprint' },
            candidate.thumbprint,
          ),
          el('p', null, s.rootCompare),
          el(
            'button',
            {
              type: 'button',
              class: 'primary',
              'data-testid': 'root-confirm',
              onClick: async () => {
                await pinRoot(candidate.jwk);
                update({ root: candidate.jwk });
              },
            },
            s.rootConfirm,
          ),
          el('button', { type: 'button', onClick: () => setCandidate(undefined) }, s.rootCancel),
        )
      : null,
  );
}

function LoginForm({
  s,
  config,
  onLogin,
}: {
  s: Strings;
  config: RuntimeConfig | undefined;
  onLogin: (l: SavedLogin) => void;
}) {
  const [sub, setSub] = useState('');
  const [checkpoint, setCheckpoint] = useState<string>('TFT');
  const [error, setError] = useState<string | undefined>();
  if (!config) return el('p', { class: 'error' }, s.syncOffline);
  if (config.auth.kind === 'cognito')
    return el(
      'div',
      null,
      el(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-testid': 'login-cognito',
          onClick: () => void startCognitoLogin(config).catch((e: unknown) => setError(String(e))),
        },
        s.loginCognito,
      ),
      error ? el('p', { class: 'error', role: 'alert' }, `${s.loginFailed}: ${error}`) : null,
    );
  return el(
    'form',
    {
      class: 'login',
      onSubmit: async (e: Event) => {
        e.preventDefault();
        try {
          onLogin(await devLogin(config, sub.trim(), checkpoint));
          setError(undefined);
        } catch (err) {
          setError(err instanceof Error ? err.message : String(err));
        }
      },
    },
    el('label', null, s.loginOfficer),
    el('input', {
      name: 'officer',
      required: true,
      dir: 'ltr',
      value: sub,
      'data-testid': 'login-officer',
      onInput: (e: Event) => setSub((e.target as HTMLInputElement).value),
    }),
    el('label', null, s.loginCheckpoint),
    el(
      'select',
      {
        name: 'checkpoint',
        value: checkpoint,
        'data-testid': 'login-checkpoint',
        onChange: (e: Event) => setCheckpoint((e.target as HTMLSelectElement).value),
      },
      CHECKPOINT_CODES.map((code) => el('option', { value: code }, `${code} — ${checkpointName(code)}`)),
    ),
    el('button', { type: 'submit', class: 'primary', 'data-testid': 'login-submit' }, s.loginButton),
    error ? el('p', { class: 'error', role: 'alert' }, `${s.loginFailed}: ${error}`) : null,
  );
}

function LoginStep({ s, device, update }: SetupProps) {
  if (device.login)
    return el(
      'div',
      { class: 'step done' },
      el('h3', null, s.setupLoginStep),
      el('p', null, `${device.login.sub} · ${device.login.checkpoint}`),
    );
  return el(
    'div',
    { class: 'step' },
    el('h3', null, s.setupLoginStep),
    el(LoginForm, { s, config: device.config, onLogin: (login) => update({ login }) }),
  );
}

function BundleFileInput({
  label,
  testId,
  onToken,
}: {
  label: string;
  testId: string;
  onToken: (token: string) => void;
}) {
  return el(
    'label',
    { class: 'file' },
    label,
    el('input', {
      type: 'file',
      accept: '.jwt,.txt,application/jwt',
      'data-testid': testId,
      onChange: async (e: Event) => {
        const input = e.target as HTMLInputElement;
        const file = input.files?.[0];
        if (file) onToken(await file.text());
        input.value = '';
      },
    }),
  );
}

function FirstTrustStep({ s, device, update }: SetupProps) {
  const [message, setMessage] = useState<string | undefined>();
  const root = device.root as PublicJwk;
  const finish = async (record: SyncRecord, state: TrustState | undefined) => {
    await save('lastSync', record);
    if (state) update({ state, lastSync: record });
    else setMessage(syncMessage(record, s, undefined));
  };
  return el(
    'div',
    { class: 'step' },
    el('h3', null, s.setupTrustStep),
    el('p', { class: 'muted' }, s.setupTrustHelp),
    el(
      'button',
      {
        type: 'button',
        class: 'primary',
        'data-testid': 'trust-fetch',
        onClick: async () => {
          if (!device.config || !device.login) return;
          const result = await syncTrust(device.config, device.login, undefined, root, Date.now());
          await finish(result.record, result.state);
        },
      },
      s.trustFetch,
    ),
    el(BundleFileInput, {
      label: s.trustFile,
      testId: 'trust-file-first',
      onToken: async (token) => {
        const now = Date.now();
        const outcome = await applyBundle(token, undefined, root, now);
        if (outcome.kind === 'refused')
          await finish(
            { at: now, outcome: 'refused', reason: outcome.reason, detail: outcome.detail },
            undefined,
          );
        else await finish({ at: now, outcome: 'updated', to: outcome.to }, outcome.state);
      },
    }),
    message ? el('p', { class: 'error', role: 'alert' }, message) : null,
  );
}

function syncMessage(record: SyncRecord, s: Strings, state: TrustState | undefined): string {
  switch (record.outcome) {
    case 'updated':
      return format(s.syncUpdated, { from: record.from ?? '—', to: record.to ?? '' });
    case 'current':
      return format(s.syncCurrent, { version: record.to ?? '' });
    case 'offline':
      return s.syncOffline;
    case 'login-needed':
      return s.loginExpired;
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

interface CheckpointProps {
  s: Strings;
  device: Device & { root: PublicJwk; login: SavedLogin; state: TrustState };
  update: (change: Partial<Device>) => void;
}

function Checkpoint({ s, device, update }: CheckpointProps) {
  const now = useNow(30_000);
  const [syncing, setSyncing] = useState(false);
  const [shown, setShown] = useState<Shown | undefined>();
  // Numbered, so the same message twice in a row (two unreadable photos) still shows as a new one.
  const [inputError, setInputErrorState] = useState<{ message: string; seq: number } | undefined>();
  const errorSeq = useRef(0);
  const setInputError = useCallback((message: string | undefined) => {
    errorSeq.current += 1;
    setInputErrorState(message === undefined ? undefined : { message, seq: errorSeq.current });
  }, []);
  const [wentBackNow, setWentBackNow] = useState(false);
  const seq = useRef(0);
  const { state, login, root, config, lastSync } = device;
  const stateRef = useRef(state);
  stateRef.current = state;
  const groups = useGroups();
  const [mode, setModeState] = useState<GroupMode | undefined>();
  // Read by scans as they come in, so a scan right after the tap that starts the mode is already in it.
  const modeRef = useRef<GroupMode | undefined>(undefined);
  const setMode = (next: GroupMode | undefined) => {
    modeRef.current = next;
    setModeState(next);
  };

  useEffect(() => {
    void clockWentBack(Date.now()).then(setWentBackNow);
  }, [now]);

  const inFlight = useRef(false);
  const sync = useCallback(async () => {
    // One update at a time: the 'online' event, the timer and the button may all fire together.
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      await syncOnce();
    } finally {
      inFlight.current = false;
    }
  }, [config, login, root, update, groups.sync]);
  const syncOnce = async () => {
    const at = Date.now();
    let record: SyncRecord;
    let next: TrustState | undefined;
    if (!config) record = { at, outcome: 'offline' };
    else if (!loginValid(login, at)) record = { at, outcome: 'login-needed' };
    else {
      setSyncing(true);
      const result = await syncTrust(config, login, stateRef.current, root, at);
      // The group rosters come with every trust update, so a post offline for weeks has the latest it could get.
      await groups.sync(config, login, at);
      setSyncing(false);
      record = result.record;
      next = result.state;
    }
    await save('lastSync', record);
    update({ lastSync: record, ...(next ? { state: next } : {}) });
  };

  // Whenever there is signal: at start, when the connection comes back, and every few minutes.
  useEffect(() => {
    if (navigator.onLine) void sync();
    const onOnline = () => void sync();
    window.addEventListener('online', onOnline);
    const timer = setInterval(() => navigator.onLine && void sync(), SYNC_EVERY_MS);
    return () => {
      window.removeEventListener('online', onOnline);
      clearInterval(timer);
    };
  }, [sync]);

  const queue = useCrossingQueue(config, login);

  const { recorded: queueRecorded } = queue;
  const { changed: groupChanged } = groups;
  const onRecordChange = useCallback(
    (change: RecordChange | undefined) => {
      queueRecorded();
      if (change) groupChanged(change);
    },
    [queueRecorded, groupChanged],
  );

  // Group mode's steps run one after another, so a pass scanned twice in quick succession is recorded once.
  const steps = useRef<Promise<unknown>>(Promise.resolve());
  const stepFor = useCallback(
    (result: VerificationResult, input: string, current: GroupMode): Promise<GroupStep | undefined> => {
      const run = async () => {
        const progress = groups.progressOf(current.group);
        if (!progress || !queue.device) return undefined;
        const post = { checkpoint: login.checkpoint, officer: login.sub, device: queue.device };
        const step = await groupStep(result, input, current, progress, post);
        if (step.kind === 'recorded') onRecordChange({ recorded: step.local });
        return step;
      };
      const next = steps.current.then(run);
      steps.current = next.catch(() => {});
      return next;
    },
    [login.checkpoint, login.sub, queue.device, groups.progressOf, onRecordChange],
  );

  const check = useCallback(
    async (input: string, startedAt: number) => {
      const at = new Date();
      const wentBack = await clockWentBack(at.getTime());
      const checkpoint = isCheckpointCode(login.checkpoint) ? login.checkpoint : undefined;
      const result = await verifyCredential(input, stateRef.current, {
        now: at,
        ...(checkpoint ? { checkpoint } : {}),
      });
      // A group's crossings on this device are read once, at its first scan; later scans only look members up.
      const group = groupOf(result);
      if (group) await groups.open(group.number);
      const current = modeRef.current;
      const step = current ? await stepFor(result, input, current) : undefined;
      setWentBackNow(wentBack);
      setInputError(undefined);
      seq.current += 1;
      setShown({ result, wentBack, startedAt, seq: seq.current, input, ...(step ? { step } : {}) });
    },
    [login.checkpoint, setInputError, stepFor, groups.open],
  );

  /** Group mode starts from a member's verdict, and that member, standing at the desk, is its first record. */
  const startMode = async (direction: Direction) => {
    const group = shown && groupOf(shown.result);
    if (!shown || !group) return;
    const next = { group: group.number, direction };
    setMode(next);
    // A keyboard-wedge scanner types into the focused element: back to the text field, off the button just tapped.
    if (matchMedia('(pointer: fine)').matches) document.getElementById('qr-text')?.focus();
    const step = await stepFor(shown.result, shown.input, next);
    if (step) setShown((now) => (now?.seq === shown.seq ? { ...now, step } : now));
  };

  // While a boat's crew is being taken, scans go to the crew list and the boat's verdict stays on screen.
  const capture = useRef<Capture | undefined>(undefined);
  const setCapture = useCallback((next: Capture | undefined) => {
    capture.current = next;
  }, []);
  const checkOrCapture = useCallback(
    async (input: string, startedAt: number) => {
      if (capture.current) {
        setInputError(undefined);
        await capture.current(input);
        return;
      }
      await check(input, startedAt);
    },
    [check, setInputError],
  );
  const verifyCrew = useCallback(
    (text: string) => verifyCredential(text, stateRef.current, { now: new Date() }),
    [],
  );

  // The measure ends once the verdict is on screen: Preact runs effects after the browser has painted.
  useEffect(() => {
    if (shown)
      performance.measure('rahdari:scan-to-verdict', { start: shown.startedAt, end: performance.now() });
  }, [shown]);

  const loginExpired = !loginValid(login, now);
  const stateWarnings = [
    ...state.warnings(Math.floor(now / 1000)),
    ...(wentBackNow ? (['CLOCK_WENT_BACK'] as const) : []),
  ];
  const view = shown ? verdictView(shown.result, shown.wentBack, s) : undefined;
  const shownGroup = shown ? groupOf(shown.result) : undefined;
  const shownProgress = shownGroup ? groups.progressOf(shownGroup.number) : undefined;
  // In the group's own mode the mode's panel says it all, but for the leader's group pass.
  const inMode = mode !== undefined && mode.group === shownGroup?.number;
  const modeProgress = mode ? groups.progressOf(mode.group) : undefined;

  return el(
    'div',
    { class: 'checkpoint' },
    mode ? el(GroupModeBar, { s, mode, progress: modeProgress, onEnd: () => setMode(undefined) }) : null,
    el(
      'section',
      { class: 'status', 'data-testid': 'status' },
      el(
        'p',
        { class: 'post' },
        `${s.checkpoint}: `,
        el('strong', { dir: 'ltr' }, login.checkpoint),
        isCheckpointCode(login.checkpoint) ? ` — ${checkpointName(login.checkpoint)}` : '',
      ),
      el(
        'p',
        { class: 'age', 'data-testid': 'trust-age' },
        format(s.trustAge, { age: ago(state.issuedAt * 1000, now, s) }),
        ' · ',
        el(
          'span',
          { 'data-testid': 'trust-version', 'data-version': state.version },
          format(s.trustVersion, { version: state.version, revoked: state.revokedCount }),
        ),
      ),
      el(
        'p',
        { class: 'muted' },
        format(s.serverTimeAtUpdate, { time: `${stamp(state.issuedAt * 1000)} UTC` }),
      ),
      stateWarnings.length > 0
        ? el(
            'ul',
            { class: 'warnings', 'data-testid': 'state-warnings' },
            stateWarnings.map((w) => el('li', { 'data-warning': w, key: w }, s.warnings[w])),
          )
        : null,
      lastSync
        ? el(
            'p',
            {
              class: `sync sync-${lastSync.outcome}`,
              'data-testid': 'sync',
              'data-outcome': lastSync.outcome,
            },
            syncMessage(lastSync, s, state),
          )
        : null,
      el(RostersLine, { s, rosters: groups.rosters, failure: groups.failure, now }),
      loginExpired
        ? el(
            'div',
            { class: 'login-expired', 'data-testid': 'login-expired' },
            el('p', null, s.loginExpired),
            el(
              'details',
              null,
              el('summary', null, s.loginAgain),
              el(LoginForm, { s, config, onLogin: (l) => update({ login: l }) }),
            ),
          )
        : el(
            'p',
            { class: 'muted' },
            format(s.loggedInUntil, { sub: login.sub, time: stamp(login.expiresAt * 1000) }),
          ),
      el(
        'button',
        { type: 'button', 'data-testid': 'sync-now', disabled: syncing, onClick: () => void sync() },
        syncing ? s.syncing : s.syncNow,
      ),
    ),
    view && shown ? el(VerdictPanel, { view, s, seq: shown.seq }) : null,
    shown && shownGroup && shownProgress && !(inMode && !shownGroup.groupPass)
      ? el(GroupPanel, { s, result: shown.result, progress: shownProgress, mode, onStart: startMode })
      : null,
    shown
      ? el(RecordFor, {
          s,
          shown,
          login,
          device: queue.device,
          verify: verifyCrew,
          setCapture,
          onChange: onRecordChange,
        })
      : null,
    mode && modeProgress ? el(GroupWaiting, { s, mode, progress: modeProgress }) : null,
    el(Inputs, { s, onText: checkOrCapture, onError: setInputError }),
    inputError
      ? el(
          'p',
          { class: 'error', role: 'alert', 'data-testid': 'input-error', 'data-seq': inputError.seq },
          inputError.message,
        )
      : null,
    el(QueuePanel, {
      s,
      version: queue.version,
      waiting: queue.waiting,
      sending: queue.sending,
      last: queue.last,
      retryInS:
        queue.retryAt === undefined ? undefined : Math.max(0, Math.round((queue.retryAt - now) / 1000)),
      onSend: queue.sendNow,
    }),
    el(
      'section',
      { class: 'device' },
      el('h2', null, s.settings),
      el(BundleFileInput, {
        label: s.updateFromFile,
        testId: 'trust-file',
        onToken: async (token) => {
          const at = Date.now();
          const outcome = await applyBundle(token, stateRef.current, root, at);
          const record: SyncRecord =
            outcome.kind === 'refused'
              ? { at, outcome: 'refused', reason: outcome.reason, detail: outcome.detail }
              : {
                  at,
                  outcome: outcome.to === outcome.from ? 'current' : 'updated',
                  ...(outcome.from !== undefined ? { from: outcome.from } : {}),
                  to: outcome.to,
                };
          await save('lastSync', record);
          update({ lastSync: record, ...(outcome.kind === 'updated' ? { state: outcome.state } : {}) });
        },
      }),
      el(RootThumbprint, { root, s }),
    ),
  );
}

function RecordFor({
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
  const item = recordableOf(shown.result, shown.input);
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
  });
  return step ? el('div', null, el(GroupStepNote, { s, step }), panel) : panel;
}

function RostersLine({
  s,
  rosters,
  failure,
  now,
}: {
  s: Strings;
  rosters: SavedRosters | undefined;
  failure: string | undefined;
  now: number;
}) {
  return el(
    'p',
    {
      class: failure ? 'rosters sync-failed' : 'rosters muted',
      'data-testid': 'rosters',
      'data-groups': rosters?.groups.length,
      'data-as-of': rosters?.asOf,
    },
    rosters
      ? format(s.groups.rosters, { n: rosters.groups.length, age: ago(rosters.receivedAt, now, s) })
      : s.groups.rostersNone,
    failure ? ` · ${format(s.groups.rostersFailed, { detail: failure })}` : '',
  );
}

let syncWorker: Worker | undefined;

/** One send of the queue on the sync worker; undefined when another tab was already sending it. */
function syncInWorker(
  config: RuntimeConfig,
  login: SavedLogin,
  onProgress: (waiting: number) => void,
): Promise<SyncResult | undefined> {
  syncWorker ??= new Worker(new URL('./sync-worker.ts', import.meta.url), { type: 'module' });
  const worker = syncWorker;
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<SyncReply>) => {
      const message = event.data;
      if (message.kind === 'progress') onProgress(message.waiting);
      else if (message.kind === 'done') resolve(message.result ?? undefined);
      else reject(new Error(message.error));
    };
    worker.onerror = (event) => reject(new Error(event.message || 'the sync worker failed'));
    worker.postMessage({ config, login } satisfies SyncRequest);
  });
}

/**
 * The crossing queue's state on screen and the sending of it: after a run of records, when the network comes back,
 * every minute while records wait, and on the button; one send at a time across the app's tabs. A failed send is
 * tried again after an exponential backoff with jitter, so posts coming back online do not all call at once.
 */
function useCrossingQueue(config: RuntimeConfig | undefined, login: SavedLogin) {
  const [waiting, setWaiting] = useState<number | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const [sending, setSending] = useState(false);
  const [last, setLast] = useState<CrossingSyncRecord | undefined>();
  const [retryAt, setRetryAt] = useState<number | undefined>();
  const [device, setDevice] = useState<string | undefined>();
  const loginRef = useRef(login);
  loginRef.current = login;
  const busy = useRef(false);
  const attempts = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const sendRef = useRef<() => Promise<void>>(async () => {});

  const refresh = useCallback(async () => {
    setWaiting(await queuedCount());
    setVersion((v) => v + 1);
  }, []);

  const later = (ms: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = undefined;
      void sendRef.current();
    }, ms);
  };

  sendRef.current = async () => {
    if (busy.current || !config) return;
    const current = loginRef.current;
    if ((await queuedCount()) === 0) return;
    if (!loginValid(current, Date.now())) {
      const record: CrossingSyncRecord = { at: Date.now(), outcome: 'login-needed' };
      await save('lastCrossingSync', record);
      setLast(record);
      return;
    }
    busy.current = true;
    clearTimeout(timer.current);
    timer.current = undefined;
    setRetryAt(undefined);
    setSending(true);
    try {
      const result = await syncInWorker(config, current, (n) => {
        setWaiting(n);
        setVersion((v) => v + 1);
      }).catch(
        (error: unknown): SyncResult => ({
          // An IndexedDB or worker failure: the records stay queued and are tried again like a network failure.
          record: {
            at: Date.now(),
            outcome: 'failed',
            detail: error instanceof Error ? error.message : String(error),
          },
          retry: true,
        }),
      );
      // Another tab of the app is sending the same queue.
      if (!result) return;
      await save('lastCrossingSync', result.record);
      setLast(result.record);
      if (result.retry) {
        const wait =
          result.retryAfterS !== undefined ? result.retryAfterS * 1000 : backoffMs(attempts.current);
        attempts.current += 1;
        setRetryAt(Date.now() + wait);
        later(wait);
      } else attempts.current = 0;
    } finally {
      busy.current = false;
      setSending(false);
      await refresh();
    }
  };

  useEffect(() => {
    void (async () => {
      setDevice(await deviceId());
      setLast(await load('lastCrossingSync'));
      await pruneAnswered();
      await refresh();
      if (navigator.onLine) void sendRef.current();
    })();
    const onOnline = () => {
      attempts.current = 0;
      void sendRef.current();
    };
    window.addEventListener('online', onOnline);
    const every = setInterval(() => {
      if (timer.current === undefined) void sendRef.current();
    }, SEND_EVERY_MS);
    return () => {
      window.removeEventListener('online', onOnline);
      clearInterval(every);
      clearTimeout(timer.current);
    };
  }, [refresh]);

  // A new login (the old one had run out) sends what waited for it.
  useEffect(() => {
    if (loginValid(login, Date.now())) void sendRef.current();
  }, [login.token]);

  const recorded = useCallback(() => {
    void refresh();
    if (navigator.onLine && !busy.current) later(SEND_AFTER_RECORD_MS);
  }, [refresh]);

  return {
    waiting,
    version,
    sending,
    last,
    retryAt,
    device,
    recorded,
    sendNow: () => {
      attempts.current = 0;
      // The count is read afresh first: another tab of the app may have recorded or sent since.
      void refresh().then(() => sendRef.current());
    },
  };
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

function VerdictPanel({ view, s, seq }: { view: VerdictView; s: Strings; seq: number }) {
  return el(
    'section',
    {
      class: `verdict tone-${view.tone}`,
      'data-testid': 'verdict',
      'data-verdict': view.verdict,
      'data-tone': view.tone,
      'data-seq': seq,
      role: 'status',
    },
    el('p', { class: 'headline' }, view.headline),
    el('p', { class: 'detail', dir: 'ltr' }, view.detail),
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

function Inputs({
  s,
  onText,
  onError,
}: {
  s: Strings;
  onText: (text: string, startedAt: number) => Promise<void>;
  onError: (message: string | undefined) => void;
}) {
  const [text, setText] = useState('');
  const [cameraOn, setCameraOn] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const textField = useRef<HTMLInputElement>(null);
  const reader = useRef<FrameReader | undefined>(undefined);
  const camera = useRef<CameraScanner | undefined>(undefined);
  const lastRead = useRef<{ text: string; at: number } | undefined>(undefined);
  const frameReader = () => {
    reader.current ??= new FrameReader();
    return reader.current;
  };

  useEffect(() => () => camera.current?.stop(), []);
  // A keyboard-wedge scanner types into whatever has focus: keep it on the text field where a keyboard is the
  // main input (a laptop), not on phones, where focus would pop up the on-screen keyboard.
  useEffect(() => {
    if (matchMedia('(pointer: fine)').matches) textField.current?.focus();
  }, []);

  const toggleCamera = async () => {
    if (camera.current?.running) {
      camera.current.stop();
      setCameraOn(false);
      return;
    }
    const scanner = new CameraScanner(
      frameReader(),
      (found, grabbedAt) => {
        // A card held in front of the camera is read many times a second: the same card is checked again only
        // after a few seconds, so the verdict stays still while the officer reads it; another card at once.
        const last = lastRead.current;
        lastRead.current = { text: found, at: grabbedAt };
        if (last?.text === found && grabbedAt - last.at < SAME_CARD_MS) {
          lastRead.current = last;
          return;
        }
        void onText(found, grabbedAt);
      },
      (error) => onError(format(s.decoderFailed, { detail: error.message })),
    );
    camera.current = scanner;
    try {
      setCameraOn(true);
      await scanner.start(video.current as HTMLVideoElement);
    } catch (error) {
      setCameraOn(false);
      onError(format(s.cameraFailed, { detail: error instanceof Error ? error.message : String(error) }));
    }
  };

  return el(
    'section',
    { class: 'inputs' },
    el('h2', null, s.scanTitle),
    el(
      'form',
      {
        class: 'text-input',
        onSubmit: (e: Event) => {
          e.preventDefault();
          const value = text;
          setText('');
          if (value.trim() !== '') void onText(value, performance.now());
        },
      },
      el('label', { for: 'qr-text' }, s.textLabel),
      el(
        'div',
        { class: 'line' },
        el('input', {
          id: 'qr-text',
          ref: textField,
          dir: 'ltr',
          autocomplete: 'off',
          spellcheck: false,
          placeholder: s.textPlaceholder,
          value: text,
          'data-testid': 'qr-text',
          onInput: (e: Event) => setText((e.target as HTMLInputElement).value),
        }),
        el('button', { type: 'submit', 'data-testid': 'qr-text-submit' }, s.check),
      ),
    ),
    el(
      'div',
      { class: 'line' },
      el(
        'button',
        { type: 'button', class: 'primary', 'data-testid': 'camera', onClick: toggleCamera },
        cameraOn ? s.cameraStop : s.cameraStart,
      ),
      el(
        'label',
        { class: 'file button' },
        s.photo,
        el('input', {
          type: 'file',
          accept: 'image/*',
          'data-testid': 'photo',
          onChange: async (e: Event) => {
            const input = e.target as HTMLInputElement;
            const file = input.files?.[0];
            input.value = '';
            if (!file) return;
            try {
              const frame = await photoFrame(file);
              const startedAt = performance.now();
              const texts = await frameReader().read(frame);
              const found = texts[0];
              if (found === undefined) onError(s.noQrFound);
              else await onText(found, startedAt);
            } catch (error) {
              onError(
                format(s.decoderFailed, { detail: error instanceof Error ? error.message : String(error) }),
              );
            }
          },
        }),
      ),
    ),
    el('video', {
      ref: video,
      class: cameraOn ? 'camera on' : 'camera',
      muted: true,
      playsInline: true,
      'data-testid': 'video',
    }),
  );
}
