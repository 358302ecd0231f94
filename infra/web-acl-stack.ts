// The web ACL in front of the checkpoint app's CloudFront distribution (and the API on its origin): a per-address
// rate limit and AWS's managed rule groups. CloudFront accepts only web ACLs made in us-east-1, hence a stack there.
import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/** The region where every web ACL of CloudFront must live. */
export const CLOUDFRONT_WEB_ACL_REGION = 'us-east-1';

/** AWS managed rule groups the web ACL applies, in order, each with the rules it only counts and why. */
export const MANAGED_RULE_GROUPS = [
  {
    name: 'AWSManagedRulesCommonRuleSet',
    // The core rule set blocks bodies over 8 KB; every route takes up to 64 KB, POST /crossings a checkpoint's
    // batch of up to 1 MiB and the groups routes a group of up to 256 KB (functions/routes.ts maxBodyBytes), which
    // the API itself bounds and validates.
    countOnly: ['SizeRestrictions_BODY'],
  },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', countOnly: [] },
] as const;

export interface WebAclStackProps extends StackProps {
  stageName: string;
  /** Requests one address may make in any 5 minutes before it is blocked until it slows down. */
  rateLimitPer5Minutes: number;
}

export class WebAclStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: WebAclStackProps) {
    super(scope, id, props);
    const visibility = (metricName: string) => ({
      metricName: `rahdari-${props.stageName}-${metricName}`,
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: `Rahdari ${props.stageName}: rate limit and AWS managed rules for the checkpoint app and its API`,
      defaultAction: { allow: {} },
      visibilityConfig: visibility('web-acl'),
      rules: [
        {
          name: 'RateLimitPerAddress',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.rateLimitPer5Minutes,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
            },
          },
          visibilityConfig: visibility('rate-limit'),
        },
        ...MANAGED_RULE_GROUPS.map((group, index) => ({
          name: group.name,
          priority: index + 1,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: group.name,
              ...(group.countOnly.length > 0
                ? {
                    ruleActionOverrides: group.countOnly.map((rule) => ({
                      name: rule,
                      actionToUse: { count: {} },
                    })),
                  }
                : {}),
            },
          },
          visibilityConfig: visibility(group.name),
        })),
      ],
    });
  }
}
