/**
 * The module inputs (Terraform's variable names) that both tools are given, applied for real by Terraform
 * against moto (test/terraform/applied-module.ts) and run by Pulumi under its mocks. The authorization
 * matrix evaluates the first three; the parity test compares all four.
 */
import { BUCKET, SAMPLE_ACCOUNT_ID, SAMPLE_KMS_KEY_ARN } from './constants';

export type ModuleInputs = Record<string, unknown>;

export const SCENARIOS = {
  default: { bucket_name: BUCKET },
  'public-read-off': { bucket_name: BUCKET, public_read_prefix: null },
  kms: { bucket_name: BUCKET, public_read_prefix: null, kms_key_arn: SAMPLE_KMS_KEY_ARN },
  'everything-switched': {
    bucket_name: 'acme-images-prod',
    public_read_prefix: 'public/',
    app_object_prefixes: ['public/', 'data/'],
    cors_allowed_origins: ['https://inventory.example.com', 'http://localhost:8080'],
    force_destroy: true,
    versioning_enabled: false,
    noncurrent_version_expiration_days: 7,
    abort_incomplete_multipart_upload_days: 3,
    app_role_name: 'images-app',
    app_trusted_services: ['ecs-tasks.amazonaws.com', 'ec2.amazonaws.com'],
    app_trusted_role_arns: [`arn:aws:iam::${SAMPLE_ACCOUNT_ID}:role/deployer`],
    create_instance_profile: true,
    tags: { Team: 'platform' },
  },
} satisfies Record<string, ModuleInputs>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];
