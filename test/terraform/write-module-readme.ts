/**
 * Regenerates the inputs and outputs tables of terraform/modules/image-bucket/README.md from the
 * module's own variables.tf and outputs.tf (between the BEGIN/END markers), as terraform-docs would.
 *   npx tsx test/terraform/write-module-readme.ts
 * A test fails when the committed tables are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MODULE_DIR } from '../support/constants';
import { loadTerraformConfig } from './schema/hcl-config';

export const README = path.join(MODULE_DIR, 'README.md');
const BEGIN = '<!-- BEGIN GENERATED TABLES -->';
const END = '<!-- END GENERATED TABLES -->';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const code = (value: unknown) => `\`${cell(JSON.stringify(value))}\``;

export async function renderTables(): Promise<string> {
  const config = await loadTerraformConfig(MODULE_DIR);
  const inputs = [...config.variables.values()].sort((a, b) => a.name.localeCompare(b.name));
  const outputs = [...config.outputs.entries()].sort(([a], [b]) => a.localeCompare(b));
  return [
    BEGIN,
    '## Inputs',
    '',
    '| Name | Description | Type | Default | Required |',
    '|------|-------------|------|---------|:--------:|',
    ...inputs.map((v) => {
      // One line: a multi-line type (an object's attributes) would end the table row.
      const type = String(v.body.type)
        .replace(/^\$\{|\}$/g, '')
        .replace(/\s*\n\s*/g, ' ');
      return `| ${v.name} | ${cell(String(v.body.description))} | \`${type}\` | ${v.hasDefault ? code(v.body.default) : 'n/a'} | ${v.hasDefault ? 'no' : 'yes'} |`;
    }),
    '',
    '## Outputs',
    '',
    '| Name | Description |',
    '|------|-------------|',
    ...outputs.map(([name, body]) => `| ${name} | ${cell(String(body.description))} |`),
    END,
  ].join('\n');
}

export async function renderReadme(current = readFileSync(README, 'utf8')): Promise<string> {
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start < 0 || end < 0) throw new Error(`${README} lacks the ${BEGIN} / ${END} markers`);
  return current.slice(0, start) + (await renderTables()) + current.slice(end + END.length);
}

if (require.main === module) {
  void renderReadme().then((text) => {
    writeFileSync(README, text);
    console.log(`updated ${path.relative(process.cwd(), README)}`);
  });
}
