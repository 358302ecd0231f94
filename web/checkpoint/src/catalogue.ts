// The shape of the checkpoint app's word catalogue: every key each language must fill (strings-en.ts, strings-ur.ts).
import type { Verdict, VerificationWarning } from '../../../shared/credential.ts';
import { ANOMALY_KINDS, type AnomalyKind } from '../../../shared/domain/crossing.ts';
import type { TrustRefusal } from '../../../shared/trust-state.ts';
import type { Lang } from '../../shared/i18n.ts';

/** Warnings the app adds to the core's: the device clock is behind a time this device has already seen. */
export type AppWarning = VerificationWarning | 'CLOCK_WENT_BACK';

/** The anomaly flags the server may put on a stored crossing; a flag not listed is still shown, readably. */
export const FLAG_CODES = ANOMALY_KINDS;
export type FlagCode = AnomalyKind;

/** Why an override reason cannot be recorded as typed (shared/domain/reasons.ts). */
export type ReasonProblem = 'empty' | 'too-short' | 'too-long';

export interface Strings {
  lang: Lang;
  appName: string;
  langSwitch: string;
  /** Between the items of a list in a sentence. */
  comma: string;
  loading: string;
  // Setup
  setupTitle: string;
  setupRootStep: string;
  setupRootHelp: string;
  rootFetch: string;
  rootPaste: string;
  rootFile: string;
  rootUse: string;
  rootThumbprint: string;
  rootCompare: string;
  rootConfirm: string;
  rootCancel: string;
  rootPinned: string;
  rootBad: string;
  setupLoginStep: string;
  loginOfficer: string;
  loginCheckpoint: string;
  loginButton: string;
  loginCognito: string;
  loginFailed: string;
  setupTrustStep: string;
  setupTrustHelp: string;
  trustFetch: string;
  trustFile: string;
  // Status
  checkpoint: string;
  trustAge: string;
  trustNever: string;
  trustVersion: string;
  serverTimeAtUpdate: string;
  syncNow: string;
  syncing: string;
  syncUpdated: string;
  syncCurrent: string;
  syncOffline: string;
  syncRefused: string;
  syncFailed: string;
  loginExpired: string;
  syncLoginNeeded: string;
  loginAgain: string;
  loggedInUntil: string;
  // Input
  scanTitle: string;
  cameraStart: string;
  cameraStop: string;
  cameraFailed: string;
  photo: string;
  textLabel: string;
  textPlaceholder: string;
  check: string;
  noQrFound: string;
  decoderFailed: string;
  torchOn: string;
  torchOff: string;
  soundOn: string;
  soundOff: string;
  readFailedTitle: string;
  // Verdict
  verdicts: Record<Verdict, string>;
  /** The line under the verdict: what it means for the officer. */
  verdictExplain: Record<Verdict, string>;
  known: { outSince: string; lastIn: string; device: string; platform: string };
  flags: Record<FlagCode, string>;
  flagUnknown: string;
  timesInPkt: string;
  validRevocationUnknown: string;
  warnings: Record<AppWarning, string>;
  refusals: Record<TrustRefusal, string>;
  checkCard: string;
  checkBoat: string;
  name: string;
  fatherName: string;
  cnic: string;
  passNumber: string;
  crossingPoints: string;
  validUntil: string;
  validFrom: string;
  boatName: string;
  officialNumber: string;
  crewLimit: string;
  owner: string;
  ownerCnic: string;
  homePort: string;
  certificate: string;
  // Recording crossings
  record: {
    title: string;
    out: string;
    in: string;
    recorded: string;
    undo: string;
    undone: string;
    notRecordable: string;
    overrideOpen: string;
    overrideReason: string;
    overrideHelp: string;
    crewTitleOut: string;
    crewTitleIn: string;
    crewCount: string;
    crewLimitIs: string;
    crewAboveLimit: string;
    crewCnics: string;
    crewCnicAdd: string;
    crewScanHint: string;
    crewRemove: string;
    crewCnicBad: string;
    crewCnicTwice: string;
    crewTooMany: string;
    crewNotPass: string;
    crewSave: string;
    crewCancel: string;
    crewFromLast: string;
    another: string;
    secondOutOpen: string;
    secondOutHelp: string;
    reasonProblems: Record<ReasonProblem, string>;
  };
  lists: {
    search: string;
    searchPlaceholder: string;
    outNow: string;
    outNowNone: string;
    since: string;
    week: string;
    weekNone: string;
    weekMore: string;
    shifts: string;
    shiftsNone: string;
    shift: string;
    officer: string;
    checks: string;
    recorded: string;
  };
  queue: {
    title: string;
    waiting: string;
    today: string;
    send: string;
    sending: string;
    synced: string;
    offline: string;
    failed: string;
    loginNeeded: string;
    forbidden: string;
    retryIn: string;
    rejectedTitle: string;
    none: string;
    more: string;
    states: Record<'queued' | 'stored' | 'duplicate' | 'rejected', string>;
    directions: Record<'OUT' | 'IN', string>;
    override: string;
    anomalies: string;
    crew: string;
  };
  // Pilgrim groups
  groups: {
    group: string;
    groupNumber: string;
    groupSize: string;
    checkLeader: string;
    title: string;
    groupPassTitle: string;
    leader: string;
    trip: string;
    counts: string;
    countsNoRoster: string;
    noRoster: string;
    notOnRoster: string;
    groupPassNote: string;
    rosters: string;
    rostersNone: string;
    rostersFailed: string;
    startOut: string;
    startIn: string;
    modeTitleOut: string;
    modeTitleIn: string;
    modeHelp: string;
    progressOut: string;
    progressIn: string;
    progressNoRoster: string;
    modeEnd: string;
    waitingOut: string;
    waitingIn: string;
    allDone: string;
    more: string;
    already: string;
    skipped: Record<'notValid' | 'otherGroup' | 'notMember' | 'groupPass', string>;
    rosterOpen: string;
    states: Record<'NONE' | 'OUT' | 'IN', string>;
  };
  // Settings
  settings: string;
  updateFromFile: string;
  ago: { minutes: string; hours: string; days: string; justNow: string };
}
