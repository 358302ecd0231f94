// What the verdict screen shows for a verification result: its colour, its words and what to check by eye.
import {
  isGroupPass,
  type PassClaims,
  type Verdict,
  type VerificationResult,
  type VerificationWarning,
  type VesselClaims,
} from '../../../shared/credential.ts';
import { cnicAsPrinted } from '../../shared/i18n.ts';
import { placeList } from './places.ts';
import type { AppWarning, Strings } from './strings.ts';
import { pakistanDay } from './time.ts';

/** Green: let through after the eye check. Amber: valid, but the officer must read the warnings. Red: refuse. */
export type Tone = 'ok' | 'warn' | 'bad';

export interface Row {
  label: string;
  value: string;
  /** Numbers and codes stay left to right inside Urdu text, as on the card. */
  ltr?: boolean;
  /** The fields the officer compares with the card or the boat are shown larger. */
  key?: boolean;
}

export interface VerdictView {
  verdict: Verdict;
  tone: Tone;
  headline: string;
  /** What the verdict means for the officer, in their language. */
  detail: string;
  /** The verifier's own words (English), kept for a supervisor reading over the officer's shoulder. */
  technical: string;
  warnings: AppWarning[];
  checkTitle?: string;
  rows: Row[];
}

// A credential's nbf is the start of its first day in Pakistan and its exp the end of its last
// (functions/services/passes.ts, shared/domain/vessel.ts): the card prints those days, so the screen shows them.
const firstDay = (seconds: number) => pakistanDay(seconds * 1000);
const lastDay = (seconds: number) => pakistanDay(seconds * 1000 - 1);

/**
 * The view of one result. `wentBack` is the app's own finding that the clock reads earlier than a time it
 * has seen; it joins the core's warnings on every verdict.
 */
export function verdictView(result: VerificationResult, wentBack: boolean, s: Strings): VerdictView {
  const warnings: AppWarning[] = [...result.warnings];
  if (wentBack) warnings.push('CLOCK_WENT_BACK');
  const valid = result.verdict === 'VALID';
  const revocationUnknown = warnings.includes('REVOCATION_UNKNOWN' satisfies VerificationWarning);
  const tone: Tone = !valid ? 'bad' : warnings.length > 0 ? 'warn' : 'ok';
  const headline = valid && revocationUnknown ? s.validRevocationUnknown : s.verdicts[result.verdict];
  const view: VerdictView = {
    verdict: result.verdict,
    tone,
    headline,
    detail: s.verdictExplain[result.verdict],
    technical: result.detail,
    warnings,
    rows: [],
  };
  if (result.kind === 'bp' && result.claims) {
    const c = result.claims as PassClaims;
    // A group pass is held by the group's leader and numbered as the group.
    const groupPass = isGroupPass(c);
    view.checkTitle = groupPass ? s.groups.checkLeader : s.checkCard;
    view.rows = [
      { label: s.name, value: c.n, ltr: true, key: true },
      { label: s.fatherName, value: c.f, ltr: true, key: true },
      { label: s.cnic, value: cnicAsPrinted(c.c), ltr: true, key: true },
      groupPass
        ? { label: s.groups.groupNumber, value: c.sub, ltr: true }
        : { label: s.passNumber, value: c.sub, ltr: true },
      ...(groupPass && c.s !== undefined
        ? [{ label: s.groups.groupSize, value: String(c.s), ltr: true }]
        : []),
      ...(!groupPass && c.g !== undefined ? [{ label: s.groups.group, value: c.g, ltr: true }] : []),
      { label: s.crossingPoints, value: placeList(c.p, s.lang) },
      { label: s.validFrom, value: firstDay(c.nbf), ltr: true },
      { label: s.validUntil, value: lastDay(c.exp), ltr: true },
    ];
  } else if (result.kind === 'vr' && result.claims) {
    const c = result.claims as VesselClaims;
    const slash = c.sub.lastIndexOf('/');
    view.checkTitle = s.checkBoat;
    view.rows = [
      { label: s.boatName, value: c.n, ltr: true, key: true },
      { label: s.officialNumber, value: slash > 0 ? c.sub.slice(0, slash) : c.sub, ltr: true, key: true },
      { label: s.crewLimit, value: String(c.m), ltr: true, key: true },
      { label: s.owner, value: c.o, ltr: true },
      { label: s.ownerCnic, value: cnicAsPrinted(c.c), ltr: true },
      { label: s.homePort, value: placeList(c.h, s.lang) },
      { label: s.certificate, value: c.sub, ltr: true },
      ...(c.nbf !== undefined ? [{ label: s.validFrom, value: firstDay(c.nbf), ltr: true }] : []),
      { label: s.validUntil, value: lastDay(c.exp), ltr: true },
    ];
  }
  return view;
}
