// Every word the checkpoint app shows, in English and Urdu: one catalogue per language with the same keys.
import type { Verdict, VerificationWarning } from '../../../shared/credential.ts';
import type { TrustRefusal } from '../../../shared/trust-state.ts';
import type { Lang } from '../../shared/i18n.ts';

/** Warnings the app adds to the core's: the device clock is behind a time this device has already seen. */
export type AppWarning = VerificationWarning | 'CLOCK_WENT_BACK';

export interface Strings {
  appName: string;
  langSwitch: string;
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
  // Verdict
  verdicts: Record<Verdict, string>;
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

const en: Strings = {
  appName: 'Rahdari checkpoint',
  langSwitch: 'اردو',
  loading: 'Starting…',
  setupTitle: 'Set up this device',
  setupRootStep: '1. Trust root',
  setupRootHelp:
    'The trust root is the key every pass and boat certificate is traced to. Load it, then compare its thumbprint with the provisioning sheet, group by group.',
  rootFetch: 'Load from the server',
  rootPaste: 'Or paste the root key (JWK)',
  rootFile: 'Or choose the root key file',
  rootUse: 'Show thumbprint',
  rootThumbprint: 'Thumbprint',
  rootCompare: 'Does this match the provisioning sheet exactly?',
  rootConfirm: 'It matches: pin this root',
  rootCancel: 'It does not match',
  rootPinned: 'Trust root pinned',
  rootBad: 'This is not a trust root key',
  setupLoginStep: '2. Log in as checkpoint officer',
  loginOfficer: 'Officer ID',
  loginCheckpoint: 'Checkpoint',
  loginButton: 'Log in',
  loginCognito: 'Log in with the department account',
  loginFailed: 'Login failed',
  setupTrustStep: '3. First trust update',
  setupTrustHelp: 'Needs signal once. Without signal, load a trust bundle file from the office.',
  trustFetch: 'Download trust data',
  trustFile: 'Load a trust bundle file',
  checkpoint: 'Checkpoint',
  trustAge: 'Trust data updated {age}',
  trustNever: 'No trust data yet',
  trustVersion: 'version {version}, {revoked} revoked',
  serverTimeAtUpdate: 'Server time at update: {time}',
  syncNow: 'Update now',
  syncing: 'Updating…',
  syncUpdated: 'Updated from version {from} to {to}',
  syncCurrent: 'Up to date (version {version})',
  syncOffline: 'No signal: checking works with the data on this device',
  syncRefused: 'Update refused ({reason}): the trust data was left as it was, at version {version}',
  syncFailed: 'Update failed: {detail}',
  loginExpired: 'Login expired: checking still works; log in again to update trust data',
  loginAgain: 'Log in again',
  loggedInUntil: 'Logged in as {sub} until {time}',
  scanTitle: 'Check a pass or boat certificate',
  cameraStart: 'Start camera',
  cameraStop: 'Stop camera',
  cameraFailed: 'The camera could not start: {detail}',
  photo: 'Photo of a QR code',
  textLabel: 'Scanner or QR text',
  textPlaceholder: 'Scan with a USB scanner, or paste the QR text, then Enter',
  check: 'Check',
  noQrFound: 'No QR code found in the picture',
  decoderFailed: 'The QR reader failed: {detail}',
  verdicts: {
    VALID: 'VALID',
    INVALID_SIGNATURE: 'FORGED OR ALTERED',
    UNKNOWN_KEY: 'NOT ISSUED BY A KNOWN KEY',
    WRONG_TYPE: 'WRONG KIND OF DOCUMENT',
    EXPIRED: 'EXPIRED',
    NOT_YET_VALID: 'NOT YET VALID',
    REVOKED: 'REVOKED',
    NOT_VALID_HERE: 'NOT VALID AT THIS POST',
    MALFORMED: 'NOT A READABLE CREDENTIAL',
  },
  validRevocationUnknown: 'VALID — REVOCATION UNKNOWN',
  warnings: {
    BUNDLE_STALE: 'Trust data is more than 24 hours old: update it when there is signal.',
    REVOCATION_UNKNOWN:
      'Trust data has run out: a pass revoked since the last update would still show as valid.',
    CLOCK_DRIFT: "This device's clock is more than 5 minutes off the server's time: check the date and time.",
    CLOCK_WENT_BACK: "This device's clock has gone back since it was last used: check the date and time.",
    UNROOTED: 'These keys are not vouched for by the trust root.',
  },
  refusals: {
    MALFORMED: 'not a trust bundle',
    INVALID_SIGNATURE: 'signature does not verify',
    UNKNOWN_KEY: 'not signed by the pinned trust root',
    WRONG_TYPE: 'not a trust bundle',
    NOT_FULL: 'a delta where a full bundle is needed',
    OLDER: 'older than the data on this device',
    OUT_OF_ORDER: 'a delta that does not follow the data on this device',
    DROPS_REVOCATIONS: 'it drops revocations',
    ROOT_MISMATCH: 'pinned to another trust root',
    DAMAGED: 'damaged',
  },
  checkCard: 'Check against the CNIC card',
  checkBoat: 'Check against the boat',
  name: 'Name',
  fatherName: "Father's name",
  cnic: 'CNIC',
  passNumber: 'Pass number',
  crossingPoints: 'Crossing points',
  validUntil: 'Valid until',
  validFrom: 'Valid from',
  boatName: 'Boat name',
  officialNumber: 'Official number',
  crewLimit: 'Crew limit',
  owner: 'Owner',
  ownerCnic: "Owner's CNIC",
  homePort: 'Home port',
  certificate: 'Certificate',
  record: {
    title: 'Record the crossing',
    out: 'OUT (leaving Pakistan)',
    in: 'IN (entering Pakistan)',
    recorded: 'Recorded {direction} at {time}: {name}',
    undo: 'Undo',
    undone: 'Removed: it was never sent',
    notRecordable: 'Nothing to record: this is not a credential the platform issued.',
    overrideOpen: 'Let through on override…',
    overrideReason: 'Reason for the override (required)',
    overrideHelp: 'Recorded with your name and reviewed by FIA.',
    crewTitleOut: 'Crew leaving on this boat',
    crewTitleIn: 'Crew returning on this boat',
    crewCount: 'Number of crew on board',
    crewLimitIs: 'Crew limit on the certificate: {limit}',
    crewAboveLimit: 'More crew than the certificate allows: this will be reported.',
    crewCnics: 'Crew CNICs ({n} of {count})',
    crewCnicAdd: 'Add CNIC',
    crewScanHint: 'Scan each crew member’s pass, or type the CNIC and press Enter.',
    crewRemove: 'Remove',
    crewCnicBad: 'Not a CNIC: {detail}',
    crewCnicTwice: 'This CNIC is already in the crew list',
    crewTooMany: 'More CNICs than the crew count: raise the count first',
    crewNotPass: 'Not a border pass: scan the crew member’s pass or type the CNIC',
    crewSave: 'Record {direction} with this crew',
    crewCancel: 'Cancel',
    crewFromLast: 'Filled in from the departure recorded on {time}',
  },
  queue: {
    title: 'Crossings at this post',
    waiting: '{n} waiting to be sent',
    today: 'Today: {out} out, {in} in',
    send: 'Send crossings now',
    sending: 'Sending… {n} still waiting',
    synced: 'Sent at {time}: {stored} stored, {duplicate} already there, {rejected} refused',
    offline: 'No signal: crossings are kept on this device and sent when the network returns',
    failed: 'Sending failed ({detail}): they stay on this device and are sent again',
    loginNeeded: 'Log in again to send the crossings; they stay on this device',
    forbidden: 'The server refused this account: {detail}',
    retryIn: 'Next try in {s} s',
    rejectedTitle: 'Refused by the server',
    none: 'No crossings recorded today',
    more: '… and {n} earlier today',
    states: { queued: 'waiting', stored: 'sent', duplicate: 'sent', rejected: 'refused' },
    directions: { OUT: 'OUT', IN: 'IN' },
    override: 'override',
    anomalies: 'flagged: {list}',
    crew: 'crew {n}',
  },
  groups: {
    group: 'Pilgrim group',
    groupNumber: 'Group number',
    groupSize: 'Members when signed',
    checkLeader: "Check against the group leader's CNIC card",
    title: 'Pilgrim group {number}',
    groupPassTitle: 'Group pass of {number}',
    leader: 'Leader: {name}, {organization}',
    trip: 'Crosses at {point}: out {departOn}, back by {returnBy}',
    counts: '{size} members · {out} out · {back} back (recorded on this device)',
    countsNoRoster: 'Recorded on this device: {out} out · {back} back',
    noRoster:
      "This group's roster is not on this device. It is downloaded with the trust data whenever there is signal.",
    notOnRoster: 'This pass is not on the group roster this device holds.',
    groupPassNote:
      "This is the group's pass: it names the leader and the group. It is no travel document: scan each member's own pass.",
    rosters: 'Pilgrim group rosters on this device: {n}, downloaded {age}',
    rostersNone: 'No group rosters on this device yet',
    rostersFailed: 'Group rosters not updated: {detail}',
    startOut: "Record this group's departure (OUT)",
    startIn: "Record this group's return (IN)",
    modeTitleOut: 'Group departure (OUT): {number}',
    modeTitleIn: 'Group return (IN): {number}',
    modeHelp: 'Every valid pass of this group scanned now is recorded at once, with no tap.',
    progressOut: '{done} of {total} out',
    progressIn: '{done} of {total} back',
    progressNoRoster: '{done} recorded {direction} on this device; the roster is not on this device',
    modeEnd: 'End group mode',
    waitingOut: 'Not yet scanned out ({n})',
    waitingIn: 'Not yet scanned back ({n})',
    allDone: 'Every member on the roster is recorded.',
    more: '… and {n} more',
    already: 'Already recorded {direction} at {time}: {name}. Not recorded again.',
    skipped: {
      notValid: 'Group mode: nothing recorded, the pass is not valid.',
      otherGroup: 'Group mode: nothing recorded, this pass is of another group ({group}).',
      notMember: 'Group mode: nothing recorded, this is not a pass of the group.',
      groupPass: 'Group mode: nothing recorded, a group pass is not a travel document.',
    },
    rosterOpen: 'Roster ({n})',
    states: { NONE: 'not out', OUT: 'out', IN: 'back' },
  },
  settings: 'Device',
  updateFromFile: 'Load a trust update file',
  ago: {
    minutes: '{n} min ago',
    hours: '{n} h {m} min ago',
    days: '{n} days {h} h ago',
    justNow: 'just now',
  },
};

const ur: Strings = {
  appName: 'راہداری چیک پوسٹ',
  langSwitch: 'English',
  loading: 'شروع ہو رہا ہے…',
  setupTitle: 'اس آلے کی تیاری',
  setupRootStep: '۱۔ بنیادی کلید (ٹرسٹ روٹ)',
  setupRootHelp:
    'ہر پاس اور کشتی سرٹیفکیٹ کی تصدیق اسی کلید سے ہوتی ہے۔ اسے لوڈ کریں، پھر اس کا تھمب پرنٹ فراہمی کی شیٹ سے گروپ بہ گروپ ملائیں۔',
  rootFetch: 'سرور سے لوڈ کریں',
  rootPaste: 'یا بنیادی کلید (JWK) یہاں چسپاں کریں',
  rootFile: 'یا بنیادی کلید کی فائل منتخب کریں',
  rootUse: 'تھمب پرنٹ دکھائیں',
  rootThumbprint: 'تھمب پرنٹ',
  rootCompare: 'کیا یہ فراہمی کی شیٹ سے بالکل ملتا ہے؟',
  rootConfirm: 'ملتا ہے: یہ کلید محفوظ کریں',
  rootCancel: 'نہیں ملتا',
  rootPinned: 'بنیادی کلید محفوظ ہے',
  rootBad: 'یہ بنیادی کلید نہیں ہے',
  setupLoginStep: '۲۔ چیک پوسٹ افسر کے طور پر لاگ اِن',
  loginOfficer: 'افسر کی شناخت',
  loginCheckpoint: 'چیک پوسٹ',
  loginButton: 'لاگ اِن',
  loginCognito: 'محکمے کے اکاؤنٹ سے لاگ اِن',
  loginFailed: 'لاگ اِن ناکام',
  setupTrustStep: '۳۔ پہلی تازہ کاری',
  setupTrustHelp: 'ایک بار سگنل چاہیے۔ سگنل نہ ہو تو دفتر سے ملی ٹرسٹ فائل لوڈ کریں۔',
  trustFetch: 'ٹرسٹ ڈیٹا ڈاؤن لوڈ کریں',
  trustFile: 'ٹرسٹ فائل لوڈ کریں',
  checkpoint: 'چیک پوسٹ',
  trustAge: 'ٹرسٹ ڈیٹا کی تازہ کاری: {age}',
  trustNever: 'ابھی کوئی ٹرسٹ ڈیٹا نہیں',
  trustVersion: 'ورژن {version}، منسوخ شدہ {revoked}',
  serverTimeAtUpdate: 'تازہ کاری کے وقت سرور کا وقت: {time}',
  syncNow: 'ابھی تازہ کریں',
  syncing: 'تازہ ہو رہا ہے…',
  syncUpdated: 'ورژن {from} سے {to} تک تازہ ہو گیا',
  syncCurrent: 'تازہ ترین (ورژن {version})',
  syncOffline: 'سگنل نہیں: اس آلے کے ڈیٹا سے جانچ جاری ہے',
  syncRefused: 'تازہ کاری رد ({reason}): ٹرسٹ ڈیٹا جوں کا توں ورژن {version} پر ہے',
  syncFailed: 'تازہ کاری ناکام: {detail}',
  loginExpired: 'لاگ اِن کی مدت ختم: جانچ جاری ہے؛ تازہ کاری کے لیے دوبارہ لاگ اِن کریں',
  loginAgain: 'دوبارہ لاگ اِن',
  loggedInUntil: '{sub} لاگ اِن ہے، {time} تک',
  scanTitle: 'پاس یا کشتی سرٹیفکیٹ کی جانچ',
  cameraStart: 'کیمرا چلائیں',
  cameraStop: 'کیمرا بند کریں',
  cameraFailed: 'کیمرا نہیں چل سکا: {detail}',
  photo: 'QR کوڈ کی تصویر',
  textLabel: 'اسکینر یا QR متن',
  textPlaceholder: 'USB اسکینر سے اسکین کریں یا QR متن چسپاں کریں، پھر Enter',
  check: 'جانچیں',
  noQrFound: 'تصویر میں کوئی QR کوڈ نہیں ملا',
  decoderFailed: 'QR ریڈر ناکام: {detail}',
  verdicts: {
    VALID: 'درست',
    INVALID_SIGNATURE: 'جعلی یا تبدیل شدہ',
    UNKNOWN_KEY: 'نامعلوم کلید سے جاری',
    WRONG_TYPE: 'غلط قسم کی دستاویز',
    EXPIRED: 'میعاد ختم',
    NOT_YET_VALID: 'ابھی مؤثر نہیں',
    REVOKED: 'منسوخ',
    NOT_VALID_HERE: 'اس چوکی کے لیے نہیں',
    MALFORMED: 'ناقابلِ فہم دستاویز',
  },
  validRevocationUnknown: 'درست — منسوخی نامعلوم',
  warnings: {
    BUNDLE_STALE: 'ٹرسٹ ڈیٹا 24 گھنٹے سے پرانا ہے: سگنل ملتے ہی تازہ کریں۔',
    REVOCATION_UNKNOWN: 'ٹرسٹ ڈیٹا کی مدت ختم: آخری تازہ کاری کے بعد منسوخ ہونے والا پاس بھی درست دکھے گا۔',
    CLOCK_DRIFT: 'اس آلے کی گھڑی سرور کے وقت سے 5 منٹ سے زیادہ مختلف ہے: تاریخ اور وقت درست کریں۔',
    CLOCK_WENT_BACK: 'اس آلے کی گھڑی پچھلے استعمال کے بعد پیچھے چلی گئی ہے: تاریخ اور وقت درست کریں۔',
    UNROOTED: 'ان کلیدوں کی تصدیق بنیادی کلید سے نہیں ہوئی۔',
  },
  refusals: {
    MALFORMED: 'ٹرسٹ بنڈل نہیں',
    INVALID_SIGNATURE: 'دستخط درست نہیں',
    UNKNOWN_KEY: 'محفوظ بنیادی کلید کا دستخط نہیں',
    WRONG_TYPE: 'ٹرسٹ بنڈل نہیں',
    NOT_FULL: 'مکمل بنڈل کی جگہ جزوی',
    OLDER: 'آلے کے ڈیٹا سے پرانا',
    OUT_OF_ORDER: 'جزوی بنڈل جو آلے کے ڈیٹا کے بعد کا نہیں',
    DROPS_REVOCATIONS: 'منسوخیاں غائب',
    ROOT_MISMATCH: 'کسی اور بنیادی کلید سے منسلک',
    DAMAGED: 'خراب',
  },
  checkCard: 'شناختی کارڈ سے ملائیں',
  checkBoat: 'کشتی سے ملائیں',
  name: 'نام',
  fatherName: 'والد کا نام',
  cnic: 'شناختی کارڈ نمبر',
  passNumber: 'پاس نمبر',
  crossingPoints: 'گزرگاہیں',
  validUntil: 'مؤثر تا',
  validFrom: 'مؤثر از',
  boatName: 'کشتی کا نام',
  officialNumber: 'سرکاری نمبر',
  crewLimit: 'عملے کی حد',
  owner: 'مالک',
  ownerCnic: 'مالک کا شناختی کارڈ',
  homePort: 'آبائی بندرگاہ',
  certificate: 'سرٹیفکیٹ',
  record: {
    title: 'آمد و رفت درج کریں',
    out: 'روانگی (پاکستان سے باہر)',
    in: 'واپسی (پاکستان میں داخلہ)',
    recorded: '{time} پر {direction} درج ہوا: {name}',
    undo: 'واپس لیں',
    undone: 'ہٹا دیا گیا: یہ کبھی بھیجا نہیں گیا تھا',
    notRecordable: 'درج کرنے کو کچھ نہیں: یہ پلیٹ فارم کا جاری کردہ دستاویز نہیں۔',
    overrideOpen: 'خصوصی اجازت سے گزرنے دیں…',
    overrideReason: 'خصوصی اجازت کی وجہ (لازمی)',
    overrideHelp: 'آپ کے نام کے ساتھ درج ہو گا اور ایف آئی اے اس کا جائزہ لے گی۔',
    crewTitleOut: 'اس کشتی پر روانہ ہونے والا عملہ',
    crewTitleIn: 'اس کشتی پر واپس آنے والا عملہ',
    crewCount: 'کشتی پر عملے کی تعداد',
    crewLimitIs: 'سرٹیفکیٹ پر عملے کی حد: {limit}',
    crewAboveLimit: 'عملہ سرٹیفکیٹ کی حد سے زیادہ ہے: اس کی رپورٹ ہو گی۔',
    crewCnics: 'عملے کے شناختی کارڈ ({count} میں سے {n})',
    crewCnicAdd: 'شناختی کارڈ شامل کریں',
    crewScanHint: 'عملے کے ہر فرد کا پاس اسکین کریں، یا شناختی کارڈ نمبر لکھ کر Enter دبائیں۔',
    crewRemove: 'ہٹائیں',
    crewCnicBad: 'شناختی کارڈ نمبر درست نہیں: {detail}',
    crewCnicTwice: 'یہ شناختی کارڈ پہلے ہی فہرست میں ہے',
    crewTooMany: 'شناختی کارڈ تعداد سے زیادہ ہیں: پہلے تعداد بڑھائیں',
    crewNotPass: 'یہ سرحدی پاس نہیں: عملے کے فرد کا پاس اسکین کریں یا شناختی کارڈ نمبر لکھیں',
    crewSave: 'اس عملے کے ساتھ {direction} درج کریں',
    crewCancel: 'منسوخ',
    crewFromLast: '{time} کی درج شدہ روانگی سے بھرا گیا',
  },
  queue: {
    title: 'اس چوکی پر آمد و رفت',
    waiting: '{n} بھیجے جانے کے منتظر',
    today: 'آج: {out} روانگی، {in} واپسی',
    send: 'ابھی بھیجیں',
    sending: 'بھیجا جا رہا ہے… ابھی {n} باقی',
    synced: '{time} پر بھیجا: {stored} محفوظ، {duplicate} پہلے سے موجود، {rejected} مسترد',
    offline: 'سگنل نہیں: ریکارڈ اسی فون پر محفوظ ہیں اور نیٹ ورک آنے پر بھیجے جائیں گے',
    failed: 'بھیجنا ناکام ({detail}): ریکارڈ اسی فون پر ہیں اور دوبارہ بھیجے جائیں گے',
    loginNeeded: 'ریکارڈ بھیجنے کے لیے دوبارہ لاگ ان کریں؛ وہ اسی فون پر محفوظ ہیں',
    forbidden: 'سرور نے یہ اکاؤنٹ قبول نہیں کیا: {detail}',
    retryIn: 'اگلی کوشش {s} سیکنڈ میں',
    rejectedTitle: 'سرور نے مسترد کیے',
    none: 'آج کوئی آمد و رفت درج نہیں',
    more: '… اور آج کے {n} پہلے کے',
    states: { queued: 'منتظر', stored: 'بھیجا گیا', duplicate: 'بھیجا گیا', rejected: 'مسترد' },
    directions: { OUT: 'روانگی', IN: 'واپسی' },
    override: 'خصوصی اجازت',
    anomalies: 'نشان زد: {list}',
    crew: 'عملہ {n}',
  },
  groups: {
    group: 'زائرین گروپ',
    groupNumber: 'گروپ نمبر',
    groupSize: 'دستخط کے وقت ارکان',
    checkLeader: 'سالار کے شناختی کارڈ سے ملائیں',
    title: 'زائرین گروپ {number}',
    groupPassTitle: 'گروپ پاس: {number}',
    leader: 'سالار: {name}، {organization}',
    trip: 'گزرگاہ {point}: روانگی {departOn}، واپسی {returnBy} تک',
    counts: '{size} ارکان · {out} باہر · {back} واپس (اس آلے پر درج)',
    countsNoRoster: 'اس آلے پر درج: {out} باہر · {back} واپس',
    noRoster: 'اس گروپ کی فہرست اس آلے پر نہیں۔ سگنل ملنے پر یہ ٹرسٹ ڈیٹا کے ساتھ ڈاؤن لوڈ ہوتی ہے۔',
    notOnRoster: 'یہ پاس اس آلے پر موجود گروپ کی فہرست میں نہیں۔',
    groupPassNote:
      'یہ گروپ کا پاس ہے: اس سے سالار اور گروپ کی شناخت ہوتی ہے۔ یہ سفری دستاویز نہیں: ہر رکن کا اپنا پاس اسکین کریں۔',
    rosters: 'اس آلے پر زائرین گروپوں کی فہرستیں: {n}، ڈاؤن لوڈ {age}',
    rostersNone: 'اس آلے پر ابھی گروپوں کی کوئی فہرست نہیں',
    rostersFailed: 'گروپوں کی فہرستیں تازہ نہیں ہوئیں: {detail}',
    startOut: 'اس گروپ کی روانگی درج کریں',
    startIn: 'اس گروپ کی واپسی درج کریں',
    modeTitleOut: 'گروپ کی روانگی: {number}',
    modeTitleIn: 'گروپ کی واپسی: {number}',
    modeHelp: 'اب اس گروپ کا ہر درست پاس اسکین ہوتے ہی، بغیر بٹن دبائے، درج ہو جائے گا۔',
    progressOut: '{total} میں سے {done} روانہ',
    progressIn: '{total} میں سے {done} واپس',
    progressNoRoster: 'اس آلے پر {done} کی {direction} درج؛ گروپ کی فہرست اس آلے پر نہیں',
    modeEnd: 'گروپ موڈ ختم کریں',
    waitingOut: 'ابھی روانگی کے لیے اسکین نہیں ہوئے ({n})',
    waitingIn: 'ابھی واپسی کے لیے اسکین نہیں ہوئے ({n})',
    allDone: 'فہرست کے تمام ارکان درج ہو گئے۔',
    more: '… اور {n} مزید',
    already: '{name} کی {direction} {time} پر پہلے ہی درج ہے۔ دوبارہ درج نہیں کی گئی۔',
    skipped: {
      notValid: 'گروپ موڈ: کچھ درج نہیں ہوا، پاس درست نہیں۔',
      otherGroup: 'گروپ موڈ: کچھ درج نہیں ہوا، یہ پاس کسی اور گروپ ({group}) کا ہے۔',
      notMember: 'گروپ موڈ: کچھ درج نہیں ہوا، یہ اس گروپ کا پاس نہیں۔',
      groupPass: 'گروپ موڈ: کچھ درج نہیں ہوا، گروپ پاس سفری دستاویز نہیں۔',
    },
    rosterOpen: 'گروپ کی فہرست ({n})',
    states: { NONE: 'روانہ نہیں ہوئے', OUT: 'باہر', IN: 'واپس' },
  },
  settings: 'آلہ',
  updateFromFile: 'تازہ کاری کی فائل لوڈ کریں',
  ago: {
    minutes: '{n} منٹ پہلے',
    hours: '{n} گھنٹے {m} منٹ پہلے',
    days: '{n} دن {h} گھنٹے پہلے',
    justNow: 'ابھی',
  },
};

export const STRINGS: Record<Lang, Strings> = { en, ur };
