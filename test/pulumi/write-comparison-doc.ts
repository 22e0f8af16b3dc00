/**
 * Regenerates the tables of docs/iac-comparison.md (between the BEGIN/END markers) from the parity
 * data: the type mapping, the settings each resource is compared on, the policy statements, and the
 * size of each codebase. The prose around them is written by hand. Needs terraform and moto_server:
 *   npx tsx test/pulumi/write-comparison-doc.ts
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT as ROOT } from '../support/constants';
import { runEndTasks } from '../support/run-end';
import { SCENARIOS } from '../support/scenarios';
import { appliedModule } from '../terraform/applied-module';
import { TYPE_MAP, compareSnapshots, pulumiSnapshot, terraformSnapshot, toPulumiArgs, type InfraSnapshot } from './parity-snapshot';

export const COMPARISON_DOC = path.join(ROOT, 'docs', 'iac-comparison.md');
const BEGIN = '<!-- BEGIN GENERATED: parity tables -->';
const END = '<!-- END GENERATED: parity tables -->';

const leafPaths = (value: unknown, prefix = ''): string[] => {
  if (Array.isArray(value))
    return value.length && typeof value[0] === 'object' ? [...new Set(value.flatMap((v) => leafPaths(v, prefix)))] : [prefix];
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${prefix} {}`];
    return entries.flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
};

const lines = (dir: string, ext: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .reduce(
      (n, f) =>
        n +
        readFileSync(path.join(dir, f), 'utf8')
          .split('\n')
          .filter((l) => l.trim() && !/^\s*(#|\/\/|\*|\/\*\*)/.test(l)).length,
      0,
    );

export function renderTables(tf: InfraSnapshot, pu: InfraSnapshot): string {
  const diffs = compareSnapshots(tf, pu);
  const rows = Object.entries(TYPE_MAP).map(([tfType, puType]) => {
    const settings = leafPaths(tf.resources[tfType] ?? {})
      .map((p) => `\`${p.trim()}\``)
      .join(', ');
    const same = diffs.some((d) => d.startsWith(`${tfType}`)) ? 'differs' : 'same';
    return `| \`${tfType}\` | \`${puType.split(':').pop()}\` (\`${puType}\`) | ${settings} | ${same} |`;
  });
  const policyRows = (['bucket', 'app', 'trust'] as const).map((name) => {
    const sids = tf.policies[name].Statement.map((s) => s.Sid ?? '(no Sid)').join(', ');
    const same = diffs.some((d) => d.startsWith(`${name} policy`)) ? 'differs' : 'same';
    return `| ${name} | ${sids} | ${same} |`;
  });
  const moduleLines = lines(path.join(ROOT, 'terraform', 'modules', 'image-bucket'), '.tf');
  const pulumiLines = lines(path.join(ROOT, 'pulumi'), '.ts');
  return [
    BEGIN,
    '',
    '## Resources, compared setting by setting',
    '',
    'Every setting below is compared by `test/pulumi/parity.spec.ts`, for four input sets (defaults, public',
    'read off, KMS, everything switched): on the Terraform side, the values real Terraform applied (against',
    'moto) for exactly the arguments the module sets; on the Pulumi side, the inputs the component registers.',
    "Settings use Terraform's names; Pulumi's camelCase and plural block names (`rules`, `corsRules`) are",
    'mapped onto them.',
    '',
    '| Terraform | Pulumi | settings compared | result |',
    '|---|---|---|---|',
    ...rows,
    '',
    '## Policy documents, compared statement by statement',
    '',
    '| policy | statements | result |',
    '|---|---|---|',
    ...policyRows,
    '',
    `Explicit ordering, in both: ${tf.dependencies.map((d) => `\`${d}\``).join('; ')}.`,
    '',
    `Size (non-blank, non-comment lines): Terraform module ${moduleLines} lines of HCL; Pulumi component, validation and program ${pulumiLines} lines of TypeScript.`,
    '',
    END,
  ].join('\n');
}

export async function generateComparisonDoc(current = readFileSync(COMPARISON_DOC, 'utf8')): Promise<string> {
  // Every optional resource is on in this scenario, so every mapped type appears.
  const scenario = 'everything-switched';
  const tables = renderTables(terraformSnapshot(await appliedModule(scenario)), await pulumiSnapshot(toPulumiArgs(SCENARIOS[scenario])));
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start < 0 || end < 0) throw new Error(`${COMPARISON_DOC} lacks its generated-table markers`);
  return current.slice(0, start) + tables + current.slice(end + END.length);
}

if (require.main === module) {
  void generateComparisonDoc()
    .then((doc) => {
      writeFileSync(COMPARISON_DOC, doc);
      console.log(`updated ${path.relative(process.cwd(), COMPARISON_DOC)}`);
    })
    .finally(runEndTasks);
}
