// The shapes the API answers for an application and a boat's history, as the office pages read them: declared
// once here, so a server view that drifts from them fails the type check of the server and of the pages alike.
import type { CrossingPointCode, DistrictCode } from './domain/reference.ts';
import type { Role } from './roles.ts';
import type { ApplicationStatus } from './schemas.ts';

/** Who did something: an account and the role it acted in. */
export interface ActorView {
  sub: string;
  role: Role;
}

/** An application as its reader may see it (the applicant never sees a watchlist hold: it reads PENDING). */
export interface ApplicationView {
  id: string;
  /** The short reference read over the phone (RA-2026-004512); absent on applications made before references. */
  reference?: string;
  status: ApplicationStatus;
  passType: string;
  /** XXXXX-XXXXXXX-X. */
  cnic: string;
  name: string;
  fatherName: string;
  district: DistrictCode;
  crossingPoints: CrossingPointCode[];
  validFrom: string;
  validUntil: string;
  phone?: string;
  createdAt: string;
  updatedAt: string;
  passNumber?: string;
  /** Where the pass is, once issued. */
  pass?: string;
  rejectionReason?: string;
  /** FIA only: why the application waits for a supervisor. */
  reviewReason?: string;
  /** FIA only. */
  submittedBy?: ActorView;
  /** FIA only. */
  decision?: { by: ActorView; at: string; reason?: string };
}

/** One entry of a boat's history (`GET /vessels/{no}/history`). */
export interface VesselHistoryEntry {
  at: string;
  action: string;
  actor: ActorView;
  detail?: Record<string, unknown>;
}
