/**
 * The provisioning script of docker compose's `terraform` service (terraform/environments/localstack/
 * provision.sh), run as compose runs it but against moto instead of LocalStack, through the states a user's
 * LocalStack goes through: empty, already provisioned, restarted empty (community LocalStack keeps nothing
 * across a restart), and finally destroyed.
 *
 * Every full apply takes over a minute (most of it the provider waiting for the lifecycle configuration to
 * settle), so the steps run as two sequences on two emulators at once, started when a spec first asks for them
 * (at load time), and record what they observed after each step; the specs then check those observations.
 */
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import {
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
} from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOCALSTACK_ROOT_DIR } from '../support/constants';
import { startMoto, type Moto } from '../support/moto';
import { atRunEnd } from '../support/run-end';
import { createTerraformWorkspace, runTerraform, type TerraformResult } from '../support/terraform';
import { runCommand } from '../support/tools';
import { canApplyModule } from './applied-module';
import type { PolicyDocument } from './authorization/matrix';

export const PROVISION_SCRIPT = path.join(LOCALSTACK_ROOT_DIR, 'provision.sh');

export interface ProvisionRun {
  /** The script's output (it exited 0, or the step rejects with its output). */
  script: TerraformResult;
  /** `terraform output -json` of the root afterwards, values only. */
  outputs: Record<string, unknown>;
  /** `terraform plan -detailed-exitcode` right after the run (0: it converged), when asked for. */
  planExitCode?: number;
  /** Seconds the script took. */
  seconds: number;
}

export interface ProvisioningSequence {
  moto: Moto;
  /** Run against an empty emulator. */
  first: Promise<ProvisionRun>;
  /** The bucket and role as the emulator holds them after the first run. */
  inspection: Promise<Inspection>;
  /** Run again with nothing changed. */
  second: Promise<ProvisionRun>;
  /** Buckets the emulator held right after its restart, before the third run. */
  afterRestartBuckets: Promise<string[]>;
  /** Run after the emulator restarted empty while the state still listed everything. */
  afterRestart: Promise<ProvisionRun>;
  /** What the emulator still holds after `terraform destroy`. */
  afterDestroy: Promise<{ buckets: string[]; roles: string[]; policies: string[] }>;
}

let sequence: Promise<ProvisioningSequence> | undefined;

/** The sequence, started on first call (no-op without terraform and moto: the specs then skip). */
export function provisioningSequence(): Promise<ProvisioningSequence> | undefined {
  if (!canApplyModule()) return undefined;
  sequence ??= start();
  return sequence;
}

/** One LocalStack stand-in (a moto server) with its own state folder, and a way to run the script against it. */
async function emulatorWithState() {
  const moto = await startMoto();
  const tf = await createTerraformWorkspace();
  const work = await mkdtemp(path.join(tmpdir(), 'image-bucket-provision-'));
  atRunEnd(async () => {
    await moto.stop();
    await tf.remove();
    await rm(work, { recursive: true, force: true });
  });
  const rootDir = path.join(work, 'run', 'environments', 'localstack');
  const env = { ...tf.env, TF_WORK_DIR: work, TF_VAR_localstack_endpoint: moto.endpoint };

  const provision = async ({ plan = false } = {}): Promise<ProvisionRun> => {
    const started = Date.now();
    const script = await runScript(env);
    const seconds = (Date.now() - started) / 1000;
    if (script.code !== 0) throw new Error(`provision.sh exited with ${script.code}:\n${script.stderr}\n${script.stdout.slice(-3000)}`);
    const raw = JSON.parse((await runTerraform(rootDir, ['output', '-json'], env)).stdout) as Record<string, { value: unknown }>;
    const outputs = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.value]));
    const planExitCode = plan
      ? (await runTerraform(rootDir, ['plan', '-detailed-exitcode', '-input=false'], env, [0, 1, 2])).code
      : undefined;
    return { script, outputs, planExitCode, seconds };
  };
  const destroy = () => runTerraform(rootDir, ['destroy', '-auto-approve', '-input=false'], env);
  return { moto, provision, destroy };
}

/**
 * Two sequences, side by side, each on its own emulator: (1) empty, read back, run again, destroyed; (2) empty,
 * then restarted empty and run again. Each step waits for the one before it; a failure reaches every later step.
 */
async function start(): Promise<ProvisioningSequence> {
  const [one, two] = await Promise.all([emulatorWithState(), emulatorWithState()]);

  const first = one.provision();
  const inspection = first.then((run) =>
    inspect(one.moto, run.outputs.S3_BUCKET as string, (run.outputs.app_role_arn as string).split('/').pop()!),
  );
  // The second run shows whether the first converged, and the plan after it that a converged state plans empty.
  const second = inspection.then(() => one.provision({ plan: true }));
  const afterDestroy = second.then(async () => {
    await one.destroy();
    return leftovers(one.moto);
  });

  const afterRestartBuckets = two.provision().then(async () => {
    await two.moto.restart();
    return bucketNames(two.moto);
  });
  const afterRestart = afterRestartBuckets.then(() => two.provision());

  for (const step of [first, inspection, second, afterRestartBuckets, afterRestart, afterDestroy]) step.catch(() => undefined);
  return { moto: one.moto, first, inspection, second, afterRestartBuckets, afterRestart, afterDestroy };
}

/** Runs the repository's own script file with sh, as the terraform image's entrypoint does. */
const runScript = (env: NodeJS.ProcessEnv) => runCommand('sh', [PROVISION_SCRIPT], { env, allowExitCodes: [0, 1, 2] });

async function bucketNames(moto: Moto): Promise<string[]> {
  return ((await moto.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!);
}

async function leftovers(moto: Moto) {
  return {
    buckets: await bucketNames(moto),
    roles: ((await moto.iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName!),
    policies: ((await moto.iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? []).map((p) => p.PolicyName!),
  };
}

/** What the emulator holds for the bucket and the app role, read back with the AWS SDK. */
export interface Inspection {
  objectOwnership: string | undefined;
  publicAccessBlock: Record<string, boolean | undefined>;
  bucketPolicy: PolicyDocument;
  encryption: { algorithm: string | undefined; bucketKey: boolean | undefined }[];
  versioning: string | undefined;
  lifecycleRules: {
    id: string | undefined;
    status: string | undefined;
    abortDays: number | undefined;
    noncurrentDays: number | undefined;
  }[];
  corsRules: { origins: string[]; methods: string[] }[];
  trustPolicy: PolicyDocument;
  attachedPolicies: string[];
  appPolicy: PolicyDocument;
}

async function inspect(moto: Moto, bucket: string, roleName: string): Promise<Inspection> {
  const { s3, iam } = moto;
  const Bucket = bucket;
  const ownership = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }));
  const access = await s3.send(new GetPublicAccessBlockCommand({ Bucket }));
  const policy = await s3.send(new GetBucketPolicyCommand({ Bucket }));
  const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
  const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket }));
  const lifecycle = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
  const cors = await s3.send(new GetBucketCorsCommand({ Bucket }));
  const role = await iam.send(new GetRoleCommand({ RoleName: roleName }));
  const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? [];
  const policyArn = attached[0]?.PolicyArn;
  const defaultVersion = policyArn ? (await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy?.DefaultVersionId : undefined;
  const version = policyArn ? await iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: defaultVersion })) : undefined;
  // IAM returns policy documents URL-encoded.
  const document = (text: string | undefined) => JSON.parse(decodeURIComponent(text ?? '{}')) as PolicyDocument;
  return {
    objectOwnership: ownership.OwnershipControls?.Rules?.[0]?.ObjectOwnership,
    publicAccessBlock: { ...access.PublicAccessBlockConfiguration },
    bucketPolicy: JSON.parse(policy.Policy ?? '{}') as PolicyDocument,
    encryption: (encryption.ServerSideEncryptionConfiguration?.Rules ?? []).map((r) => ({
      algorithm: r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
      bucketKey: r.BucketKeyEnabled,
    })),
    versioning: versioning.Status,
    lifecycleRules: (lifecycle.Rules ?? []).map((r) => ({
      id: r.ID,
      status: r.Status,
      abortDays: r.AbortIncompleteMultipartUpload?.DaysAfterInitiation,
      noncurrentDays: r.NoncurrentVersionExpiration?.NoncurrentDays,
    })),
    corsRules: (cors.CORSRules ?? []).map((r) => ({ origins: r.AllowedOrigins ?? [], methods: r.AllowedMethods ?? [] })),
    trustPolicy: document(role.Role?.AssumeRolePolicyDocument),
    attachedPolicies: attached.map((p) => p.PolicyName!),
    appPolicy: document(version?.PolicyVersion?.Document),
  };
}
