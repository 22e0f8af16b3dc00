import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProviderSchema } from '../../scripts/extract-provider-schema';
import { checkFormat, checkParse, checkReferences, checkSchema, checkTestFiles, terraformFiles } from '../../tools/terraform/check';
import { loadTerraformConfig } from '../../tools/terraform/config';
import { runTestFile } from '../../tools/terraform/tftest';
import { README, renderReadme } from '../../scripts/write-module-readme';

const ROOT = path.join(__dirname, '..', '..');
const TERRAFORM = path.join(ROOT, 'terraform');
const MODULE = path.join(TERRAFORM, 'modules', 'image-bucket');
const BROKEN = path.join(ROOT, 'test', 'fixtures', 'terraform-broken');
const CONFIG_DIRS = ['modules/image-bucket', 'environments/localstack', 'environments/aws-example', 'example'].map((d) => path.join(TERRAFORM, d));

const schemas: ProviderSchema[] = ['aws-5.x.json', 'aws-6.x.json'].map((f) =>
  JSON.parse(readFileSync(path.join(ROOT, 'test', 'fixtures', 'provider-schema', f), 'utf8')),
);
const [schema5, schema6] = schemas as [ProviderSchema, ProviderSchema];
const broken = (name: string) => path.join(BROKEN, name);

describe('Terraform, checked offline', () => {
  it('the provider schema fixtures are the 5.x and 6.x majors the module allows', () => {
    expect(schema5.provider_version).to.match(/^5\./);
    expect(schema6.provider_version).to.match(/^6\./);
    expect(readFileSync(path.join(MODULE, 'versions.tf'), 'utf8')).to.match(/version = ">= 5\.0, < 7\.0"/);
  });

  describe('format (hclwrite, as terraform fmt)', () => {
    it('every .tf and .tftest.hcl file is canonical', async () => {
      const files = await terraformFiles(TERRAFORM);
      expect(files.filter((f) => f.endsWith('.tftest.hcl'))).to.have.length.greaterThan(0);
      expect(await checkFormat(files)).to.deep.equal([]);
    });
    it('catches a misaligned file', async () => {
      expect(await checkFormat([path.join(broken('unformatted'), 'main.tf')])).to.have.length(1);
    });
  });

  describe('parse (HashiCorp HCL parser)', () => {
    it('every file parses', async () => {
      expect(await checkParse(await terraformFiles(TERRAFORM))).to.deep.equal([]);
    });
    it('catches a syntax error, with its position', async () => {
      const problems = await checkParse([path.join(broken('syntax-error'), 'main.tf')]);
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(/main\.tf.*:\d+,\d+/);
    });
  });

  for (const schema of schemas) {
    describe(`schema and references against AWS provider ${schema.provider_version}`, () => {
      for (const dir of CONFIG_DIRS) {
        it(`${path.relative(TERRAFORM, dir)}: arguments, blocks and references are valid`, async () => {
          const config = await loadTerraformConfig(dir);
          expect(checkSchema(config, schema)).to.deep.equal([]);
          expect(await checkReferences(config, schema)).to.deep.equal([]);
        });
      }
    });
  }

  describe('each check catches its deliberate mistake', () => {
    const schemaProblems = async (name: string, schema = schema6) => checkSchema(await loadTerraformConfig(broken(name)), schema);
    const referenceProblems = async (name: string) => checkReferences(await loadTerraformConfig(broken(name)), schema6);

    it('a misspelled argument', async () => {
      expect(await schemaProblems('unknown-argument')).to.deep.equal([
        `[aws ${schema6.provider_version}] ${broken('unknown-argument')}/main.tf: aws_s3_bucket.this: unknown argument "bucket_nmae"`,
      ]);
    });
    it('a missing required block', async () => {
      const problems = await schemaProblems('missing-required');
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(/aws_s3_bucket_versioning\.this: missing required block "versioning_configuration"/);
    });
    it('a block written as an argument', async () => {
      expect((await schemaProblems('block-as-argument'))[0]).to.match(/"rule" is a block, not an argument/);
    });
    it('an argument that only exists in the other provider major', async () => {
      expect(await schemaProblems('aws-6-only', schema6)).to.deep.equal([]);
      expect((await schemaProblems('aws-6-only', schema5))[0]).to.match(/unknown argument "region"/);
    });
    it('undeclared variables, resources, attributes and locals', async () => {
      const problems = await referenceProblems('bad-references');
      expect(problems.map((p) => p.replace(/^.*?: /, ''))).to.have.members([
        'aws_s3_bucket.this: reference to undeclared variable var.undeclared',
        'aws_s3_bucket_policy.this: reference to undeclared resource aws_s3_bucket.missing',
        'aws_s3_bucket_policy.this: aws_s3_bucket.this has no attribute "no_such_attribute"',
        'aws_s3_bucket_policy.this: reference to undefined local.nope',
      ]);
    });
    it('a module call with an undeclared argument, a missing required one and an unknown output', async () => {
      const problems = (await referenceProblems('module-call')).map((p) => p.replace(/^.*?: /, ''));
      expect(problems).to.have.members([
        'module.image_bucket passes "bucket", which the module does not declare',
        'module.image_bucket does not set required variable "bucket_name"',
        'output.role: module.image_bucket has no output "no_such_output"',
      ]);
    });
  });

  describe('terraform test files (run offline through the planner)', () => {
    it('only set declared variables and assert on declared things', async () => {
      const files = (await terraformFiles(MODULE)).filter((f) => f.endsWith('.tftest.hcl'));
      expect(await checkTestFiles(MODULE, files)).to.deep.equal([]);
    });

    it('catch a wrong assertion and an expected failure that does not happen', async () => {
      const results = await runTestFile(MODULE, path.join(broken('bad-test'), 'wrong.tftest.hcl'));
      expect(results.map((r) => [r.run, r.problems])).to.deep.equal([
        ['claims_versioning_is_off', ['assertion failed: This assertion is wrong on purpose.']],
        ['expects_a_failure_that_does_not_happen', ['expected failures of var.bucket_name, but the plan succeeded']],
      ]);
    });
  });
});

describe('terraform/modules/image-bucket/README.md', () => {
  it("has the inputs and outputs tables of the module's current variables and outputs", async () => {
    expect(readFileSync(README, 'utf8'), 'stale: run npx tsx scripts/write-module-readme.ts').to.equal(await renderReadme());
  });

  it('every variable and output is described, and every variable typed', async () => {
    const config = await loadTerraformConfig(MODULE);
    for (const v of config.variables.values()) {
      expect(v.body.description, v.name).to.be.a('string').and.not.equal('');
      expect(v.body.type, v.name).to.be.a('string');
    }
    for (const [name, o] of config.outputs) expect(o.body.description, name).to.be.a('string').and.not.equal('');
  });
});
