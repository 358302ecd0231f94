// Items as the table holds them (keys and index attributes included), a pinned clock, and DynamoDB's refusals.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import type { Actor, Application, Pass } from '../../../functions/store/records.ts';
import * as data from '../../support/data.ts';
import { TABLE_NAME } from './environment.ts';

/** Noon in Karachi on 10 March 2026: dates, pass numbers and claims below follow from it. */
export const NOW = new Date('2026-03-10T07:00:00.000Z');
export const TODAY = '2026-03-10';

export const CNIC = '5410112345673';
export const APPLICATION_ID = '01JNXG5Q8Z3T4W6Y7R9B2C4D6F';
export const APPLICANT_SUB = 'resident-1';

/** A valid request body for POST /applications on TODAY. */
export function applicationBody(overrides: Record<string, unknown> = {}) {
  return data.applicationBody('54101-1234567-3', { validUntil: '2026-06-07', ...overrides }, TODAY);
}

export function application(overrides: Partial<Application> = {}): Application {
  return data.storedApplication({
    id: APPLICATION_ID,
    cnic: CNIC,
    validFrom: TODAY,
    validUntil: '2026-06-07',
    applicantSub: APPLICANT_SUB,
    submittedBy: { sub: APPLICANT_SUB, role: 'applicant' },
    createdAt: '2026-03-09T05:00:00.000Z',
    ...overrides,
  });
}

export function applicationItem(app: Application): Record<string, unknown> {
  return {
    PK: `APP#${app.id}`,
    SK: 'APP',
    GSI1PK: `STATUS#${app.status}`,
    GSI1SK: `${app.createdAt}#${app.id}`,
    GSI2PK: `CNIC#${app.cnic}`,
    GSI2SK: `APP#${app.createdAt}`,
    kind: 'APP',
    ...app,
  };
}

export function pass(token: string, overrides: Partial<Pass> = {}): Pass {
  return {
    ...data.storedPass(application(), 'BP-2026-000042', {
      token,
      kid: 'unitkid0',
      issuedAt: '2026-03-10T06:00:00.000Z',
      issuedBy: { sub: 'officer-1', role: 'fia-officer' },
    }),
    ...overrides,
  };
}

export function passItem(record: Pass): Record<string, unknown> {
  return {
    PK: `PASS#${record.number}`,
    SK: 'PASS',
    GSI2PK: `CNIC#${record.cnic}`,
    GSI2SK: `PASS#${record.issuedAt}`,
    kind: 'PASS',
    ...record,
  };
}

/** What DynamoDB answers when a condition in a TransactWriteItems fails: one reason per item, in order. */
export function transactionCancelled(
  reasons: readonly string[] = ['ConditionalCheckFailed', 'None'],
): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: reasons.map((Code) => ({ Code })),
  });
}

/** The audit item Put that goes with a state change at NOW; its id is a fresh ULID, so only its shape is known. */
export function auditPut(entityPk: string, actor: Actor, action: string, detail?: Record<string, unknown>) {
  const at = NOW.toISOString();
  return {
    Put: {
      TableName: TABLE_NAME,
      Item: {
        PK: entityPk,
        SK: expect.stringMatching(new RegExp(`^AUDIT#${at.replaceAll('.', '\\.')}#[0-9A-HJKMNP-TV-Z]{26}$`)),
        kind: 'AUDIT',
        id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
        at,
        actor,
        action,
        entity: entityPk,
        ...(detail ? { detail } : {}),
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}
