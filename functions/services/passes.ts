// Issued passes: what a pass's credential says, signing it, reading it, and revoking it.
import { type PassClaims, signCredential } from '../../shared/credential.ts';
import { karachiDayStart } from '../../shared/domain/pass-types.ts';
import type { Signer } from '../../shared/keys.ts';
import type { Actor, Application, Pass } from '../store/records.ts';
import { RetriesExhausted, retryOnConflict, type Store } from '../store/store.ts';
import { type Clock, count, METRIC, type MetricsRecorder, type Reader } from './context.ts';
import { Busy, Conflict, NotFound } from './errors.ts';

/** The credential's claims for a pass (validity from the first day's start to the last day's end, Pakistan time). */
export function passClaims(number: string, app: Application): PassClaims {
  return {
    sub: number,
    nbf: karachiDayStart(app.validFrom) / 1000,
    exp: karachiDayStart(app.validUntil) / 1000 + 86400,
    n: app.name,
    f: app.fatherName,
    c: Number(app.cnic),
    p: app.crossingPoints.join(' '),
  };
}

/** The record kept for a pass whose credential is `issue.token`: what the application asked for, and its claims' validity. */
export function passRecord(
  app: Application,
  number: string,
  issue: { token: string; kid: string; issuedAt: string; issuedBy: Actor },
): Pass {
  const claims = passClaims(number, app);
  return {
    number,
    applicationId: app.id,
    status: 'ACTIVE',
    passType: app.passType,
    cnic: app.cnic,
    name: app.name,
    fatherName: app.fatherName,
    crossingPoints: app.crossingPoints,
    validFrom: app.validFrom,
    validUntil: app.validUntil,
    nbf: claims.nbf,
    exp: claims.exp,
    ...issue,
    ...(app.applicantSub ? { holderSub: app.applicantSub } : {}),
  };
}

/** The pass an approval issues: the credential signed with its number, and the record kept beside it. */
export async function signPass(
  app: Application,
  number: string,
  signer: Signer,
  actor: Actor,
  now: Date,
): Promise<Pass> {
  const token = await signCredential(signer, 'bp', passClaims(number, app));
  return passRecord(app, number, { token, kid: signer.kid, issuedAt: now.toISOString(), issuedBy: actor });
}

/** The pass, or NotFound, also when it is another holder's: the answer must not tell the two apart. */
export async function findPass(store: Store, number: string, reader: Reader): Promise<Pass> {
  const pass = await store.passes.get(number);
  const visible = pass && (reader.fia || (pass.holderSub !== undefined && pass.holderSub === reader.sub));
  if (!pass || !visible) throw new NotFound(`No pass ${number}.`);
  return pass;
}

/** Revokes an active pass with the next revocation-list version; rivals for that version retry. */
export async function revokePass(
  deps: { store: Store; clock: Clock; metrics: MetricsRecorder },
  number: string,
  reason: string,
  actor: Actor,
): Promise<Pass> {
  try {
    const revoked = await retryOnConflict(async () => {
      const pass = await findPass(deps.store, number, { sub: actor.sub, fia: true });
      if (pass.status !== 'ACTIVE') throw new Conflict(`Pass ${pass.number} is already ${pass.status}.`);
      const version = await deps.store.revocations.version();
      const at = deps.clock().toISOString();
      // A loss means another revocation took this list version, or this pass was revoked meanwhile: look again.
      const reached = await deps.store.passes.revoke(pass, reason, actor, at, version);
      return {
        ...pass,
        status: 'REVOKED',
        revocation: { by: actor, at, reason, version: reached },
      } satisfies Pass;
    });
    count(deps.metrics, METRIC.passesRevoked);
    return revoked;
  } catch (error) {
    if (error instanceof RetriesExhausted) throw new Busy('Too many revocations at once; retry in a moment.');
    throw error;
  }
}
