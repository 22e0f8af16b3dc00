import { SCENARIO_INPUTS, type PolicySet, type Scenario } from './matrix';
import { resolve, resolvedInputs } from '../pulumi/mock-run';
import { runPulumiComponent, toPulumiArgs } from '../parity/snapshot';

/** The policies the Pulumi component produces for a matrix scenario, under the mock runtime. */
export async function pulumiPolicies(scenario: Scenario): Promise<PolicySet> {
  const { component, recorded } = await runPulumiComponent(toPulumiArgs(SCENARIO_INPUTS[scenario]));
  const accessBlock = recorded.find((r) => r.type === 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock')!;
  const appRoleArn = await resolve(component.appRoleArn);
  return {
    bucketPolicy: JSON.parse(await resolve(component.bucketPolicyJson)),
    appPolicy: JSON.parse(await resolve(component.appPolicyJson)),
    trustPolicy: JSON.parse(await resolve(component.appTrustPolicyJson)),
    restrictPublicBuckets: (await resolvedInputs(accessBlock)).restrictPublicBuckets === true,
    appRoleArn,
  };
}
