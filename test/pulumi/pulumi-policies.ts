import { SCENARIOS } from '../support/scenarios';
import type { PolicyDocument, PolicySet, Scenario } from '../terraform/authorization/matrix';
import { resolve, resolvedInputs, runPulumiComponent } from './mock-runtime';
import { toPulumiArgs } from './parity-snapshot';

/** The policies the Pulumi component produces for a matrix scenario, under the mock runtime. */
export async function pulumiPolicies(scenario: Scenario): Promise<PolicySet> {
  const { component, recorded } = await runPulumiComponent(toPulumiArgs(SCENARIOS[scenario]));
  const accessBlock = recorded.find((r) => r.type === 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock')!;
  const document = async (json: Promise<string>) => JSON.parse(await json) as PolicyDocument;
  return {
    bucketPolicy: await document(resolve(component.bucketPolicyJson)),
    appPolicy: await document(resolve(component.appPolicyJson)),
    trustPolicy: await document(resolve(component.appTrustPolicyJson)),
    restrictPublicBuckets: (await resolvedInputs(accessBlock)).restrictPublicBuckets === true,
    appRoleArn: await resolve(component.appRoleArn),
    distributionArn: await resolve(component.cloudfrontDistributionArn),
  };
}
