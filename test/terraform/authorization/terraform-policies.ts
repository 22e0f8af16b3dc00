import { appliedModule } from '../applied-module';
import type { PolicyDocument, PolicySet, Scenario } from './matrix';

/** The policies real Terraform applied for a matrix scenario (against moto), and the bucket's public-access setting. */
export async function terraformPolicies(scenario: Scenario): Promise<PolicySet> {
  const { outputs, resources } = await appliedModule(scenario);
  const document = (name: string) => JSON.parse(outputs[name] as string) as PolicyDocument;
  const accessBlock = resources.find((r) => r.type === 'aws_s3_bucket_public_access_block')!;
  return {
    bucketPolicy: document('bucket_policy_json'),
    appPolicy: document('app_policy_json'),
    trustPolicy: document('app_trust_policy_json'),
    restrictPublicBuckets: accessBlock.values.restrict_public_buckets === true,
    appRoleArn: outputs.app_role_arn as string,
    distributionArn: (outputs.cloudfront_distribution_arn as string | null) ?? undefined,
  };
}
