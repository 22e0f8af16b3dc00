/**
 * What real terraform says when the module is given bad inputs: each case becomes a one-run test file
 * (`command = plan`, the shared mock provider), run together with `terraform test -json`, and the error
 * diagnostics of each case are collected. A failed run skips the runs after it in the same file, so every
 * case gets its own file.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModuleInputs } from '../support/scenarios';
import { createTerraformWorkspace } from '../support/terraform';

const MODULE = 'modules/image-bucket';

/** For each case, the messages of the errors terraform reports (empty when it accepts the inputs). */
export async function terraformRefusals(cases: ModuleInputs[]): Promise<string[][]> {
  const tf = await createTerraformWorkspace();
  try {
    const dir = path.join(tf.dir, MODULE, 'refusals');
    await mkdir(dir);
    await Promise.all(cases.map((inputs, i) => writeFile(path.join(dir, `case_${i}.tftest.hcl`), testFile(inputs))));
    await tf.run(MODULE, ['init', '-backend=false', '-input=false']);
    const result = await tf.run(MODULE, ['test', '-json', '-test-directory=refusals'], { allowExitCodes: [0, 1] });
    const messages = cases.map((): string[] => []);
    for (const line of result.stdout.split('\n').filter(Boolean)) {
      const event = JSON.parse(line) as {
        type: string;
        '@testfile'?: string;
        diagnostic?: { severity: string; detail?: string; summary: string };
      };
      if (event.type !== 'diagnostic' || event.diagnostic?.severity !== 'error' || !event['@testfile']) continue;
      const index = Number(/case_(\d+)\.tftest\.hcl$/.exec(event['@testfile'])?.[1]);
      // The detail is the rule's own error_message, then where the rule is.
      messages[index]!.push((event.diagnostic.detail || event.diagnostic.summary).split('\n\n')[0]!);
    }
    return messages;
  } finally {
    await tf.remove();
  }
}

/** Values as HCL: JSON is valid HCL expression syntax for every type a variable takes. */
const testFile = (inputs: ModuleInputs) =>
  [
    'mock_provider "aws" {',
    '  source = "./tests/mocks"',
    '}',
    '',
    'run "refused" {',
    '  command = plan',
    '  variables {',
    ...Object.entries(inputs).map(([name, value]) => `    ${name} = ${JSON.stringify(value)}`),
    '  }',
    '}',
    '',
  ].join('\n');
