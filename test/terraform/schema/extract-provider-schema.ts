/**
 * Makes the committed AWS provider schema fixtures (test/terraform/schema/aws-*.x.json): the 6.x one that
 * check-schema.ts validates against (no 6.x provider binary exists on the project's machines), and the 5.x
 * one that proves the extraction faithful by agreeing with the real 5.100.0 provider's schema.
 *
 * The CDK for Terraform provider packages are generated from the provider's own schema and ship it,
 * as a jsii assembly (.jsii), inside their npm tarball. This script `npm pack`s each package into a
 * temporary folder (never a dependency: they are ~0.5 GB unpacked), reads the assembly and keeps
 * only the resource and data source types this repository uses.
 *
 *   npx tsx test/terraform/schema/extract-provider-schema.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
export const SCHEMA_DIR = __dirname;

/** One package per provider major version the module supports (versions.tf: >= 5.0, < 7.0). */
const PACKAGES = [
  { spec: '@cdktf/provider-aws@20.1.0', major: 5 }, // AWS provider 5.100.0, the last 5.x build
  { spec: '@cdktn/provider-aws@25.7.0', major: 6 }, // AWS provider 6.x (CDKTF's maintained fork)
];

export interface BlockSchema {
  attributes: Record<string, { required: boolean }>;
  blocks: Record<string, BlockSchema & { required: boolean }>;
}

export interface TypeSchema extends BlockSchema {
  /** Read-only attributes that can be referenced (arn, id, ...). */
  computed: string[];
}

export interface ProviderSchema {
  provider_version: string;
  source_package: string;
  provider: BlockSchema;
  resources: Record<string, TypeSchema>;
  data_sources: Record<string, TypeSchema>;
}

interface JsiiType {
  fqn: string;
  kind: 'class' | 'interface' | 'enum';
  datatype?: boolean;
  docs?: { summary?: string };
  initializer?: { parameters?: { name: string; type: JsiiTypeRef }[] };
  properties?: { name: string; optional?: boolean; static?: boolean; type: JsiiTypeRef; docs?: { summary?: string } }[];
  interfaces?: string[];
}
type JsiiTypeRef = {
  fqn?: string;
  primitive?: string;
  collection?: { elementtype: JsiiTypeRef; kind: string };
  union?: { types: JsiiTypeRef[] };
};

const snake = (camel: string) => camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** The Terraform types the repository's .tf files declare (so the fixture grows with the code). */
export function usedTypes(dir = path.join(ROOT, 'terraform')): { resources: Set<string>; data: Set<string> } {
  const resources = new Set<string>();
  const data = new Set<string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) {
        if (name !== '.terraform') walk(full);
      } else if (name.endsWith('.tf')) {
        const src = readFileSync(full, 'utf8');
        for (const m of src.matchAll(/^\s*resource\s+"([^"]+)"/gm)) resources.add(m[1]!);
        for (const m of src.matchAll(/^\s*data\s+"([^"]+)"/gm)) data.add(m[1]!);
      }
    }
  };
  walk(dir);
  return { resources, data };
}

function extract(assembly: { types: Record<string, JsiiType> }, pkg: string): ProviderSchema {
  const types = assembly.types;
  const wanted = usedTypes();
  const out: ProviderSchema = {
    provider_version: '',
    source_package: pkg,
    provider: { attributes: {}, blocks: {} },
    resources: {},
    data_sources: {},
  };

  const datatypeOf = (ref: JsiiTypeRef): JsiiType | undefined => {
    if (ref.fqn && types[ref.fqn]?.datatype) return types[ref.fqn];
    if (ref.collection) return datatypeOf(ref.collection.elementtype);
    if (ref.union)
      for (const t of ref.union.types) {
        const found = datatypeOf(t);
        if (found) return found;
      }
    return undefined;
  };

  const block = (iface: JsiiType): BlockSchema => {
    const schema: BlockSchema = { attributes: {}, blocks: {} };
    for (const prop of iface.properties ?? []) {
      // The generated docs link to the registry anchor, which is the schema's own snake_case name.
      const anchor = /#([a-z0-9_]+)[ }]/.exec(prop.docs?.summary ?? '')?.[1];
      const name = anchor ?? snake(prop.name);
      const nested = datatypeOf(prop.type);
      if (nested && !nested.fqn.startsWith('cdktn.') && !nested.fqn.startsWith('cdktf.')) {
        schema.blocks[name] = { ...block(nested), required: !prop.optional };
      } else {
        schema.attributes[name] = { required: !prop.optional };
      }
    }
    return schema;
  };

  for (const type of Object.values(types)) {
    if (type.kind !== 'class') continue;
    const m = /\/providers\/hashicorp\/aws\/([0-9.]+)\/docs(?:\/(resources|data-sources)\/\S+ (\w+)\}|(\S*) aws\})/.exec(
      type.docs?.summary ?? '',
    );
    const configRef = type.initializer?.parameters?.find((p) => p.name === 'config')?.type.fqn;
    if (!m || !configRef) continue;
    out.provider_version = m[1]!;
    const config = types[configRef]!;
    if (!m[2]) {
      if (type.fqn.endsWith('.AwsProvider')) out.provider = block(config);
      continue;
    }
    const tfType = m[3]!;
    const isData = m[2] === 'data-sources';
    if (!(isData ? wanted.data : wanted.resources).has(tfType)) continue;
    const configNames = new Set((config.properties ?? []).map((p) => p.name));
    const computed = (type.properties ?? [])
      .filter((p) => !p.static && !p.name.endsWith('Input') && p.name !== 'tfResourceType')
      .filter((p) => !configNames.has(p.name) || !datatypeOf(p.type))
      .map((p) => snake(p.name));
    (isData ? out.data_sources : out.resources)[tfType] = { ...block(config), computed: [...new Set(computed)].sort() };
  }
  for (const t of wanted.resources) if (!out.resources[t]) throw new Error(`${pkg}: no resource ${t} in the assembly`);
  for (const t of wanted.data) if (!out.data_sources[t]) throw new Error(`${pkg}: no data source ${t} in the assembly`);
  return out;
}

function main() {
  for (const { spec, major } of PACKAGES) {
    const work = mkdtempSync(path.join(tmpdir(), 'provider-schema-'));
    try {
      console.log(`npm pack ${spec} ...`);
      const tarball = execFileSync('npm', ['pack', spec, '--pack-destination', work, '--silent'], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .pop()!;
      execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', work, 'package/.jsii']);
      const assembly = JSON.parse(readFileSync(path.join(work, 'package', '.jsii'), 'utf8'));
      const schema = extract(assembly, spec);
      const file = path.join(SCHEMA_DIR, `aws-${major}.x.json`);
      writeFileSync(file, `${JSON.stringify(schema, null, 1)}\n`);
      console.log(
        `${file}: AWS provider ${schema.provider_version}, ${Object.keys(schema.resources).length} resources, ${Object.keys(schema.data_sources).length} data sources`,
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}

if (require.main === module) main();
