/**
 * The Pulumi program: the same infrastructure as terraform/environments/localstack (or any stack's
 * configuration), exporting the same outputs. `pulumi up --stack localstack` applies it to LocalStack.
 */
import * as pulumi from '@pulumi/pulumi';
import { readStackSettings } from './config';
import { ImageBucket } from './image-bucket';

const settings = readStackSettings();
const images = new ImageBucket('images', settings.imageBucket);

// The app's settings, named as the app reads them (and as the Terraform root outputs them).
export const S3_BUCKET = images.bucketName;
export const PUBLIC_BASE_URL = settings.publicEndpoint
  ? pulumi.interpolate`${settings.publicEndpoint}/${images.bucketName}`
  : images.publicBaseUrl;
export const S3_ENDPOINT = new pulumi.Config('aws').getObject<Record<string, string>[]>('endpoints')?.[0]?.s3;
export const appRoleArn = images.appRoleArn;
export const bucketPolicyJson = images.bucketPolicyJson;
