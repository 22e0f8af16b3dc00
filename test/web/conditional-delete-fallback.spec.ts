/**
 * LocalStack 4.14 answers 501 NotImplemented to DeleteObject with If-Match on a general purpose bucket. A proxy
 * in front of moto (which implements conditional writes) answers so too, and the app still deletes items,
 * still refuses to delete a version it did not read, and stops asking for conditional deletes it cannot get.
 */
import { CreateBucketCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { Bucket } from '../../web/src/s3/bucket';
import { createS3Client } from '../../web/src/s3/client';
import { s3FailureKind } from '../../web/src/s3/errors';
import type { RunningServer } from '../../web/src/server';
import { startTestApp } from '../support/app';
import { makePng } from '../support/images';
import { MOTO_CREDENTIALS, requireMoto, startMoto, type Moto } from '../support/moto';
import { uploadImage } from '../support/multipart';
import { startRewritingProxy, type RewritingProxy } from '../support/rewriting-proxy';

const NOT_IMPLEMENTED =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NotImplemented</Code>' +
  '<Message>DeleteObject Preconditions is only supported for Directory Buckets</Message></Error>';

describe('an S3 that refuses conditional deletes with 501, as LocalStack 4.14 does (a proxy in front of moto)', function () {
  this.timeout(60_000);
  let moto: Moto;
  let proxy: RewritingProxy;
  let endpoint: string;
  const conditionalDeletes: string[] = [];
  const bucketName = 'no-conditional-deletes';

  before(async function () {
    requireMoto(this);
    moto = await startMoto();
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    });
    await moto.s3.send(new CreateBucketCommand({ Bucket: bucketName }));
    const publicRead = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucketName}/images/*` };
    await moto.s3.send(
      new PutBucketPolicyCommand({ Bucket: bucketName, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [publicRead] }) }),
    );
    proxy = await startRewritingProxy(moto.endpoint, (req, body) => {
      if (req.method !== 'DELETE' || req.headers['if-match'] === undefined) return { forward: body };
      conditionalDeletes.push(new URL(req.url!, 'http://s3').pathname);
      return { answer: { status: 501, body: NOT_IMPLEMENTED } };
    });
    endpoint = proxy.endpoint;
  });
  after(async () => {
    await proxy?.close();
    await moto?.stop();
  });

  it('DELETE /inventory/:id deletes the item and its image, and asks for a conditional delete only once', async () => {
    let app: RunningServer | undefined;
    try {
      app = await startTestApp({ endpoint }, bucketName, { PUBLIC_BASE_URL: `${moto.endpoint}/${bucketName}` });
      const upload = await uploadImage(app.url, 1, { filename: 'spoon.png', data: makePng(20, 20) });
      expect(upload.status).to.equal(200);

      for (const id of [1, 2]) {
        const res = await fetch(`${app.url}/inventory/${id}`, { method: 'DELETE' });
        expect({ status: res.status, body: await res.json() }).to.deep.equal({ status: 200, body: { message: `Item ${id} deleted` } });
        expect((await fetch(`${app.url}/inventory/${id}`)).status).to.equal(404);
      }
      expect((await fetch(upload.json.image_url)).status).to.equal(404);
      expect(((await (await fetch(`${app.url}/inventory`)).json()) as { id: number }[]).map((i) => i.id)).to.deep.equal([3]);
      expect(conditionalDeletes).to.deep.equal([`/${bucketName}/inventory/1.json`]);
    } finally {
      await app?.close(1000);
    }
  });

  it('the fallback still refuses to delete a version other than the one read (precondition-failed), and deletes the one read', async () => {
    const client = createS3Client({ region: 'us-east-1', endpoint, forcePathStyle: true });
    const bucket = new Bucket(client, bucketName, 5000);
    try {
      const first = await bucket.putJson('inventory/77.json', { v: 1 });
      const second = await bucket.putJson('inventory/77.json', { v: 2 });
      const stale = await bucket.delete('inventory/77.json', { ifMatch: first }).then(
        () => 'deleted',
        (err: unknown) => s3FailureKind(err),
      );
      expect(stale).to.equal('precondition-failed');
      expect(await bucket.etagOf('inventory/77.json')).to.equal(second);
      await bucket.delete('inventory/77.json', { ifMatch: second });
      expect(await bucket.etagOf('inventory/77.json')).to.equal(undefined);
    } finally {
      client.destroy();
    }
  });
});
