// Security alerts: EventBridge rules on CloudTrail's record of API calls that touch the signing keys or the accounts.
import { type CfnRule, EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Changes to a signing key that could hand signing to someone else, or stop the platform signing at all. */
export const KEY_CHANGE_EVENTS = [
  'PutKeyPolicy',
  'CreateGrant',
  'DisableKey',
  'ScheduleKeyDeletion',
] as const;

/**
 * Administrator actions on the pool that grant a role or rebind an account (CNIC, checkpoint, port): Cognito's IAM
 * cannot limit them by group or attribute, so every one is reported.
 */
export const ACCOUNT_CHANGE_EVENTS = ['AdminAddUserToGroup', 'AdminUpdateUserAttributes'] as const;

export interface SecurityAlertsProps {
  /** Every signing key: trust root and all pass-signing generations. */
  keyArns: readonly string[];
  /** The roles allowed to sign; a `Sign` by anyone else is reported, whether KMS refused it or not. */
  signingRoleArns: readonly string[];
  userPoolId: string;
  topic: ITopic;
  /** Where an alert that could not be published waits. */
  deadLetterQueue: IQueue;
}

/** What an alert e-mail says: who did what, where and when; never the request's parameters (they hold CNICs). */
function alertMessage(what: string) {
  return RuleTargetInput.fromObject({
    alert: `Rahdari: ${what}`,
    eventName: EventField.fromPath('$.detail.eventName'),
    caller: EventField.fromPath('$.detail.userIdentity.arn'),
    sourceIp: EventField.fromPath('$.detail.sourceIPAddress'),
    time: EventField.fromPath('$.detail.eventTime'),
    errorCode: EventField.fromPath('$.detail.errorCode'),
    region: EventField.fromPath('$.region'),
    eventId: EventField.fromPath('$.detail.eventID'),
  });
}

/**
 * The rules need CloudTrail to log the region's management events (AuditTrail or an existing account trail). Sign
 * is a read-only management event, which a rule receives only in the ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
 * state.
 */
export class SecurityAlerts extends Construct {
  constructor(scope: Construct, id: string, props: SecurityAlertsProps) {
    super(scope, id);
    const target = (what: string) =>
      new SnsTopic(props.topic, { message: alertMessage(what), deadLetterQueue: props.deadLetterQueue });
    const onKeys = { resources: { ARN: [...props.keyArns] } };

    new Rule(this, 'KeyChanged', {
      description: 'A signing key policy, grant or state changed',
      eventPattern: {
        source: ['aws.kms'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: { eventName: [...KEY_CHANGE_EVENTS], ...onKeys },
      },
      targets: [target('a signing key policy, grant or state changed')],
    });

    const signedByOther = new Rule(this, 'UnexpectedSigner', {
      description: 'A signing key was asked to sign by a principal other than its signing role',
      eventPattern: {
        source: ['aws.kms'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventName: ['Sign'],
          ...onKeys,
          // Anyone but the signing roles: a session of another role, or a caller that is no role session at all.
          $or: [
            { userIdentity: { type: [{ 'anything-but': 'AssumedRole' }] } },
            {
              userIdentity: {
                sessionContext: { sessionIssuer: { arn: [{ 'anything-but': [...props.signingRoleArns] }] } },
              },
            },
          ],
        },
      },
      targets: [target('a signing key was asked to sign by an unexpected principal')],
    });
    allManagementEvents(signedByOther);

    const kmsErrors = new Rule(this, 'KeyErrors', {
      description: 'A call on a signing key failed (refused, disabled key, throttled)',
      eventPattern: {
        source: ['aws.kms'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: { errorCode: [{ exists: true }], ...onKeys },
      },
      targets: [target('a call on a signing key failed')],
    });
    allManagementEvents(kmsErrors);

    new Rule(this, 'AccountChanged', {
      description: 'An account was added to a group or had its attributes changed by an administrator',
      eventPattern: {
        source: ['aws.cognito-idp'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventName: [...ACCOUNT_CHANGE_EVENTS],
          requestParameters: { userPoolId: [props.userPoolId] },
        },
      },
      targets: [target('an account was added to a group or its attributes were changed')],
    });
  }
}

/** Read-only management events (KMS Sign among them) reach a rule only in this state. */
function allManagementEvents(rule: Rule): void {
  (rule.node.defaultChild as CfnRule).state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
}
