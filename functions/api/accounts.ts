// The accounts route group: an FIA officer at a counter creates a resident's applicant account, bound to one CNIC.
import * as z from 'zod/mini';
import '../../shared/zod-config.ts';
import { typedText } from '../../shared/decision-schemas.ts';
import { normalizePersonName } from '../../shared/domain/application.ts';
import { formatCnic, parseCnic } from '../../shared/domain/cnic.ts';
import type { AccountDirectory } from '../directory/directory.ts';
import { actorOf, FIA_ROLES } from '../http/caller.ts';
import { problems } from '../http/problem.ts';
import { json } from '../http/respond.ts';
import { type Observability, route, routeGroup } from '../http/route.ts';
import { AccountAuditMissing, createApplicantAccount } from '../services/accounts.ts';
import type { Clock } from '../services/context.ts';
import type { Store } from '../store/store.ts';

/** A CNIC bare or dashed, carried on as its 13 digits: the username and the `custom:cnic` binding. */
const cnic = z.pipe(
  z.string().check(typedText('single-line'), z.maxLength(32)),
  z.transform((value: string, ctx) => {
    const parsed = parseCnic(value);
    if (parsed.ok) return parsed.cnic;
    ctx.issues.push({ code: 'custom', message: parsed.error, input: value });
    return z.NEVER;
  }),
);

/** The name as on the CNIC card, by the same rule as an application's (Cognito's `name`). */
const name = z.pipe(
  z.string().check(z.maxLength(240)),
  z.transform((value: string, ctx) => {
    const normalized = normalizePersonName(value);
    if (normalized.ok) return normalized.value;
    ctx.issues.push({ code: 'custom', message: normalized.message, input: value });
    return z.NEVER;
  }),
);

/** Where Cognito sends the invitation with the temporary password. */
const email = z.pipe(
  z.string().check(
    typedText('single-line'),
    z.overwrite((value: string) => value.trim()),
    z.maxLength(254, 'An e-mail address has at most 254 characters.'),
  ),
  z.email({ error: 'Must be an e-mail address such as name@example.pk.' }),
);

/**
 * Exactly these three fields: the body cannot name a group, a checkpoint, a port or any other attribute, so an
 * officer can make nothing but an applicant bound to the CNIC they saw. Any other key is a 400.
 */
export const ApplicantAccountInput = z.strictObject({ cnic, name, email });

export interface AccountsDependencies extends Observability {
  store: Store;
  clock: Clock;
  directory: AccountDirectory;
}

export function createAccountsHandler(deps: AccountsDependencies) {
  return routeGroup(
    {
      /** 201 with the username (the CNIC); Cognito e-mails the resident a temporary password. */
      'POST /accounts/applicants': route(
        { roles: FIA_ROLES, body: ApplicantAccountInput },
        async ({ body, caller }) => {
          try {
            const { username } = await createApplicantAccount(deps, body, actorOf(caller, FIA_ROLES));
            return json(201, {
              username,
              cnic: formatCnic(body.cnic),
              name: body.name,
              email: body.email,
            });
          } catch (error) {
            if (!(error instanceof AccountAuditMissing)) throw error;
            deps.logger.error('applicant account created without its audit item', { error });
            throw problems.internal(
              'The account was created and its invitation sent, but the record of who created it was not saved. Do not create it again; report this to the platform administrators.',
            );
          }
        },
      ),
    },
    deps,
  );
}
