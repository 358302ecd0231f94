// The records the border-pass service keeps, as the handlers and the store exchange them.
import type { NormalizedApplication } from '../../shared/domain/application.ts';
import type { CrossingPointCode } from '../../shared/domain/reference.ts';
import type { ApplicationStatus, Role, WatchlistInput } from '../../shared/schemas.ts';

export interface Actor {
  sub: string;
  role: Role;
}

/** A stored application: what validation accepted (shared/domain/application.ts) and its place in the workflow. */
export interface Application extends Omit<NormalizedApplication, 'warnings'> {
  id: string;
  /** The short reference read over the phone (RA-2026-004512); absent on applications stored before references. */
  reference?: string;
  status: ApplicationStatus;
  /** The applicant's account when they applied themselves; absent for a counter application. */
  applicantSub?: string;
  submittedBy: Actor;
  createdAt: string;
  updatedAt: string;
  /** Why the application needs a supervisor (watchlist category), for FIA eyes only. */
  reviewReason?: string;
  decision?: { by: Actor; at: string; reason?: string };
  passNumber?: string;
}

export interface Pass {
  number: string;
  applicationId: string;
  status: 'ACTIVE' | 'REVOKED';
  passType: string;
  cnic: string;
  name: string;
  fatherName: string;
  crossingPoints: CrossingPointCode[];
  validFrom: string;
  validUntil: string;
  nbf: number;
  exp: number;
  /** The signed credential (compact JWS). */
  token: string;
  kid: string;
  holderSub?: string;
  /** The pilgrim group of a member's pass (its credential's `g`); `applicationId` is then the group number. */
  group?: string;
  issuedAt: string;
  issuedBy: Actor;
  revocation?: { by: Actor; at: string; reason: string; version: number };
}

export interface WatchEntry extends WatchlistInput {
  cnic: string;
  /** Who listed the CNIC first, and when; a later change keeps them. */
  addedBy: Actor;
  addedAt: string;
  /** The last change of reason or category, if any. */
  updatedBy?: Actor;
  updatedAt?: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: Actor;
  action: string;
  entity: string;
  detail?: Record<string, unknown>;
}
