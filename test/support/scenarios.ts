/**
 * The module inputs (Terraform's variable names) that both tools are given, applied for real by Terraform
 * against moto (test/terraform/applied-module.ts) and run by Pulumi under its mocks. The authorization
 * matrix evaluates the first four; the parity test compares all of them.
 */
import { BUCKET, SAMPLE_ACCOUNT_ID, SAMPLE_KMS_KEY_ARN } from './constants';

export type ModuleInputs = Record<string, unknown>;

export const SCENARIOS = {
  // Images through CloudFront (the module's default, the production choice).
  default: { bucket_name: BUCKET },
  // Images read from the bucket by URL (the LocalStack root's choice).
  'bucket-policy': { bucket_name: BUCKET, image_delivery: 'bucket_policy' },
  'nothing-public': { bucket_name: BUCKET, image_delivery: 'none' },
  kms: { bucket_name: BUCKET, kms_key_arn: SAMPLE_KMS_KEY_ARN },
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
    app_role_path: '/apps/',
    app_role_permissions_boundary_arn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:policy/boundary`,
    app_trusted_services: ['ecs-tasks.amazonaws.com', 'ec2.amazonaws.com'],
    app_trusted_role_arns: [`arn:aws:iam::${SAMPLE_ACCOUNT_ID}:role/deployer`],
    app_irsa_oidc_provider_arn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`,
    app_irsa_service_accounts: ['inventory:web'],
    app_eks_pod_identity: true,
    create_instance_profile: true,
    cloudfront_aliases: ['images.example.com'],
    cloudfront_acm_certificate_arn: `arn:aws:acm:us-east-1:${SAMPLE_ACCOUNT_ID}:certificate/0c1d2e3f-0000-4000-8000-000000000000`,
    cloudfront_web_acl_arn: `arn:aws:wafv2:us-east-1:${SAMPLE_ACCOUNT_ID}:global/webacl/images/0c1d2e3f-0000-4000-8000-000000000000`,
    cloudfront_price_class: 'PriceClass_All',
    access_logs: { target_bucket: 'acme-s3-access-logs', target_prefix: 'images/' },
    tags: { Team: 'platform' },
  },
} satisfies Record<string, ModuleInputs>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];
