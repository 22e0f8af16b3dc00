/**
 * Runs a module's `terraform test` files through the offline planner: each run's variables are
 * planned, each assertion evaluated, each expect_failures checked. It cannot replace
 * `terraform test` (no provider, mocked values are our planner's), but it catches a wrong assertion,
 * a wrong expectation or a module change that breaks a test, here and now.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadTerraformConfig, parseHcl, type Body, type TerraformConfig } from './config';
import { ExpressionError, evaluate, parseJsonValue, type Scope, type Value } from './expression';
import { SAMPLE_CONTEXT } from '../sample-account';
import { PlanError, planConfig, type Plan, type PlanContext } from './plan';

export interface RunResult {
  file: string;
  run: string;
  problems: string[];
}


function scopeOf(plan: Plan, config: TerraformConfig): Scope {
  const byType = (mode: 'resource' | 'data') => {
    const out: Record<string, Record<string, Value>> = {};
    // A counted resource with count = 0 is still referable, as an empty list.
    for (const b of config.blocks.filter((x) => x.mode === mode && 'count' in x.body)) (out[b.type] ??= {})[b.name] = [];
    for (const r of plan.resources.filter((x) => x.mode === mode)) {
      out[r.type] ??= {};
      if (r.index === undefined) out[r.type]![r.name] = r.values;
      else out[r.type]![r.name] = [...((out[r.type]![r.name] as Value[] | undefined) ?? []), r.values];
    }
    return out;
  };
  const resources = byType('resource');
  const data = byType('data');
  return (root) => {
    if (root === 'var') return plan.variables;
    if (root === 'output') return plan.outputs;
    if (root === 'data') return data;
    if (root in resources) return resources[root]!;
    throw new ExpressionError(`unknown reference ${root}`);
  };
}

export async function runTestFile(moduleDir: string, file: string, context: PlanContext = SAMPLE_CONTEXT): Promise<RunResult[]> {
  const config = await loadTerraformConfig(moduleDir);
  const json = await parseHcl(path.basename(file), await readFile(file, 'utf8'));
  const fileVariables = evaluateVariables(((json.variables as Body[] | undefined) ?? [])[0]);
  const results: RunResult[] = [];

  for (const [name, blocks] of Object.entries((json.run as Body) ?? {})) {
    const run = (blocks as Body[])[0]!;
    const variables = { ...fileVariables, ...evaluateVariables(((run.variables as Body[] | undefined) ?? [])[0]) };
    const problems: string[] = [];
    const expected = ((run.expect_failures as string[] | undefined) ?? []).map((e) => e.replace(/^\$\{|\}$/g, ''));
    let plan: Plan | undefined;
    try {
      plan = await planConfig(config, variables, context);
    } catch (err) {
      if (!(err instanceof PlanError)) throw err;
      if (expected.length === 0) problems.push(`plan failed: ${err.message}`);
      else {
        const matches = (failure: string, target: string) =>
          target.startsWith('var.') ? failure.startsWith(`${target.slice(4)}: `) : failure.startsWith(`${target}:`);
        for (const target of expected) {
          if (!err.failures.some((f) => matches(f, target))) problems.push(`expected ${target} to fail; failures were: ${err.failures.join(' | ')}`);
        }
        for (const failure of err.failures) {
          if (!expected.some((t) => matches(failure, t))) problems.push(`unexpected failure: ${failure}`);
        }
      }
    }
    if (plan && expected.length > 0) problems.push(`expected failures of ${expected.join(', ')}, but the plan succeeded`);
    if (plan) {
      const scope = scopeOf(plan, config);
      for (const assertion of (run.assert as Body[] | undefined) ?? []) {
        try {
          if (evaluate(parseJsonValue(assertion.condition!), scope) !== true) problems.push(`assertion failed: ${assertion.error_message}`);
        } catch (err) {
          problems.push(`assertion could not be evaluated (${(err as Error).message}): ${assertion.error_message}`);
        }
      }
    }
    results.push({ file, run: name, problems });
  }
  return results;
}

function evaluateVariables(block: Body | undefined): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [key, value] of Object.entries(block ?? {})) {
    out[key] = evaluate(parseJsonValue(value), (root) => {
      throw new ExpressionError(`test variables must be literals, found a reference to ${root}`);
    });
  }
  return out;
}
