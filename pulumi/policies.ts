/**
 * The IAM policy documents, as functions of plain values: the twins of the module's aws_iam_policy_document
 * data sources, statement for statement (same Sids). The component calls them once the ARNs they need are known.
 */
import type * as aws from '@pulumi/aws';
import type { ImageDelivery } from './args';

type Statement = aws.iam.PolicyStatement;
const document = (statements: Statement[]): aws.iam.PolicyDocument => ({ Version: '2012-10-17', Statement: statements });
const when = (condition: boolean, statement: Statement): Statement[] => (condition ? [statement] : []);

/**
 * Reads of the public prefix, by anyone (bucket_policy) or by one CloudFront distribution (cloudfront), and TLS
 * only for everyone.
 */
export function bucketPolicy(
  bucketArn: string,
  delivery: ImageDelivery,
  publicReadPrefix: string,
  distributionArn: string | undefined,
): aws.iam.PolicyDocument {
  const publicObjects = `${bucketArn}/${publicReadPrefix}*`;
  return document([
    ...when(delivery === 'bucket_policy', {
      Sid: 'PublicReadImages',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: publicObjects,
    }),
    ...when(delivery === 'cloudfront', {
      Sid: 'CloudFrontReadsImages',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: publicObjects,
      Condition: { StringEquals: { 'AWS:SourceArn': distributionArn! } },
    }),
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ]);
}

/** Exactly what the app does, on its own prefixes only; listing so S3 answers 404; the KMS key only through S3. */
export function appPolicy(
  bucketArn: string,
  appObjectPrefixes: string[],
  kmsKeyArn: string | null,
  region: string,
): aws.iam.PolicyDocument {
  return document([
    {
      Sid: 'ReadWriteAppObjects',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      Resource: appObjectPrefixes.map((prefix) => `${bucketArn}/${prefix}*`),
    },
    { Sid: 'ListBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
    ...when(kmsKeyArn !== null, {
      Sid: 'UseBucketKey',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: kmsKeyArn!,
      Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
    }),
  ]);
}

export interface Trust {
  services: string[];
  roleArns: string[];
  irsaOidcProviderArn: string | null;
  irsaServiceAccounts: string[];
  eksPodIdentity: boolean;
  accountId: string;
  partition: string;
  region: string;
}

/** Services that pass the calling resource's account and ARN when they assume a role (the module's list). */
const SERVICES_WITH_SOURCE = ['ecs-tasks.amazonaws.com'];

/** Who may run as the app: ECS tasks of this account, other services, roles, EKS service accounts, Pod Identity. */
export function trustPolicy(t: Trust): aws.iam.PolicyDocument {
  const withSource = t.services.filter((s) => SERVICES_WITH_SOURCE.includes(s));
  const withoutSource = t.services.filter((s) => !SERVICES_WITH_SOURCE.includes(s));
  const issuer = t.irsaOidcProviderArn?.split('oidc-provider/')[1];
  return document([
    ...when(withSource.length > 0, {
      Sid: 'AssumeByServicesOfThisAccount',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { Service: withSource },
      Condition: {
        StringEquals: { 'aws:SourceAccount': t.accountId },
        ArnLike: { 'aws:SourceArn': `arn:${t.partition}:ecs:${t.region}:${t.accountId}:*` },
      },
    }),
    ...when(withoutSource.length > 0, {
      Sid: 'AssumeByServices',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { Service: withoutSource },
    }),
    ...when(t.roleArns.length > 0, { Sid: 'AssumeByRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: t.roleArns } }),
    ...when(issuer !== undefined, {
      Sid: 'AssumeByEksServiceAccounts',
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: t.irsaOidcProviderArn! },
      Condition: {
        StringEquals: {
          [`${issuer}:aud`]: 'sts.amazonaws.com',
          [`${issuer}:sub`]: t.irsaServiceAccounts.map((a) => `system:serviceaccount:${a}`),
        },
      },
    }),
    ...when(t.eksPodIdentity, {
      Sid: 'AssumeByEksPodIdentity',
      Effect: 'Allow',
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': t.accountId } },
    }),
  ]);
}

/** The key-policy statement (as a policy) that lets one CloudFront distribution decrypt the images. */
export function cloudfrontKmsPolicy(distributionArn: string): aws.iam.PolicyDocument {
  return document([
    {
      Sid: 'CloudFrontDecryptsImages',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
    },
  ]);
}
