import path from 'node:path';
import { findResource, planDirectory } from '../terraform/plan';
import { SAMPLE_CONTEXT } from '../sample-account';
import { SCENARIO_INPUTS, type PolicySet, type Scenario } from './matrix';

export const MODULE_DIR = path.join(__dirname, '..', '..', 'terraform', 'modules', 'image-bucket');

/** The policies the Terraform module produces for a matrix scenario, rendered by the offline planner. */
export async function terraformPolicies(scenario: Scenario, moduleDir = MODULE_DIR): Promise<PolicySet> {
  const plan = await planDirectory(moduleDir, SCENARIO_INPUTS[scenario], SAMPLE_CONTEXT);
  return {
    bucketPolicy: JSON.parse(plan.outputs.bucket_policy_json as string),
    appPolicy: JSON.parse(plan.outputs.app_policy_json as string),
    trustPolicy: JSON.parse(plan.outputs.app_trust_policy_json as string),
    restrictPublicBuckets: findResource(plan, 'aws_s3_bucket_public_access_block.this').values.restrict_public_buckets === true,
    appRoleArn: plan.outputs.app_role_arn as string,
  };
}
