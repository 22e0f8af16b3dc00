/**
 * The module as real Terraform applies it: for each scenario (test/support/scenarios.ts), a module call with
 * the scenario's inputs, planned and applied with the real AWS provider against a moto server of its own
 * (the scenarios reuse bucket and role names). What Terraform produced (the state's attribute values, the
 * saved plan's configuration, the module's outputs) is what the authorization matrix and the parity test
 * examine.
 *
 * The apply takes over a minute, most of it the provider waiting for the lifecycle configuration to settle,
 * so it starts as soon as a spec asks for it (at load time) and overlaps the rest of the run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SAMPLE_REGION } from '../support/constants';
import { MOTO_CREDENTIALS, motoInstalled, startMoto, type Moto } from '../support/moto';
import { atRunEnd } from '../support/run-end';
import { SCENARIO_NAMES, SCENARIOS, type ModuleInputs, type ScenarioName } from '../support/scenarios';
import { createTerraformWorkspace, terraformInstalled } from '../support/terraform';

/** A managed resource instance of the module, as `terraform show -json` reports it after the apply. */
export interface StateResource {
  address: string;
  type: string;
  name: string;
  index?: number | string;
  values: Record<string, unknown>;
}

/** A resource block of the module, as the saved plan's `configuration` reports it. */
export interface ConfiguredResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  /** Argument name -> expression; nested blocks are arrays of such objects. */
  expressions: Record<string, unknown>;
  depends_on?: string[];
}

/** A change a plan proposes: the resource, the actions, and the attribute paths whose values differ. */
export interface PlannedChange {
  address: string;
  actions: string[];
  paths: string[];
}

export interface AppliedModule {
  scenario: ScenarioName;
  inputs: ModuleInputs;
  /** The module's outputs, by name. */
  outputs: Record<string, unknown>;
  resources: StateResource[];
  configuration: ConfiguredResource[];
  /** What a `terraform plan` right after the apply would change in this scenario's module (empty: converged). */
  replanChanges: PlannedChange[];
  /** What the state still lists after `terraform destroy` (of all scenarios together). */
  leftAfterDestroy: string[];
}

let allApplied: Promise<Map<ScenarioName, AppliedModule>> | undefined;

export const canApplyModule = (): boolean => terraformInstalled() && motoInstalled();

/** Starts the applies in the background (no-op without terraform or moto: the specs then skip). */
export function startScenarioApplies(): void {
  if (canApplyModule()) void applyAll().catch(() => undefined);
}

/** The module applied with one scenario's inputs; applied once per run and shared by every spec. */
export async function appliedModule(scenario: ScenarioName): Promise<AppliedModule> {
  return (await applyAll()).get(scenario)!;
}

/**
 * One root with one module call per scenario, each through its own provider configuration pointed at its own
 * moto: one init, one plan, one apply, so the scenarios share one provider process and wait out the lifecycle
 * settling together.
 */
function applyAll(): Promise<Map<ScenarioName, AppliedModule>> {
  allApplied ??= (async () => {
    const tf = await createTerraformWorkspace();
    atRunEnd(() => tf.remove());
    const motos = new Map<ScenarioName, Moto>();
    for (const scenario of SCENARIO_NAMES) {
      const moto = await startMoto();
      atRunEnd(() => moto.stop());
      motos.set(scenario, moto);
    }
    const dir = 'scenarios';
    await mkdir(path.join(tf.dir, dir));
    await writeFile(path.join(tf.dir, dir, 'main.tf.json'), JSON.stringify(scenariosRoot(motos), null, 2));

    await tf.run(dir, ['init', '-input=false']);
    await tf.run(dir, ['plan', '-input=false', '-out=tfplan']);
    const timed = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
      const started = Date.now();
      const result = await run();
      console.log(
        `      terraform ${what} of ${SCENARIO_NAMES.length} scenarios against moto: ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      return result;
    };
    await timed('apply', () => tf.run(dir, ['apply', '-input=false', 'tfplan']));
    const plan = JSON.parse((await tf.run(dir, ['show', '-json', 'tfplan'])).stdout) as ShowPlan;
    const state = JSON.parse((await tf.run(dir, ['show', '-json'])).stdout) as ShowState;
    const outputs = JSON.parse((await tf.run(dir, ['output', '-json'])).stdout) as Record<string, { value: Record<string, unknown> }>;
    // Converged: a second plan finds nothing to change (exit 0; 2 means changes). Then everything goes.
    await timed('re-plan', () => tf.run(dir, ['plan', '-input=false', '-lock=false', '-out=replan']));
    const replan = JSON.parse((await tf.run(dir, ['show', '-json', 'replan'])).stdout) as ShowReplan;
    await timed('destroy', () => tf.run(dir, ['destroy', '-input=false', '-auto-approve']));
    const leftAfterDestroy = (await tf.run(dir, ['state', 'list'])).stdout.split('\n').filter(Boolean);

    return new Map(
      SCENARIO_NAMES.map((scenario) => [
        scenario,
        {
          scenario,
          inputs: SCENARIOS[scenario],
          outputs: outputs[scenario]!.value,
          resources: (state.values.root_module.child_modules ?? [])
            .find((m) => m.address === `module.${scenario}`)!
            .resources.filter((r) => r.mode === 'managed'),
          configuration: plan.configuration.root_module.module_calls[scenario]!.module.resources,
          replanChanges: (replan.resource_changes ?? [])
            .filter(
              (c) => c.module_address === `module.${scenario}` && c.mode === 'managed' && !c.change.actions.every((a) => a === 'no-op'),
            )
            .map((c) => ({
              address: c.address.replace(/^module\.[\w-]+\./, ''),
              actions: c.change.actions,
              paths: differences(c.change.before, c.change.after, c.change.after_unknown),
            })),
          leftAfterDestroy,
        },
      ]),
    );
  })();
  return allApplied;
}

/** A root module in Terraform's JSON syntax: each scenario's module call, through a provider pointed at its moto. */
function scenariosRoot(motos: Map<ScenarioName, Moto>) {
  const provider = (alias: string, moto: Moto) => ({
    alias,
    region: SAMPLE_REGION,
    access_key: MOTO_CREDENTIALS.accessKeyId,
    secret_key: MOTO_CREDENTIALS.secretAccessKey,
    skip_credentials_validation: true,
    skip_metadata_api_check: true,
    skip_requesting_account_id: true,
    s3_use_path_style: true,
    endpoints: { s3: moto.endpoint, iam: moto.endpoint, sts: moto.endpoint, cloudfront: moto.endpoint },
  });
  // A scenario's access-log bucket exists, and lets S3's logging service write, before the module names it (as
  // in an account; S3 refuses a logging target that does not). The module's input refers to the policy, so
  // Terraform creates the bucket and its policy first.
  const logBuckets = SCENARIO_NAMES.filter((scenario) => 'access_logs' in SCENARIOS[scenario]);
  const logBucketOf = (scenario: ScenarioName) =>
    (SCENARIOS[scenario] as { access_logs: { target_bucket: string } }).access_logs.target_bucket;
  const inputsOf = (scenario: ScenarioName): ModuleInputs =>
    logBuckets.includes(scenario)
      ? {
          ...SCENARIOS[scenario],
          access_logs: {
            ...(SCENARIOS[scenario] as ModuleInputs).access_logs!,
            target_bucket: `\${aws_s3_bucket_policy.${scenario}_logs.bucket}`,
          },
        }
      : SCENARIOS[scenario];
  const logDelivery = (bucket: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${bucket}/*`,
        },
      ],
    });
  return {
    provider: { aws: [...motos].map(([scenario, moto]) => provider(scenario, moto)) },
    ...(logBuckets.length > 0 && {
      resource: {
        aws_s3_bucket: Object.fromEntries(
          logBuckets.map((scenario) => [
            `${scenario}_logs`,
            { provider: `aws.${scenario}`, bucket: logBucketOf(scenario), force_destroy: true },
          ]),
        ),
        aws_s3_bucket_policy: Object.fromEntries(
          logBuckets.map((scenario) => [
            `${scenario}_logs`,
            {
              provider: `aws.${scenario}`,
              bucket: `\${aws_s3_bucket.${scenario}_logs.id}`,
              policy: logDelivery(logBucketOf(scenario)),
            },
          ]),
        ),
      },
    }),
    module: Object.fromEntries(
      SCENARIO_NAMES.map((scenario) => [
        scenario,
        { source: '../modules/image-bucket', providers: { aws: `aws.${scenario}` }, ...inputsOf(scenario) },
      ]),
    ),
    // Each module object whole: every output, by name.
    output: Object.fromEntries(SCENARIO_NAMES.map((scenario) => [scenario, { value: `\${module.${scenario}}` }])),
  };
}

/** The attribute paths (blocks' indexes left out) whose values differ, or become unknown, between two states. */
function differences(before: unknown, after: unknown, unknown: unknown, path = ''): string[] {
  if (unknown === true) return [path];
  if (before && after && typeof before === 'object' && typeof after === 'object') {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((k) => {
      const sub = Array.isArray(before) ? path : path ? `${path}.${k}` : k;
      return differences(
        (before as Record<string, unknown>)[k],
        (after as Record<string, unknown>)[k],
        (unknown as Record<string, unknown> | undefined)?.[k],
        sub,
      );
    });
  }
  return JSON.stringify(before ?? null) === JSON.stringify(after ?? null) ? [] : [path];
}

interface ShowReplan {
  resource_changes?: {
    address: string;
    module_address?: string;
    mode: string;
    change: { actions: string[]; before: unknown; after: unknown; after_unknown: unknown };
  }[];
}

interface ShowState {
  values: { root_module: { child_modules?: { address: string; resources: (StateResource & { mode: string })[] }[] } };
}

interface ShowPlan {
  configuration: { root_module: { module_calls: Record<string, { module: { resources: ConfiguredResource[] } }> } };
}
