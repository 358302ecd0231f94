// What each reader may see of a boat and its history: only FIA and MoI learn of a watchlist hit on its owner.
import { formatCnic } from '../../shared/domain/cnic.ts';
import type { VesselHistoryEntry } from '../../shared/office-views.ts';
import { toQrText } from '../../shared/qr-text.ts';
import type { Role } from '../../shared/roles.ts';
import { actorOf, type Caller, hasRole } from '../http/caller.ts';
import type { PortOfficer } from '../services/vessels.ts';
import type { AuditEntry } from '../store/records.ts';
import type { Vessel } from '../store/vessels.ts';

/** Fisheries registers and changes boats; the FIA and the Ministry of Interior read the register. */
export const VESSEL_WRITERS: readonly Role[] = ['fisheries-officer'];
export const VESSEL_READERS: readonly Role[] = [
  'fisheries-officer',
  'fia-officer',
  'fia-supervisor',
  'moi-analyst',
];
/** The history names officers and owners over time: for the department that keeps it and the FIA. */
export const VESSEL_HISTORY_READERS: readonly Role[] = ['fisheries-officer', 'fia-officer', 'fia-supervisor'];

export const noSuchVessel = (params: Record<string, string | undefined>) => `No boat ${params.no ?? ''}.`;

/** The Fisheries officer a write is made by, with the port office their account is bound to (if any). */
export const portOfficerOf = (caller: Caller): PortOfficer => ({
  actor: actorOf(caller, VESSEL_WRITERS),
  port: caller.port,
});

/** Who may see that a boat's owner is on the FIA watchlist: the FIA, and the Ministry it reports to. */
export const WATCHLIST_READERS: readonly Role[] = ['fia-officer', 'fia-supervisor', 'moi-analyst'];

export const seesWatchlistHit = (caller: Caller) => hasRole(caller, WATCHLIST_READERS);

export const vesselLinks = (no: string) => ({
  self: `/vessels/${no}`,
  svg: `/vessels/${no}/qr.svg`,
  png: `/vessels/${no}/qr.png`,
  certificate: `/vessels/${no}/certificate`,
  history: `/vessels/${no}/history`,
});

/**
 * A boat as any reader sees it. A watchlist hit is added by the single-record route for FIA and MoI readers,
 * which records that it was shown; lists never carry it (one audit item per boat read, not per page).
 */
export function vesselView(vessel: Vessel, _caller: Caller) {
  const certificate = vessel.certificate;
  return {
    officialNumber: vessel.officialNumber,
    status: vessel.status,
    name: vessel.name,
    type: vessel.type,
    homePort: vessel.homePort,
    owner: { ...vessel.owner, cnic: formatCnic(vessel.owner.cnic) },
    lengthOverallM: vessel.lengthOverallM,
    grossTonnageGt: vessel.grossTonnageGt,
    ...(vessel.engine ? { engine: vessel.engine } : {}),
    hullMaterial: vessel.hullMaterial,
    fishingGear: vessel.fishingGear,
    maxCrew: vessel.maxCrew,
    licenceValidFrom: vessel.licenceValidFrom,
    licenceValidUntil: vessel.licenceValidUntil,
    ...(vessel.previousName ? { previousName: vessel.previousName } : {}),
    ...(vessel.previousRegistration ? { previousRegistration: vessel.previousRegistration } : {}),
    certificate: {
      serial: certificate.serial,
      // A suspended or cancelled boat's last certificate is on the revocation list.
      revoked: vessel.status !== 'ACTIVE',
      kid: certificate.kid,
      ...(certificate.nbf !== undefined ? { nbf: certificate.nbf } : {}),
      exp: certificate.exp,
      issuedAt: certificate.issuedAt,
      token: certificate.token,
      qrText: toQrText(certificate.token),
    },
    certificates: vessel.certificates,
    registeredAt: vessel.registeredAt,
    registeredBy: vessel.registeredBy,
    ownerSince: vessel.ownerSince,
    updatedAt: vessel.updatedAt,
    ...(vessel.suspension ? { suspension: vessel.suspension } : {}),
    ...(vessel.cancellation ? { cancellation: vessel.cancellation } : {}),
    links: vesselLinks(vessel.officialNumber),
  };
}

/** The history as a reader sees it: Fisheries never learns of a watchlist hit, nor who was shown one. */
export function historyView(entries: readonly AuditEntry[], caller: Caller): VesselHistoryEntry[] {
  const fia = seesWatchlistHit(caller);
  return entries
    .filter((entry) => fia || entry.action !== 'WATCHLIST_HIT_SHOWN')
    .map((entry) => {
      const { watchlist: _hidden, ...detail } = entry.detail ?? {};
      const shown = fia ? (entry.detail ?? {}) : detail;
      return {
        at: entry.at,
        action: entry.action,
        actor: entry.actor,
        ...(Object.keys(shown).length > 0 ? { detail: shown } : {}),
      };
    });
}
