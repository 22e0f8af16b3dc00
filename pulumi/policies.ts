/**
 * The three IAM policy documents, as functions of plain values: the twins of the module's
 * aws_iam_policy_document data sources, statement for statement (same Sids). The component calls them once
 * the ARNs they need are known.
 */
import type * as aws from '@pulumi/aws';

type Statement = aws.iam.PolicyStatement;
const document = (statements: Statement[]): aws.iam.PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

/** Anonymous s3:GetObject on the public prefix (when public read is on), and TLS only for everyone. */
export function bucketPolicy(bucketArn: string, publicReadPrefix: string | null): aws.iam.PolicyDocument {
  const publicRead: Statement[] =
    publicReadPrefix === null
      ? []
      : [
          {
            Sid: 'PublicReadImages',
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: `${bucketArn}/${publicReadPrefix}*`,
          },
        ];
  return document([
    ...publicRead,
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

/** Exactly what the app does, on its own prefixes only (and the bucket's KMS key, when there is one). */
export function appPolicy(bucketArn: string, appObjectPrefixes: string[], kmsKeyArn: string | null): aws.iam.PolicyDocument {
  const useKey: Statement[] =
    kmsKeyArn === null
      ? []
      : [{ Sid: 'UseBucketKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: kmsKeyArn }];
  return document([
    {
      Sid: 'ReadWriteAppObjects',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: appObjectPrefixes.map((prefix) => `${bucketArn}/${prefix}*`),
    },
    {
      Sid: 'ListAppPrefixes',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn,
      Condition: { StringLike: { 's3:prefix': appObjectPrefixes.map((prefix) => `${prefix}*`) } },
    },
    { Sid: 'ListUnfinishedUploads', Effect: 'Allow', Action: 's3:ListBucketMultipartUploads', Resource: bucketArn },
    ...useKey,
  ]);
}

/** Who may run as the app: services and, optionally, other roles. */
export function trustPolicy(services: string[], roleArns: string[]): aws.iam.PolicyDocument {
  return document([
    ...(services.length > 0
      ? [{ Sid: 'AssumeByServices', Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: services } } as Statement]
      : []),
    ...(roleArns.length > 0
      ? [{ Sid: 'AssumeByRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: roleArns } } as Statement]
      : []),
  ]);
}
