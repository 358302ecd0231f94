// A CloudTrail trail of the stage's region: EventBridge sees API calls (the security alerts) only while one logs.
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { ReadWriteType, Trail } from 'aws-cdk-lib/aws-cloudtrail';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface AuditTrailProps {
  removalPolicy: RemovalPolicy;
}

/**
 * Management events of this region, read and write: KMS `Sign` is a read-only management event, and it is the one
 * the alert on signatures by an unexpected principal needs. The first copy of management events costs nothing.
 */
export class AuditTrail extends Construct {
  readonly trail: Trail;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const bucket = new Bucket(this, 'Logs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      // A year of evidence, then gone: the alerts act within minutes; the bucket is for the investigation after.
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: false,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds only the CloudTrail log files that the CloudTrail service writes; server access logs would need a second bucket, whose own access logs would need a third. Versioning and file validation keep the files tamper-evident.',
    });
    this.trail = new Trail(this, 'Trail', {
      bucket,
      isMultiRegionTrail: false,
      includeGlobalServiceEvents: false,
      managementEvents: ReadWriteType.ALL,
      enableFileValidation: true,
      sendToCloudWatchLogs: false,
    });
  }
}
