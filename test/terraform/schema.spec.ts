/**
 * What real terraform cannot check here: the configurations against the AWS provider 6.x schema (the module
 * accepts >= 5.0, < 7.0 and users' roots run 6.x, but only 5.100.0 exists on the project's machines). The
 * 6.x schema comes from the CDKTF provider package; the same extraction is checked against the real 5.100.0
 * provider's own schema, so the 6.x fixture can be trusted as far as that agreement goes.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MODULE_DIR, TERRAFORM_CONFIGURATIONS as CONFIGURATIONS } from '../support/constants';
import { createTerraformWorkspace, requireTerraform, terraformInstalled } from '../support/terraform';
import { checkSchema } from './schema/check-schema';
import type { BlockSchema, ProviderSchema } from './schema/extract-provider-schema';
import { loadTerraformConfig } from './schema/hcl-config';
import { README, renderReadme } from './write-module-readme';

const TERRAFORM = path.join(MODULE_DIR, '..', '..');
const BROKEN = path.join(__dirname, 'fixtures', 'broken');
const schema = (major: 5 | 6) => JSON.parse(readFileSync(path.join(__dirname, 'schema', `aws-${major}.x.json`), 'utf8')) as ProviderSchema;
const schema5 = schema(5);
const schema6 = schema(6);

/** The real 5.100.0 provider's own schema, asked when the specs load (init and schema take seconds). */
async function readRealSchemas(): Promise<RealSchemas> {
  const tf = await createTerraformWorkspace();
  try {
    await tf.run('modules/image-bucket', ['init', '-backend=false', '-input=false']);
    return JSON.parse((await tf.run('modules/image-bucket', ['providers', 'schema', '-json'])).stdout) as RealSchemas;
  } finally {
    await tf.remove();
  }
}
const realSchemas = terraformInstalled() ? readRealSchemas() : undefined;
realSchemas?.catch(() => undefined);

describe('Terraform against the AWS provider 6.x schema (no 6.x binary here)', () => {
  it('the fixtures are the 6.x and 5.x majors the module allows', () => {
    expect(schema6.provider_version).to.match(/^6\./);
    expect(schema5.provider_version).to.equal('5.100.0');
    expect(readFileSync(path.join(MODULE_DIR, 'versions.tf'), 'utf8')).to.match(/version = ">= 5\.0, < 7\.0"/);
  });

  for (const dir of CONFIGURATIONS) {
    it(`${dir}: every argument and block exists in ${schema6.provider_version}, and required ones are set`, async () => {
      expect(checkSchema(await loadTerraformConfig(path.join(TERRAFORM, dir)), schema6)).to.deep.equal([]);
    });
  }

  describe('catches its deliberate mistakes', () => {
    const problems = async (name: string, against = schema6) => checkSchema(await loadTerraformConfig(path.join(BROKEN, name)), against);
    it('a misspelled argument', async () => {
      expect(await problems('unknown-argument')).to.deep.equal([
        `[aws ${schema6.provider_version}] ${BROKEN}/unknown-argument/main.tf: aws_s3_bucket.this: unknown argument "bucket_nmae"`,
      ]);
    });
    it('a missing required block', async () => {
      expect((await problems('missing-required'))[0]).to.match(
        /aws_s3_bucket_versioning\.this: missing required block "versioning_configuration"/,
      );
    });
    it('a block written as an argument', async () => {
      expect((await problems('block-as-argument'))[0]).to.match(/"rule" is a block, not an argument/);
    });
    it('an argument only 6.x has: accepted by 6.x, refused by the 5.x extraction (as by terraform validate with 5.100.0)', async () => {
      expect(await problems('aws-6-only')).to.deep.equal([]);
      expect((await problems('aws-6-only', schema5))[0]).to.match(/unknown argument "region"/);
    });
  });

  describe('the extraction agrees with the real provider', function () {
    this.timeout(120_000);

    it('5.x: every resource and data source type the code uses, argument by argument, block by block', async function () {
      requireTerraform(this);
      const aws = (await realSchemas!).provider_schemas['registry.terraform.io/hashicorp/aws']!;
      {
        for (const [type, extracted] of Object.entries(schema5.resources)) {
          expect(stripComputed(extracted), type).to.deep.equal(fromReal(aws.resource_schemas[type]!.block));
        }
        for (const [type, extracted] of Object.entries(schema5.data_sources)) {
          expect(stripComputed(extracted), `data.${type}`).to.deep.equal(fromReal(aws.data_source_schemas[type]!.block));
        }
        // The provider block's endpoint names are not all recovered (s3control comes out as s3_control):
        // only the provider arguments the roots use are compared.
        const realProvider = fromReal(aws.provider.block);
        for (const used of [
          'region',
          'access_key',
          'secret_key',
          'skip_credentials_validation',
          'skip_metadata_api_check',
          'skip_requesting_account_id',
          's3_use_path_style',
        ]) {
          expect(schema5.provider.attributes[used], used).to.deep.equal(realProvider.attributes[used]);
        }
        for (const endpoint of ['s3', 'iam', 'sts'])
          expect(schema5.provider.blocks.endpoints!.attributes[endpoint], endpoint).to.deep.equal({ required: false });
      }
    });
  });
});

describe('terraform/modules/image-bucket/README.md', () => {
  it("has the inputs and outputs tables of the module's current variables and outputs", async () => {
    expect(readFileSync(README, 'utf8'), 'stale: run npx tsx test/terraform/write-module-readme.ts').to.equal(await renderReadme());
  });

  it('every variable and output is described, and every variable typed', async () => {
    const config = await loadTerraformConfig(MODULE_DIR);
    for (const v of config.variables.values()) {
      expect(v.body.description, v.name).to.be.a('string').and.not.equal('');
      expect(v.body.type, v.name).to.be.a('string');
    }
    for (const [name, body] of config.outputs) expect(body.description, name).to.be.a('string').and.not.equal('');
  });
});

interface RealBlock {
  attributes?: Record<string, { required?: boolean; optional?: boolean }>;
  block_types?: Record<string, { block: RealBlock; min_items?: number }>;
}
interface RealSchemas {
  provider_schemas: Record<
    string,
    {
      provider: { block: RealBlock };
      resource_schemas: Record<string, { block: RealBlock }>;
      data_source_schemas: Record<string, { block: RealBlock }>;
    }
  >;
}

/** The arguments a user may set (required or optional) and the nested blocks (required when min_items > 0). */
function fromReal(block: RealBlock): BlockSchema {
  const out: BlockSchema = { attributes: {}, blocks: {} };
  for (const [name, a] of Object.entries(block.attributes ?? {}))
    if (a.required || a.optional) out.attributes[name] = { required: a.required === true };
  for (const [name, b] of Object.entries(block.block_types ?? {}))
    out.blocks[name] = { ...fromReal(b.block), required: (b.min_items ?? 0) > 0 };
  return out;
}

const stripComputed = ({ attributes, blocks }: BlockSchema & { computed?: string[] }): BlockSchema => ({ attributes, blocks });
