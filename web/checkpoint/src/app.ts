// The checkpoint app: first setup, then one screen for one person at a time, scan, verdict and record, with the
// post's status, its queue and its lists below. Each part lives in its own module; this one puts them together.
import { type ComponentChildren, h } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type VerificationResult, verifyCredential } from '../../../shared/credential.ts';
import type { Direction } from '../../../shared/domain/crossing.ts';
import { isCheckpointCode } from '../../../shared/domain/reference.ts';
import type { PublicJwk } from '../../../shared/keys.ts';
import type { TrustState } from '../../../shared/trust-state.ts';
import { applyLang, type Lang, savedLang } from '../../shared/i18n.ts';
import { finishCognitoLogin, loadLogin } from './auth.ts';
import { loadConfig } from './config.ts';
import { signalVerdict, useMute } from './feedback.ts';
import {
  type GroupMode,
  GroupModeBar,
  GroupPanel,
  type GroupStep,
  GroupWaiting,
  groupOf,
  groupStep,
  useGroups,
} from './group-panels.ts';
import { ListsPanel } from './lists-panel.ts';
import { QueuePanel } from './queue-panel.ts';
import { useCrossingQueue } from './queue-sync.ts';
import { knownOf } from './recent.ts';
import { type Capture, type RecordChange, recordableOf } from './record.ts';
import { RecordFor, type Shown } from './record-for.ts';
import { failureText, focusScan, type ReadFailure, ScanInput, useScannerFocus } from './scan-input.ts';
import { BundleFileInput, type Device, LoginForm, Setup } from './setup.ts';
import { countCheck } from './shift-counts.ts';
import { DeviceSection, postStatus, StatusBar } from './status.ts';
import { load, remove, type SavedLogin, save } from './storage.ts';
import { STRINGS, type Strings } from './strings.ts';
import { clockWentBack, pinnedRoot, restoreTrust } from './trust.ts';
import { useTrustSync } from './trust-sync.ts';
import { verdictView } from './verdict.ts';
import { ReadFailed, signalOf, VerdictPanel } from './verdict-panel.ts';

const el = h;

/** The verdict block shows the current person's verdict, or that the last read failed; never an older person's. */
type Screen = { kind: 'verdict'; shown: Shown } | { kind: 'failed'; failure: ReadFailure; seq: number };

function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

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

interface CheckpointProps {
  s: Strings;
  device: Device & { root: PublicJwk; login: SavedLogin; state: TrustState };
  update: (change: Partial<Device>) => void;
}

function Checkpoint({ s, device, update }: CheckpointProps) {
  const now = useNow(30_000);
  const [screen, setScreen] = useState<Screen | undefined>();
  const [captureError, setCaptureError] = useState<ReadFailure | undefined>();
  const seq = useRef(0);
  const { state, login, root, config, lastSync } = device;
  const groups = useGroups();
  const trust = useTrustSync({ config, login, root, state, nowMs: now, update, syncRosters: groups.sync });
  const queue = useCrossingQueue(config, login);
  const [muted, toggleMute] = useMute();
  const [mode, setModeState] = useState<GroupMode | undefined>();
  // Read by scans as they come in, so a scan right after the tap that starts the mode is already in it.
  const modeRef = useRef<GroupMode | undefined>(undefined);
  const setMode = useCallback((next: GroupMode | undefined) => {
    modeRef.current = next;
    setModeState(next);
    // Kept on the device: a reload or a restarted phone goes on with the same group.
    void (next ? save('groupMode', next) : remove('groupMode'));
  }, []);
  useScannerFocus();

  // Group mode as it was left, with its group opened before the first scan comes.
  useEffect(() => {
    void (async () => {
      const saved = await load('groupMode');
      if (!saved || modeRef.current) return;
      await groups.open(saved.group);
      modeRef.current ??= saved;
      setModeState(modeRef.current);
    })();
  }, [groups.open]);

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
    (result: VerificationResult, input: string, current: GroupMode, version: number) => {
      const run = async (): Promise<GroupStep | undefined> => {
        const progress = groups.progressOf(current.group);
        if (!progress || !queue.device) return undefined;
        const post = { checkpoint: login.checkpoint, officer: login.sub, device: queue.device };
        const step = await groupStep(result, input, current, progress, post, version);
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
      const judgedWith = trust.stateRef.current;
      const checkpoint = isCheckpointCode(login.checkpoint) ? login.checkpoint : undefined;
      const result = await verifyCredential(input, judgedWith, {
        now: at,
        ...(checkpoint ? { checkpoint } : {}),
      });
      // A group's crossings on this device are read once, at its first scan; later scans only look members up.
      const group = groupOf(result);
      const progress = group ? await groups.open(group.number) : undefined;
      const item = recordableOf(result, input, judgedWith.version);
      const known = item
        ? await knownOf(item.number, at.getTime(), progress?.member(item.number)?.latest)
        : undefined;
      const current = modeRef.current;
      const step = current ? await stepFor(result, input, current, judgedWith.version) : undefined;
      setCaptureError(undefined);
      seq.current += 1;
      const shown: Shown = {
        result,
        wentBack,
        startedAt,
        seq: seq.current,
        input,
        trustVersion: judgedWith.version,
        ...(step ? { step } : {}),
        ...(known ? { known } : {}),
      };
      setScreen({ kind: 'verdict', shown });
      signalVerdict(signalOf(verdictView(result, wentBack, STRINGS.en), known));
      void countCheck(login.sub, at.getTime());
    },
    [login.checkpoint, login.sub, stepFor, groups.open, trust.stateRef],
  );

  /** Group mode starts from a member's verdict, and that member, standing at the desk, is its first record. */
  const startMode = async (direction: Direction) => {
    const shown = screen?.kind === 'verdict' ? screen.shown : undefined;
    const group = shown && groupOf(shown.result);
    if (!shown || !group) return;
    const next = { group: group.number, direction };
    setMode(next);
    focusScan();
    const step = await stepFor(shown.result, shown.input, next, shown.trustVersion);
    if (step)
      setScreen((now) =>
        now?.kind === 'verdict' && now.shown.seq === shown.seq
          ? { ...now, shown: { ...now.shown, step } }
          : now,
      );
  };

  // While a boat's crew is being taken, scans go to the crew list and the boat's verdict stays on screen.
  const capture = useRef<Capture | undefined>(undefined);
  const setCapture = useCallback((next: Capture | undefined) => {
    capture.current = next;
  }, []);
  const checkOrCapture = useCallback(
    async (input: string, startedAt: number) => {
      if (capture.current) {
        setCaptureError(undefined);
        await capture.current(input);
        return;
      }
      await check(input, startedAt);
    },
    [check],
  );
  const readFailed = useCallback((failure: ReadFailure) => {
    if (capture.current) return setCaptureError(failure);
    seq.current += 1;
    setScreen({ kind: 'failed', failure, seq: seq.current });
    signalVerdict('warn');
  }, []);
  const verifyCrew = useCallback(
    (text: string) => verifyCredential(text, trust.stateRef.current, { now: new Date() }),
    [trust.stateRef],
  );

  const screenSeq = screen?.kind === 'verdict' ? screen.shown.seq : screen?.seq;
  // The measure ends once the verdict is on screen: Preact runs effects after the browser has painted.
  useEffect(() => {
    if (screen?.kind === 'verdict')
      performance.measure('rahdari:scan-to-verdict', {
        start: screen.shown.startedAt,
        end: performance.now(),
      });
    if (screen) bringIntoView();
  }, [screenSeq]);

  const status = postStatus(state, login, lastSync, trust.wentBack, now);
  const shown = screen?.kind === 'verdict' ? screen.shown : undefined;
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
    el(StatusBar, {
      s,
      state,
      login,
      status,
      nowMs: now,
      loginForm: el(LoginForm, { s, config, idPrefix: 'relogin', onLogin: (l) => update({ login: l }) }),
    }),
    el(ScanInput, { s, onText: checkOrCapture, onReadFailed: readFailed, muted, onMute: toggleMute }),
    captureError
      ? el(
          'p',
          { class: 'error', role: 'alert', 'data-testid': 'capture-error' },
          failureText(captureError, s),
        )
      : null,
    screen?.kind === 'failed'
      ? el(ReadFailed, { s, message: failureText(screen.failure, s), seq: screen.seq })
      : null,
    view && shown ? el(VerdictPanel, { view, s, seq: shown.seq, known: shown.known, nowMs: now }) : null,
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
    el(QueuePanel, {
      s,
      version: queue.version,
      waiting: queue.waiting,
      sending: queue.sending,
      last: queue.last,
      retryInS:
        queue.retryAt === undefined ? undefined : Math.max(0, Math.round((queue.retryAt - now) / 1000)),
      onSend: queue.sendNow,
      nowMs: now,
    }),
    el(ListsPanel, { s, version: queue.version, rosters: groups.rosters, nowMs: now }),
    el(DeviceSection, {
      s,
      state,
      login,
      status,
      rosters: groups.rosters,
      rosterFailure: groups.failure,
      syncing: trust.syncing,
      nowMs: now,
      onSync: () => void trust.sync(),
      fileInput: el(BundleFileInput, {
        label: s.updateFromFile,
        testId: 'trust-file',
        onToken: trust.fromFile,
      }),
      root,
    }),
  );
}

/**
 * Puts the live preview (when the camera is on) and the verdict in sight together, under group mode's bar, when
 * either is out of sight: a verdict is never above the screen, nor a phone's length below the camera.
 */
function bringIntoView(): void {
  const verdict = document.getElementById('verdict');
  if (!verdict) return;
  const preview = document.querySelector<HTMLElement>('video.camera.on');
  const top = (preview ?? verdict).getBoundingClientRect().top;
  const under = document.querySelector('.group-mode-bar')?.getBoundingClientRect().bottom ?? 0;
  const headline = verdict.querySelector('.headline')?.getBoundingClientRect().bottom ?? 0;
  if (top < under || headline > window.innerHeight) window.scrollBy({ top: top - under - 4 });
}
