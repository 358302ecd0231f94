// What each caller may see of an application or a pass: applicants never learn of watchlist reviews.
import { formatCnic } from '../shared/domain/cnic.ts';
import type { ApplicationView } from '../shared/office-views.ts';
import { toQrText } from '../shared/qr-text.ts';
import { type Caller, FIA_ROLES, hasRole } from './http/caller.ts';
import type { Application, Pass } from './store/records.ts';

export function applicationView(app: Application, caller: Caller): ApplicationView {
  const fia = hasRole(caller, FIA_ROLES);
  // A trafficker must not learn that a watchlist hit held the application: to them it is simply pending.
  const status = !fia && app.status === 'NEEDS_REVIEW' ? 'PENDING' : app.status;
  return {
    id: app.id,
    ...(app.reference ? { reference: app.reference } : {}),
    status,
    passType: app.passType,
    cnic: formatCnic(app.cnic),
    name: app.name,
    fatherName: app.fatherName,
    district: app.district,
    crossingPoints: app.crossingPoints,
    validFrom: app.validFrom,
    validUntil: app.validUntil,
    ...(app.phone ? { phone: app.phone } : {}),
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
    ...(app.passNumber ? { passNumber: app.passNumber, pass: `/passes/${app.passNumber}` } : {}),
    ...(app.status === 'REJECTED' && app.decision?.reason ? { rejectionReason: app.decision.reason } : {}),
    ...(fia
      ? {
          ...(app.reviewReason ? { reviewReason: app.reviewReason } : {}),
          submittedBy: app.submittedBy,
          ...(app.decision ? { decision: app.decision } : {}),
        }
      : {}),
  };
}

export function passView(pass: Pass, caller: Caller) {
  const fia = hasRole(caller, FIA_ROLES);
  return {
    number: pass.number,
    status: pass.status,
    passType: pass.passType,
    name: pass.name,
    fatherName: pass.fatherName,
    cnic: formatCnic(pass.cnic),
    crossingPoints: pass.crossingPoints,
    validFrom: pass.validFrom,
    validUntil: pass.validUntil,
    issuedAt: pass.issuedAt,
    kid: pass.kid,
    token: pass.token,
    qrText: toQrText(pass.token),
    links: {
      svg: `/passes/${pass.number}/qr.svg`,
      png: `/passes/${pass.number}/qr.png`,
      card: `/passes/${pass.number}/card`,
    },
    ...(pass.revocation
      ? { revokedAt: pass.revocation.at, ...(fia ? { revocation: pass.revocation } : {}) }
      : {}),
    ...(fia ? { applicationId: pass.applicationId, issuedBy: pass.issuedBy } : {}),
  };
}
