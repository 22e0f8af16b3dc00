/**
 * Reads the stack configuration into ImageBucket arguments, with the same names (camelCase) as the
 * Terraform module's variables. Type errors name the key; range and format rules are the
 * component's own validation (the Terraform module's rules).
 */
import * as pulumi from '@pulumi/pulumi';
import type { ImageBucketArgs, ImageDelivery } from './args';
import { InvalidInputError } from './problems';

export interface StackSettings {
  imageBucket: ImageBucketArgs;
  /** Where the user's browser reaches the S3 endpoint (LocalStack); undefined on AWS. */
  publicEndpoint: string | undefined;
}

export function readStackSettings(config = new pulumi.Config()): StackSettings {
  const problems: string[] = [];
  const read = <T>(key: string, parse: () => T | undefined): T | undefined => {
    try {
      return parse();
    } catch (err) {
      problems.push(`${key}: ${(err as Error).message}`);
      return undefined;
    }
  };
  const strings = (key: string): string[] | undefined =>
    read(key, () => {
      const value = config.getObject<unknown>(key);
      if (value !== undefined && (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))) {
        throw new Error('must be a list of strings');
      }
      return value as string[] | undefined;
    });
  // null switches a feature off, as in Terraform; an absent key keeps the default.
  const nullable = (key: string): string | null | undefined =>
    read(key, () => {
      const raw = config.get(key);
      return raw === undefined ? undefined : raw === 'null' || raw === '' ? null : raw;
    });

  const bucketName = read('bucketName', () => config.require('bucketName'));
  const tags = read('tags', () => {
    const value = config.getObject<unknown>('tags');
    if (
      value !== undefined &&
      (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string'))
    ) {
      throw new Error('must be a map of strings');
    }
    return value as Record<string, string> | undefined;
  });
  const publicEndpoint = read('publicEndpoint', () => {
    const value = config.get('publicEndpoint');
    if (value !== undefined && !/^https?:\/\/[^/]+$/.test(value))
      throw new Error('must be a URL with scheme and host only, such as http://localhost:4566');
    return value;
  });

  const imageBucket: ImageBucketArgs = {
    bucketName: bucketName ?? '',
    imageDelivery: read('imageDelivery', () => config.get('imageDelivery') as ImageDelivery | undefined),
    publicReadPrefix: read('publicReadPrefix', () => config.get('publicReadPrefix')),
    appObjectPrefixes: strings('appObjectPrefixes'),
    corsAllowedOrigins: strings('corsAllowedOrigins'),
    forceDestroy: read('forceDestroy', () => config.getBoolean('forceDestroy')),
    versioningEnabled: read('versioningEnabled', () => config.getBoolean('versioningEnabled')),
    noncurrentVersionExpirationDays: read('noncurrentVersionExpirationDays', () => config.getNumber('noncurrentVersionExpirationDays')),
    abortIncompleteMultipartUploadDays: read('abortIncompleteMultipartUploadDays', () =>
      config.getNumber('abortIncompleteMultipartUploadDays'),
    ),
    kmsKeyArn: nullable('kmsKeyArn'),
    appRoleName: nullable('appRoleName'),
    appTrustedServices: strings('appTrustedServices'),
    appTrustedRoleArns: strings('appTrustedRoleArns'),
    createInstanceProfile: read('createInstanceProfile', () => config.getBoolean('createInstanceProfile')),
    appIrsaOidcProviderArn: nullable('appIrsaOidcProviderArn'),
    appIrsaServiceAccounts: strings('appIrsaServiceAccounts'),
    appEksPodIdentity: read('appEksPodIdentity', () => config.getBoolean('appEksPodIdentity')),
    appRolePath: read('appRolePath', () => config.get('appRolePath')),
    appRolePermissionsBoundaryArn: nullable('appRolePermissionsBoundaryArn'),
    cloudfrontAliases: strings('cloudfrontAliases'),
    cloudfrontAcmCertificateArn: nullable('cloudfrontAcmCertificateArn'),
    cloudfrontWebAclArn: nullable('cloudfrontWebAclArn'),
    cloudfrontPriceClass: read('cloudfrontPriceClass', () => config.get('cloudfrontPriceClass')),
    accessLogs: read('accessLogs', () => {
      const value = config.getObject<unknown>('accessLogs');
      if (
        value !== undefined &&
        value !== null &&
        (typeof value !== 'object' || typeof (value as { targetBucket?: unknown }).targetBucket !== 'string')
      )
        throw new Error('must be an object with targetBucket (and optionally targetPrefix)');
      return value as ImageBucketArgs['accessLogs'];
    }),
    tags,
  };
  if (problems.length > 0) throw new InvalidInputError('stack configuration', problems);
  return { imageBucket, publicEndpoint };
}
