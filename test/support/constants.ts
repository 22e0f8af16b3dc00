/**
 * Values the tests share, spelled once. The account and region are the ones every Pulumi mock, moto server
 * and policy simulation uses, so ARNs agree across tools by construction (the terraform test files' mocks,
 * terraform/modules/image-bucket/tests/mocks/aws.tfmock.hcl, spell the same values in HCL).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.join(__dirname, '..', '..');
/** A file of the repository as text, by its path from the root (`docker-compose.yml`, `.ci/run`). */
export const readRepoFile = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');
export const MODULE_DIR = path.join(REPO_ROOT, 'terraform', 'modules', 'image-bucket');
export const LOCALSTACK_ROOT_DIR = path.join(REPO_ROOT, 'terraform', 'environments', 'localstack');

export const SAMPLE_ACCOUNT_ID = '111122223333';
export const SAMPLE_REGION = 'us-east-1';
export const SAMPLE_KMS_KEY_ARN = `arn:aws:kms:${SAMPLE_REGION}:${SAMPLE_ACCOUNT_ID}:key/0c1d2e3f-0000-4000-8000-000000000000`;

/** A CloudFront distribution as the mocks invent it (the terraform test files' mocks spell the same). */
export const SAMPLE_DISTRIBUTION_ID = 'EDFDVBD6EXAMPLE';
export const SAMPLE_DISTRIBUTION_DOMAIN = 'd111111abcdef8.cloudfront.net';

/** The bucket name the LocalStack root, the Pulumi stack, compose and most scenarios use. */
export const BUCKET = 'inventory-images';

/** Every Terraform configuration a user may `init`, relative to terraform/: the module, its examples, the LocalStack root. */
export const TERRAFORM_CONFIGURATIONS = [
  'modules/image-bucket',
  'modules/image-bucket/examples/minimal',
  'modules/image-bucket/examples/aws',
  'environments/localstack',
];
