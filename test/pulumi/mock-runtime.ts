/**
 * Runs Pulumi code under the SDK's mock runtime (no CLI, no engine, no cloud) and records every
 * resource the way the engine would receive it: type, name, inputs, parent and dependsOn.
 */
import * as pulumi from '@pulumi/pulumi';
import type { ImageBucketArgs } from '../../pulumi/args';
import { ImageBucket } from '../../pulumi/image-bucket';
import { SAMPLE_ACCOUNT_ID, SAMPLE_DISTRIBUTION_DOMAIN, SAMPLE_DISTRIBUTION_ID, SAMPLE_REGION } from '../support/constants';

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, any>;
  /** Logical names of explicit dependsOn targets. */
  dependsOn: string[];
  parent?: string;
}

let installed = false;

/** The attributes AWS computes, invented in AWS's formats so policies and URLs look real. */
function computedState(type: string, name: string, inputs: Record<string, any>): { id: string; state: Record<string, any> } {
  switch (type) {
    case 'aws:s3/bucket:Bucket': {
      const bucket = inputs.bucket ?? name;
      return {
        id: bucket,
        state: {
          ...inputs,
          bucket,
          arn: `arn:aws:s3:::${bucket}`,
          bucketRegionalDomainName: `${bucket}.s3.${SAMPLE_REGION}.amazonaws.com`,
        },
      };
    }
    // IAM puts a role's or policy's path into its ARN.
    case 'aws:iam/role:Role':
      return { id: inputs.name, state: { ...inputs, arn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:role${inputs.path ?? '/'}${inputs.name}` } };
    case 'aws:iam/policy:Policy': {
      const arn = `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:policy${inputs.path ?? '/'}${inputs.name}`;
      return { id: arn, state: { ...inputs, arn } };
    }
    case 'aws:cloudfront/distribution:Distribution':
      return {
        id: SAMPLE_DISTRIBUTION_ID,
        state: {
          ...inputs,
          arn: `arn:aws:cloudfront::${SAMPLE_ACCOUNT_ID}:distribution/${SAMPLE_DISTRIBUTION_ID}`,
          domainName: SAMPLE_DISTRIBUTION_DOMAIN,
        },
      };
    case 'aws:iam/instanceProfile:InstanceProfile':
      return {
        id: inputs.name,
        state: { ...inputs, arn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:instance-profile${inputs.path ?? '/'}${inputs.name}` },
      };
    default:
      return { id: `${name}-id`, state: inputs };
  }
}

/** Installs the mocks once per process (Pulumi's runtime state is global). */
export async function installMocks(project = 'image-bucket', stack = 'test'): Promise<void> {
  if (installed) return;
  installed = true;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => computedState(args.type, args.name, args.inputs),
      // The component's only data sources: who and where the deployment runs.
      call: (args) => {
        switch (args.token) {
          case 'aws:index/getCallerIdentity:getCallerIdentity':
            return {
              accountId: SAMPLE_ACCOUNT_ID,
              arn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:user/test`,
              userId: 'test',
              id: SAMPLE_ACCOUNT_ID,
            };
          case 'aws:index/getPartition:getPartition':
            return { partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws' };
          case 'aws:index/getRegion:getRegion':
            return { name: SAMPLE_REGION, region: SAMPLE_REGION, id: SAMPLE_REGION };
          default:
            throw new Error(`unexpected invoke ${args.token}`);
        }
      },
    },
    project,
    stack,
    false,
  );
}

/** A transformation that records each cloud resource under a component, with its explicit dependencies. */
export function recordingTransformation(into: RecordedResource[]): pulumi.ResourceTransformation {
  const names = new WeakMap<pulumi.Resource, string>();
  return (args) => {
    names.set(args.resource, args.name);
    const dependsOn = ([] as pulumi.Input<pulumi.Resource>[])
      .concat((args.opts.dependsOn as pulumi.Input<pulumi.Resource>[] | pulumi.Input<pulumi.Resource> | undefined) ?? [])
      .map((r) => names.get(r as pulumi.Resource) ?? '(unknown)');
    const parent = args.opts.parent ? names.get(args.opts.parent) : undefined;
    // Only cloud resources are recorded; component resources are Pulumi's own grouping.
    if (args.resource instanceof pulumi.CustomResource)
      into.push({ type: args.type, name: args.name, inputs: args.props, dependsOn, parent });
    return undefined;
  };
}

/** Resolves an Output (or a plain value, or a nested structure of them) to its value under mocks. */
export async function resolve<T>(value: pulumi.Input<T> | undefined): Promise<T> {
  const output = pulumi.output(value) as pulumi.Output<T>;
  return new Promise<T>((done) => output.apply((v) => (done(v as T), v)));
}

/** Resolves every input of a recorded resource (Outputs inside arrays and objects included). */
export async function resolvedInputs(resource: RecordedResource): Promise<Record<string, any>> {
  return resolve(pulumi.output(resource.inputs) as pulumi.Output<Record<string, any>>);
}

let componentCounter = 0;

/** Builds the ImageBucket component under the mocks and records every cloud resource it registers. */
export async function runPulumiComponent(args: ImageBucketArgs): Promise<{ component: ImageBucket; recorded: RecordedResource[] }> {
  await installMocks();
  const recorded: RecordedResource[] = [];
  const component = new ImageBucket(`images${++componentCounter}`, args, { transformations: [recordingTransformation(recorded)] });
  await resolve(component.appPolicyJson); // resolves once every resource is registered
  return { component, recorded };
}
