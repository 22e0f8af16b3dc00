/**
 * Terraform and Pulumi, reduced to one comparable shape: the resources (by Terraform type, through an explicit
 * type mapping), the settings each tool configures (in Terraform's field names), the explicit dependencies,
 * and the policy documents normalized for what IAM ignores (statement order, action and resource order, a
 * string versus a one-element list).
 *
 * The Terraform side is what real Terraform applied (test/terraform/applied-module.ts): the state's values of
 * exactly the arguments the module's configuration sets. The Pulumi side is what the component registers
 * under the mock runtime.
 */
import type { ImageBucketArgs } from '../../pulumi/args';
import type { ModuleInputs } from '../support/scenarios';
import type { AppliedModule } from '../terraform/applied-module';
import type { PolicyDocument } from '../terraform/authorization/matrix';
import { MOTO_DISTRIBUTION_READBACK } from '../support/moto';
import { resolve, resolvedInputs, runPulumiComponent } from './mock-runtime';

/** Terraform resource type -> Pulumi resource type, for every resource either tool may create. */
export const TYPE_MAP: Record<string, string> = {
  aws_s3_bucket: 'aws:s3/bucket:Bucket',
  aws_s3_bucket_ownership_controls: 'aws:s3/bucketOwnershipControls:BucketOwnershipControls',
  aws_s3_bucket_public_access_block: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  aws_s3_bucket_policy: 'aws:s3/bucketPolicy:BucketPolicy',
  aws_s3_bucket_server_side_encryption_configuration:
    'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  aws_s3_bucket_versioning: 'aws:s3/bucketVersioning:BucketVersioning',
  aws_s3_bucket_lifecycle_configuration: 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
  aws_s3_bucket_cors_configuration: 'aws:s3/bucketCorsConfiguration:BucketCorsConfiguration',
  aws_iam_role: 'aws:iam/role:Role',
  aws_iam_policy: 'aws:iam/policy:Policy',
  aws_iam_role_policy_attachment: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  aws_iam_instance_profile: 'aws:iam/instanceProfile:InstanceProfile',
  aws_s3_bucket_logging: 'aws:s3/bucketLogging:BucketLogging',
  aws_cloudfront_origin_access_control: 'aws:cloudfront/originAccessControl:OriginAccessControl',
  aws_cloudfront_distribution: 'aws:cloudfront/distribution:Distribution',
};
const PULUMI_TO_TF = Object.fromEntries(Object.entries(TYPE_MAP).map(([tf, pu]) => [pu, tf]));

/** Pulumi's plural names for Terraform's repeatable blocks. */
const BLOCK_RENAMES: Record<string, string> = { rules: 'rule', cors_rules: 'cors_rule', origins: 'origin' };
/** Arguments that hold another resource's computed ID (random in moto, invented by the mocks): compared as a reference. */
const REFERENCE_ARGUMENTS: Record<string, string> = { origin_access_control_id: '(the Origin Access Control)' };
/** Arguments whose value is a map, not a nested block. */
const MAP_ARGUMENTS = new Set(['tags']);
/** Arguments holding a policy document as JSON. */
const POLICY_ARGUMENTS = new Set(['policy', 'assume_role_policy']);

type Settings = Record<string, unknown>;

export interface InfraSnapshot {
  tool: 'terraform' | 'pulumi';
  /** Settings by Terraform resource type. */
  resources: Record<string, Settings>;
  /** Explicit ordering: "<type> -> <type it waits for>". */
  dependencies: string[];
  policies: { bucket: PolicyDocument; app: PolicyDocument; trust: PolicyDocument };
}

const snake = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const isPrimitive = (v: unknown) => v === null || typeof v !== 'object';
/** How Terraform's state spells "not set" (the provider's zero values), and what Pulumi leaves out. */
const isUnset = (v: unknown, key?: string) =>
  v === null ||
  v === undefined ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (key !== undefined && MAP_ARGUMENTS.has(key) && Object.keys(v as object).length === 0);
/**
 * Settings moto reads back otherwise than they were sent (test/support/moto.ts). Only the certificate's: the
 * Origin Access Control is compared as a reference, and forwarded_values is not configured.
 */
const MOTO_READBACK: Record<string, string[]> = { aws_cloudfront_distribution: MOTO_DISTRIBUTION_READBACK.certificate };

/**
 * Canonical settings: snake_case keys, nested blocks as lists, unset values dropped, lists of plain values
 * sorted (sets have no order), policies parsed and normalized.
 */
function canonical(value: unknown, key?: string): unknown {
  if (key && POLICY_ARGUMENTS.has(key) && typeof value === 'string') return normalizePolicy(JSON.parse(value) as PolicyDocument);
  if (key && MAP_ARGUMENTS.has(key)) return value; // user data: keys kept as written
  if (Array.isArray(value)) {
    const items = value.map((v) => canonical(v));
    return items.every(isPrimitive) ? [...items].sort() : items;
  }
  if (value && typeof value === 'object') {
    const out: Settings = {};
    for (const [k, v] of Object.entries(value)) {
      const name = BLOCK_RENAMES[snake(k)] ?? snake(k);
      if (isUnset(v, name)) continue;
      if (name in REFERENCE_ARGUMENTS) {
        out[name] = REFERENCE_ARGUMENTS[name];
        continue;
      }
      const isBlock = typeof v === 'object' && !Array.isArray(v) && !MAP_ARGUMENTS.has(name);
      out[name] = isBlock ? [canonical(v)] : canonical(v, name);
    }
    return out;
  }
  return value;
}

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const sortedUnique = (v: unknown) => [...new Set(asList(v).map(String))].sort();

/** IAM's own equivalences: order of statements, actions and resources; a string and a one-element list. */
export function normalizePolicy(doc: PolicyDocument): PolicyDocument {
  const statements = doc.Statement.map((s) => {
    const out: Record<string, unknown> = { Effect: s.Effect };
    if (s.Sid) out.Sid = s.Sid;
    for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const)
      if (s[key] !== undefined) out[key] = sortedUnique(s[key]);
    for (const key of ['Principal', 'NotPrincipal'] as const) {
      const p = s[key];
      if (p === undefined) continue;
      out[key] =
        p === '*'
          ? '*'
          : Object.fromEntries(
              Object.entries(p)
                .sort()
                .map(([k, v]) => [k, sortedUnique(v)]),
            );
    }
    if (s.Condition) {
      out.Condition = Object.fromEntries(
        Object.entries(s.Condition)
          .sort()
          .map(([test, vars]) => [
            test,
            Object.fromEntries(
              Object.entries(vars)
                .sort()
                .map(([k, v]) => [k, sortedUnique(v)]),
            ),
          ]),
      );
    }
    return out;
  });
  statements.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { Version: doc.Version, Statement: statements } as unknown as PolicyDocument;
}

/** A policy with this distribution's ARN (its ID random in moto, invented by the mocks) named, not spelled. */
function withoutDistribution(json: string, distributionArn: unknown): string {
  return typeof distributionArn === 'string' ? json.replaceAll(distributionArn, '(this distribution)') : json;
}

/** Terraform variables (snake_case) -> ImageBucket arguments (camelCase). */
export function toPulumiArgs(inputs: ModuleInputs): ImageBucketArgs {
  // Object-typed variables (access_logs) have snake_case attributes too; tags are user data, kept as written.
  const value = (k: string, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !MAP_ARGUMENTS.has(k)
      ? Object.fromEntries(Object.entries(v).map(([ak, av]) => [camel(ak), av]))
      : v;
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [camel(k), value(k, v)])) as unknown as ImageBucketArgs;
}

/** The state's values of the arguments (and nested blocks) the configuration sets, and nothing else. */
function configured(values: unknown, expressions: Record<string, unknown>): Settings {
  const out: Settings = {};
  for (const [key, expression] of Object.entries(expressions)) {
    const value = (values as Settings)[key];
    out[key] = Array.isArray(expression)
      ? asList(value).map((v, i) => configured(v, (expression[i] ?? expression[0]) as Record<string, unknown>))
      : value;
  }
  return out;
}

/** Settings with moto's read-back quirks (MOTO_READBACK) and this distribution's ARN left out of the comparison. */
function comparable(type: string, settings: Settings, distributionArn: unknown): Settings {
  const out = JSON.parse(withoutDistribution(JSON.stringify(settings), distributionArn)) as Settings;
  for (const path of MOTO_READBACK[type] ?? []) {
    const [block, field] = path.split('.') as [string, string];
    for (const item of (out[block] as Settings[] | undefined) ?? []) delete item[field];
  }
  return out;
}

export function terraformSnapshot(applied: AppliedModule): InfraSnapshot {
  const resources: Record<string, Settings> = {};
  for (const r of applied.resources) {
    const config = applied.configuration.find((c) => c.mode === 'managed' && c.type === r.type)!;
    const settings = canonical(configured(r.values, config.expressions)) as Settings;
    resources[r.type] = comparable(r.type, settings, applied.outputs.cloudfront_distribution_arn);
  }
  const dependencies = applied.configuration
    .filter((c) => c.mode === 'managed' && resources[c.type])
    .flatMap((c) => (c.depends_on ?? []).map((d) => `${c.type} -> ${d.split('.')[0]}`))
    .sort();
  const policy = (name: string) =>
    normalizePolicy(
      JSON.parse(withoutDistribution(applied.outputs[name] as string, applied.outputs.cloudfront_distribution_arn)) as PolicyDocument,
    );
  return {
    tool: 'terraform',
    resources,
    dependencies,
    policies: { bucket: policy('bucket_policy_json'), app: policy('app_policy_json'), trust: policy('app_trust_policy_json') },
  };
}

export async function pulumiSnapshot(args: ImageBucketArgs): Promise<InfraSnapshot> {
  const { component, recorded } = await runPulumiComponent(args);
  const distributionArn = await resolve(component.cloudfrontDistributionArn);
  const resources: Record<string, Settings> = {};
  const typeOfName = new Map(recorded.map((r) => [r.name, PULUMI_TO_TF[r.type] ?? r.type]));
  for (const r of recorded) {
    const tfType = PULUMI_TO_TF[r.type];
    if (!tfType) throw new Error(`no Terraform type mapped for Pulumi type ${r.type}`);
    resources[tfType] = comparable(tfType, canonical(await resolvedInputs(r)) as Settings, distributionArn);
  }
  const dependencies = recorded.flatMap((r) => r.dependsOn.map((d) => `${typeOfName.get(r.name)} -> ${typeOfName.get(d)}`)).sort();
  const policy = async (json: Promise<string>) =>
    normalizePolicy(JSON.parse(withoutDistribution(await json, distributionArn)) as PolicyDocument);
  return {
    tool: 'pulumi',
    resources,
    dependencies,
    policies: {
      bucket: await policy(resolve(component.bucketPolicyJson)),
      app: await policy(resolve(component.appPolicyJson)),
      trust: await policy(resolve(component.appTrustPolicyJson)),
    },
  };
}

/** Every difference between two snapshots, as readable lines; empty when they are equivalent. */
export function compareSnapshots(tf: InfraSnapshot, pu: InfraSnapshot): string[] {
  const diffs: string[] = [];
  const tfTypes = Object.keys(tf.resources).sort();
  const puTypes = Object.keys(pu.resources).sort();
  for (const t of tfTypes) if (!puTypes.includes(t)) diffs.push(`${t}: created by Terraform only`);
  for (const t of puTypes) if (!tfTypes.includes(t)) diffs.push(`${t}: created by Pulumi only`);
  for (const t of tfTypes.filter((x) => puTypes.includes(x))) diffs.push(...diffValues(`${t}`, tf.resources[t], pu.resources[t]));
  if (JSON.stringify(tf.dependencies) !== JSON.stringify(pu.dependencies)) {
    diffs.push(`explicit dependencies differ: terraform [${tf.dependencies.join(', ')}], pulumi [${pu.dependencies.join(', ')}]`);
  }
  // Statements are matched by Sid, so a difference names the statement rather than a position.
  const bySid = (doc: PolicyDocument) => Object.fromEntries(doc.Statement.map((st, i) => [st.Sid ?? `#${i}`, st]));
  for (const name of ['bucket', 'app', 'trust'] as const) {
    diffs.push(...diffValues(`${name} policy`, bySid(tf.policies[name]), bySid(pu.policies[name])));
  }
  return diffs;
}

function diffValues(path: string, a: unknown, b: unknown): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length)
      return [`${path}: terraform ${JSON.stringify(a)}, pulumi ${JSON.stringify(b)}`];
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffValues(`${path}.${k}`, (a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return [`${path}: terraform ${JSON.stringify(a)}, pulumi ${JSON.stringify(b)}`];
}
