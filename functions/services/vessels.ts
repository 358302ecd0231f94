// The boat register's workflows: register, renew, suspend, reinstate, transfer, cancel and read, without HTTP.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { signCredential } from '../../shared/credential.ts';
import { nameIndexKeys } from '../../shared/domain/names.ts';
import { karachiDate } from '../../shared/domain/pass-types.ts';
import {
  type CertifiableVessel,
  formatCertificateSerial,
  formatOfficialNumber,
  type OwnerInput,
  type VesselInput,
  type VesselStatus,
  validateRenewal,
  validateTransfer,
  validateVessel,
  vesselCertificateClaims,
} from '../../shared/domain/vessel.ts';
import type { Signer } from '../../shared/keys.ts';
import type { Page } from '../store/cursor.ts';
import type { Actor, AuditEntry } from '../store/records.ts';
import {
  CursorError,
  DuplicateVessel,
  PreviousStillRegistered,
  RetriesExhausted,
  retryOnConflict,
  type Store,
  type Vessel,
} from '../store/store.ts';
import type { VesselCertificate } from '../store/vessels.ts';
import { type Clock, count, METRIC, type MetricsRecorder } from './context.ts';
import { Busy, Conflict, Forbidden, Invalid, NotFound } from './errors.ts';

/** The register's own counters, beside the shared ones in context.ts. */
export const VESSEL_METRIC = {
  registered: 'VesselsRegistered',
  certificatesIssued: 'VesselCertificatesIssued',
  certificatesRevoked: 'VesselCertificatesRevoked',
} as const;

const countVessel = (metrics: MetricsRecorder, name: (typeof VESSEL_METRIC)[keyof typeof VESSEL_METRIC]) =>
  metrics.addMetric(name, MetricUnit.Count, 1);

export interface VesselDependencies {
  store: Store;
  clock: Clock;
  metrics: MetricsRecorder;
}

export interface CertifyingDependencies extends VesselDependencies {
  /** The current pass-signing key: boat certificates are signed with the same key as passes. */
  passSigner: () => Promise<Signer>;
}

/** A Fisheries officer and the port office they act for (Cognito's `custom:port`), if their account has one. */
export interface PortOfficer {
  actor: Actor;
  port: string | undefined;
}

/** A Fisheries officer changes only the boats of their own port; one without a port changes none. */
function checkPort(officer: PortOfficer, homePort: string): void {
  if (officer.port === undefined)
    throw new Forbidden('Your account is not bound to a port office; ask an administrator to set it.');
  if (officer.port !== homePort)
    throw new Forbidden(`You act for the ${officer.port} port office; this boat's home port is ${homePort}.`);
}

/** Every retry lost to concurrent writers: worth repeating in a moment. */
function rethrowBusy(error: unknown, what: string): never {
  if (error instanceof RetriesExhausted)
    throw new Busy(`Too many changes to ${what} at once; retry in a moment.`);
  throw error;
}

function duplicateMessage(error: DuplicateVessel, port: string): string {
  const holder = error.holder ? `: ${error.holder}` : '';
  return error.by === 'name'
    ? `A boat of this name and owner is already registered at ${port}${holder}.`
    : `The previous registration is already taken over by another boat${holder}.`;
}

/** Signs the boat's next certificate; a licence that has ended cannot be certified (renew it first). */
async function certify(
  vessel: CertifiableVessel,
  sequence: number,
  signer: Signer,
  actor: Actor,
  now: Date,
): Promise<VesselCertificate> {
  const serial = formatCertificateSerial(vessel.officialNumber, sequence);
  let claims: ReturnType<typeof vesselCertificateClaims>;
  try {
    claims = vesselCertificateClaims(vessel, serial, now);
  } catch (error) {
    if (error instanceof RangeError) throw new Conflict(error.message);
    throw error;
  }
  return {
    serial,
    token: await signCredential(signer, 'vr', claims),
    kid: signer.kid,
    ...(claims.nbf !== undefined ? { nbf: claims.nbf } : {}),
    exp: claims.exp,
    issuedAt: now.toISOString(),
    issuedBy: actor,
  };
}

export interface Registration {
  vessel: Vessel;
  /** Things to look at that did not block registration (an unusual CNIC province, a repeated name). */
  warnings: string[];
}

/**
 * Registers a boat at the officer's own port: the next official number of the port's yearly series, the first
 * certificate, the duplicate guards. The watchlist is not read: an owner on it does not block registration
 * (Fisheries is not the FIA), and FIA and MoI readers are shown the hit when they read the boat, listed
 * before or after (watchlistHitFor).
 */
export async function registerVessel(
  deps: CertifyingDependencies,
  input: VesselInput,
  officer: PortOfficer,
): Promise<Registration> {
  const now = deps.clock();
  const checked = validateVessel(input, now);
  if (!checked.ok) throw new Invalid('The boat cannot be registered as it is.', checked.errors);
  const { warnings, ...value } = checked.value;
  checkPort(officer, value.homePort);

  // Duplicates are left to the transaction's guards, which decide under a race anyway: a duplicate costs one
  // signature that is thrown away, every other registration no read at all.

  const year = Number(karachiDate(now).slice(0, 4));
  const series = `VR-${value.homePort}`;
  const at = now.toISOString();
  try {
    const vessel = await retryOnConflict(async () => {
      const last = await deps.store.counters.peek(series, year);
      if (last >= 99_999) throw new Conflict(`${value.homePort} has used every official number of ${year}.`);
      const officialNumber = formatOfficialNumber(value.homePort, year, last + 1);
      if (value.previousRegistration === officialNumber)
        throw new Invalid('The boat cannot be registered as it is.', [
          { field: 'previousRegistration', message: 'This number has not been issued yet.' },
        ]);
      const record: Omit<Vessel, 'certificate'> = {
        ...value,
        officialNumber,
        status: 'ACTIVE',
        certificates: 1,
        registeredAt: at,
        registeredBy: officer.actor,
        ownerSince: at,
        updatedAt: at,
      };
      const certificate = await certify(record, 1, await deps.passSigner(), officer.actor, now);
      const stored: Vessel = { ...record, certificate };
      await deps.store.vessels.register({
        vessel: stored,
        ownerNameKeys: nameIndexKeys(stored.owner.name),
        counter: { name: series, year, value: last },
        actor: officer.actor,
      });
      return stored;
    });
    countVessel(deps.metrics, VESSEL_METRIC.registered);
    countVessel(deps.metrics, VESSEL_METRIC.certificatesIssued);
    return { vessel, warnings };
  } catch (error) {
    if (error instanceof DuplicateVessel) throw new Conflict(duplicateMessage(error, value.homePort));
    if (error instanceof PreviousStillRegistered)
      throw new Conflict(
        `${value.previousRegistration} is still on this register: cancel it before registering the hull again.`,
      );
    return rethrowBusy(error, `the ${value.homePort} register`);
  }
}

export async function findVessel(store: Store, officialNumber: string): Promise<Vessel> {
  const vessel = await store.vessels.get(officialNumber);
  if (!vessel) throw new NotFound(`No boat ${officialNumber}.`);
  return vessel;
}

export async function listVessels(
  store: Store,
  query: { port?: string; ownerCnic?: string; status?: VesselStatus; limit: number; cursor?: string },
): Promise<Page<Vessel>> {
  try {
    return await store.vessels.list(query);
  } catch (error) {
    if (error instanceof CursorError)
      throw new Invalid('The cursor is not valid for this list.', [
        { field: 'cursor', message: error.message },
      ]);
    throw error;
  }
}

export async function vesselHistory(store: Store, officialNumber: string): Promise<AuditEntry[]> {
  await findVessel(store, officialNumber);
  return store.vessels.history(officialNumber);
}

/** A watchlist hit on a boat's owner, as an FIA or MoI reader is shown it. */
export interface WatchlistHit {
  category: string;
  listedAt: string;
}

/**
 * The hit on the boat's current owner, if the CNIC is listed now, and the audit item saying who was shown it,
 * written before the answer goes out: a hit is never seen without the audit recording it. Only for readers the
 * route lets see it.
 */
export async function watchlistHitFor(
  deps: VesselDependencies,
  vessel: Vessel,
  reader: Actor,
): Promise<WatchlistHit | undefined> {
  const watch = await deps.store.watchlist.get(vessel.owner.cnic);
  if (!watch) return undefined;
  count(deps.metrics, METRIC.watchlistHits);
  await deps.store.vessels.audit(
    vessel.officialNumber,
    reader,
    'WATCHLIST_HIT_SHOWN',
    deps.clock().toISOString(),
    {
      category: watch.category,
    },
  );
  return { category: watch.category, listedAt: watch.addedAt };
}

interface Change {
  /** The statuses the change applies from; any other answers 409 with `refusal`. */
  from: readonly VesselStatus[];
  refusal: (vessel: Vessel) => string;
  /** The new record (without its new certificate); may throw Invalid. */
  apply: (
    vessel: Vessel,
    now: Date,
  ) => Promise<Omit<Vessel, 'certificate' | 'certificates'>> | Omit<Vessel, 'certificate' | 'certificates'>;
  action: string;
  detail?: (before: Vessel, after: Omit<Vessel, 'certificate' | 'certificates'>) => Record<string, unknown>;
}

/**
 * One change under the retry policy: read, check the port and the status, build the new record, and write it
 * conditioned on what was read. `certificate` says whether it issues a new certificate (renew, reinstate,
 * transfer) or only revokes (suspend, cancel); a certificate still valid is revoked in the same transaction.
 */
async function changeVessel(
  deps: VesselDependencies,
  /** The signer of the new certificate; undefined for a change that only revokes. */
  passSigner: (() => Promise<Signer>) | undefined,
  officialNumber: string,
  officer: PortOfficer,
  change: Change,
): Promise<Vessel> {
  let revoked = false;
  let issued = false;
  const changed = await retryOnConflict(async () => {
    const before = await findVessel(deps.store, officialNumber);
    checkPort(officer, before.homePort);
    if (!change.from.includes(before.status)) throw new Conflict(change.refusal(before));
    const now = deps.clock();
    const at = now.toISOString();
    const next = await change.apply(before, now);
    let after: Vessel;
    if (passSigner) {
      const sequence = before.certificates + 1;
      const certificate = await certify(next, sequence, await passSigner(), officer.actor, now);
      after = { ...next, certificates: sequence, certificate, updatedAt: at };
    } else {
      after = { ...next, certificates: before.certificates, certificate: before.certificate, updatedAt: at };
    }
    // Only an active boat's certificate is still good: a suspended one's was revoked when it was suspended.
    const revokeFrom = before.status === 'ACTIVE' ? await deps.store.revocations.version() : undefined;
    await deps.store.vessels.change({
      before,
      after,
      ...(after.owner.cnic !== before.owner.cnic ? { ownerNameKeys: nameIndexKeys(after.owner.name) } : {}),
      ...(revokeFrom !== undefined ? { revokeFrom } : {}),
      action: change.action,
      actor: officer.actor,
      at,
      detail: {
        ...(passSigner ? { serial: after.certificate.serial, kid: after.certificate.kid } : {}),
        ...change.detail?.(before, next),
      },
    });
    revoked = revokeFrom !== undefined;
    issued = passSigner !== undefined;
    return after;
  }).catch((error: unknown) => {
    if (error instanceof DuplicateVessel)
      throw new Conflict(duplicateMessage(error, officialNumber.slice(0, 3)));
    return rethrowBusy(error, `boat ${officialNumber}`);
  });
  if (revoked) countVessel(deps.metrics, VESSEL_METRIC.certificatesRevoked);
  if (issued) countVessel(deps.metrics, VESSEL_METRIC.certificatesIssued);
  return changed;
}

/** A new licence last day and a new certificate; the old certificate is revoked. */
export function renewVessel(
  deps: CertifyingDependencies,
  officialNumber: string,
  input: { licenceValidUntil: string },
  officer: PortOfficer,
): Promise<Vessel> {
  return changeVessel(deps, deps.passSigner, officialNumber, officer, {
    from: ['ACTIVE'],
    refusal: (v) => `Boat ${v.officialNumber} is ${v.status}: only an active boat's licence is renewed.`,
    apply: (vessel, now) => {
      const renewal = validateRenewal(vessel, input, now);
      if (!renewal.ok) throw new Invalid('The licence cannot be renewed as asked.', renewal.errors);
      return { ...vessel, ...renewal.value };
    },
    action: 'VESSEL_RENEWED',
    detail: (before, after) => ({
      previousLicenceValidUntil: before.licenceValidUntil,
      licenceValidFrom: after.licenceValidFrom,
      licenceValidUntil: after.licenceValidUntil,
    }),
  });
}

/** Suspends an active boat: its certificate is revoked, and no new one is issued until it is reinstated. */
export function suspendVessel(
  deps: VesselDependencies,
  officialNumber: string,
  reason: string,
  officer: PortOfficer,
): Promise<Vessel> {
  return changeVessel(deps, undefined, officialNumber, officer, {
    from: ['ACTIVE'],
    refusal: (v) => `Boat ${v.officialNumber} is already ${v.status}.`,
    apply: (vessel, now) => ({
      ...vessel,
      status: 'SUSPENDED',
      suspension: { by: officer.actor, at: now.toISOString(), reason },
    }),
    action: 'VESSEL_SUSPENDED',
    detail: () => ({ reason }),
  });
}

/** Reinstates a suspended boat with a new certificate; the one revoked at suspension stays revoked. */
export function reinstateVessel(
  deps: CertifyingDependencies,
  officialNumber: string,
  input: { note?: string | undefined; licenceValidUntil?: string | undefined },
  officer: PortOfficer,
): Promise<Vessel> {
  const { note, licenceValidUntil } = input;
  return changeVessel(deps, deps.passSigner, officialNumber, officer, {
    from: ['SUSPENDED'],
    refusal: (v) => `Boat ${v.officialNumber} is ${v.status}: only a suspended boat is reinstated.`,
    apply: (vessel, now) => {
      const { suspension: _lifted, ...rest } = vessel;
      if (licenceValidUntil === undefined) return { ...rest, status: 'ACTIVE' };
      const renewal = validateRenewal(vessel, { licenceValidUntil }, now);
      if (!renewal.ok) throw new Invalid('The licence cannot be renewed as asked.', renewal.errors);
      return { ...rest, ...renewal.value, status: 'ACTIVE' };
    },
    action: 'VESSEL_REINSTATED',
    detail: (before) => ({
      ...(before.suspension ? { suspendedAt: before.suspension.at } : {}),
      ...(note !== undefined ? { note } : {}),
      ...(licenceValidUntil !== undefined
        ? { previousLicenceValidUntil: before.licenceValidUntil, licenceValidUntil }
        : {}),
    }),
  });
}

/**
 * Moves an active boat to a new owner with a new certificate; the old one is revoked. The history keeps the
 * previous owner (the audit item holds them).
 */
export function transferVessel(
  deps: CertifyingDependencies,
  officialNumber: string,
  input: { owner: OwnerInput },
  officer: PortOfficer,
): Promise<Vessel> {
  return changeVessel(deps, deps.passSigner, officialNumber, officer, {
    from: ['ACTIVE'],
    refusal: (v) => `Boat ${v.officialNumber} is ${v.status}: only an active boat is transferred.`,
    apply: (vessel, now) => {
      const checked = validateTransfer(vessel.owner.cnic, input);
      if (!checked.ok) throw new Invalid('The boat cannot be transferred as asked.', checked.errors);
      return { ...vessel, owner: checked.value, ownerSince: now.toISOString() };
    },
    action: 'VESSEL_TRANSFERRED',
    detail: (before, after) => ({
      previousOwner: before.owner,
      owner: after.owner,
    }),
  });
}

/** Cancels a boat for good: its certificate is revoked (if still valid) and its name may be registered again. */
export function cancelVessel(
  deps: VesselDependencies,
  officialNumber: string,
  reason: string,
  officer: PortOfficer,
): Promise<Vessel> {
  return changeVessel(deps, undefined, officialNumber, officer, {
    from: ['ACTIVE', 'SUSPENDED'],
    refusal: (v) => `Boat ${v.officialNumber} is already ${v.status}.`,
    apply: (vessel, now) => ({
      ...vessel,
      status: 'CANCELLED',
      cancellation: { by: officer.actor, at: now.toISOString(), reason },
    }),
    action: 'VESSEL_CANCELLED',
    detail: () => ({ reason }),
  });
}
