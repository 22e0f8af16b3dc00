/**
 * The one AWS account and region that every offline plan, Pulumi mock and policy simulation uses,
 * so ARNs agree across tools by construction. The terraform test files' mock defaults spell the
 * same values in HCL.
 */
export const SAMPLE_ACCOUNT_ID = '111122223333';
export const SAMPLE_REGION = 'us-east-1';
export const SAMPLE_CONTEXT = { accountId: SAMPLE_ACCOUNT_ID, region: SAMPLE_REGION };
