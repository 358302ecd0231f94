// Who is calling, from the claims the JWT authorizer passes on; the role is the Cognito group.
import { parseCnic } from '../../shared/domain/cnic.ts';
import { ROLES, type Role } from '../../shared/roles.ts';
import type { Actor } from '../store/records.ts';
import type { HttpEvent } from './event.ts';

export interface Caller {
  sub: string;
  roles: Role[];
  /** The checkpoint a checkpoint officer is bound to. */
  checkpoint?: string;
  /** The port office a Fisheries officer acts for, from Cognito's `custom:port`. */
  port?: string;
  /** The CNIC (13 digits) an applicant account is bound to, from Cognito's `custom:cnic`. */
  cnic?: string;
}

export const FIA_ROLES: readonly Role[] = ['fia-officer', 'fia-supervisor'];

/**
 * Exactly the two forms the HTTP API authorizer produces: a JSON array (as the claim was), or the flattened
 * string "[a b]" (names separated by single spaces inside brackets). Anything else grants nothing, so a group
 * named "applicant,fia-supervisor" or " fia-officer " is not read as one or two roles.
 */
export function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  if (typeof value !== 'string') return [];
  const flattened = /^\[([^\s[\]]+(?: [^\s[\]]+)*)?\]$/.exec(value);
  if (!flattened) return [];
  return flattened[1] === undefined ? [] : flattened[1].split(' ');
}

export function callerOf(event: HttpEvent): Caller | undefined {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') return undefined;
  const groups = groupsOf(claims['cognito:groups']).filter((g): g is Role =>
    (ROLES as readonly string[]).includes(g),
  );
  const checkpoint = claims['custom:checkpoint'];
  const port = claims['custom:port'];
  // Normalized, so a number an administrator typed with dashes still binds; anything else binds no CNIC at all.
  const cnic = typeof claims['custom:cnic'] === 'string' ? parseCnic(claims['custom:cnic']) : undefined;
  // The accounts route creates applicants bound to a CNIC but may add no group (Cognito's IAM cannot limit
  // AdminAddUserToGroup to one group), so an account with no role and a valid bound CNIC is an applicant. A staff
  // group with a CNIC stays staff only: the CNIC makes no one an applicant beside their role.
  const roles: Role[] = groups.length === 0 && cnic?.ok ? ['applicant'] : groups;
  return {
    sub: claims.sub,
    roles,
    ...(typeof checkpoint === 'string' && checkpoint ? { checkpoint } : {}),
    ...(typeof port === 'string' && port ? { port } : {}),
    ...(cnic?.ok ? { cnic: cnic.cnic } : {}),
  };
}

export const hasRole = (caller: Caller, roles: readonly Role[]) =>
  caller.roles.some((r) => roles.includes(r));

/** The role a caller acts in, among those a route allows: recorded in audit items. */
export function actorOf(caller: Caller, allowed: readonly Role[]): Actor {
  const role = caller.roles.find((r) => allowed.includes(r));
  if (!role) throw new Error('actorOf called for a caller the route did not admit');
  return { sub: caller.sub, role };
}
