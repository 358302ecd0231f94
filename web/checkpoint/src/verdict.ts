// What the verdict screen shows for a verification result: its colour, its words and what to check by eye.
import type {
  PassClaims,
  Verdict,
  VerificationResult,
  VerificationWarning,
  VesselClaims,
} from '../../../shared/credential.ts';
import { cnicAsPrinted } from '../../shared/i18n.ts';
import type { AppWarning, Strings } from './strings.ts';

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
  detail: string;
  warnings: AppWarning[];
  checkTitle?: string;
  rows: Row[];
}

const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

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
    detail: result.detail,
    warnings,
    rows: [],
  };
  if (result.kind === 'bp' && result.claims) {
    const c = result.claims as PassClaims;
    view.checkTitle = s.checkCard;
    view.rows = [
      { label: s.name, value: c.n, key: true },
      { label: s.fatherName, value: c.f, key: true },
      { label: s.cnic, value: cnicAsPrinted(c.c), ltr: true, key: true },
      { label: s.passNumber, value: c.sub, ltr: true },
      { label: s.crossingPoints, value: c.p, ltr: true },
      { label: s.validFrom, value: day(c.nbf), ltr: true },
      { label: s.validUntil, value: day(c.exp), ltr: true },
    ];
  } else if (result.kind === 'vr' && result.claims) {
    const c = result.claims as VesselClaims;
    const slash = c.sub.lastIndexOf('/');
    view.checkTitle = s.checkBoat;
    view.rows = [
      { label: s.boatName, value: c.n, key: true },
      { label: s.officialNumber, value: slash > 0 ? c.sub.slice(0, slash) : c.sub, ltr: true, key: true },
      { label: s.crewLimit, value: String(c.m), ltr: true, key: true },
      { label: s.owner, value: c.o },
      { label: s.ownerCnic, value: cnicAsPrinted(c.c), ltr: true },
      { label: s.homePort, value: c.h, ltr: true },
      { label: s.certificate, value: c.sub, ltr: true },
      ...(c.nbf !== undefined ? [{ label: s.validFrom, value: day(c.nbf), ltr: true }] : []),
      { label: s.validUntil, value: day(c.exp), ltr: true },
    ];
  }
  return view;
}
