/**
 * The embedded S3 (s3rver, behind `npm start` and these tests) under the race that used to crash it: a PutObject
 * into a directory while the delete of that directory's last object cleans it up.
 */
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { startTestS3, type TestS3 } from '../support/s3';

describe('the embedded S3', function () {
  this.timeout(60_000);
  let s3: TestS3;
  before(async () => {
    s3 = await startTestS3();
  });
  after(async () => {
    await s3?.stop();
  });

  it('survives uploads racing the delete of the last object beside them, and keeps exactly what was written', async () => {
    const bucket = await s3.createBucket('dir-race');
    let exited = false;
    s3.embedded.process.once('exit', () => (exited = true));
    const ROUNDS = 100; // unpatched, s3rver died within the first 5
    for (let i = 0; i < ROUNDS && !exited; i++) {
      await s3.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `images/${i}/old.png`, Body: 'old' }));
      await Promise.all([
        s3.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `images/${i}/old.png` })),
        s3.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `images/${i}/new.png`, Body: Buffer.alloc(1000, i) })),
      ]);
    }
    expect(exited, 's3rver crashed').to.equal(false);
    const keys = await s3.keys(bucket, 'images/');
    expect(keys).to.have.length(ROUNDS);
    expect(keys.every((key) => key.endsWith('/new.png'))).to.equal(true);
  });
});
