/**
 * The usual Express recipes, for comparison (bench only): `multer-memory` buffers the whole file with
 * multer's memoryStorage and sends it with one PutObject (what most tutorials teach); `multer-s3`
 * streams through the most used Express-to-S3 middleware. Usage: peers.ts <multer-memory|multer-s3>
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import express from 'express';
import multer from 'multer';
import multerS3 from 'multer-s3';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createS3Client } from '../../web/src/s3/client';

const bucket = process.env.S3_BUCKET!;
const s3 = createS3Client({ region: 'us-east-1', endpoint: process.env.S3_ENDPOINT, forcePathStyle: true });
const app = express();

if (process.argv[2] === 'multer-memory') {
  app.post('/upload', multer({ storage: multer.memoryStorage() }).single('image_file'), async (req, res) => {
    const key = `images/bench/${randomUUID()}.png`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: req.file!.buffer, ContentType: req.file!.mimetype }));
    res.json({ key });
  });
} else if (process.argv[2] === 'multer-s3') {
  const storage = multerS3({ s3, bucket, key: (_req, _file, cb) => cb(null, `images/bench/${randomUUID()}.png`) });
  app.post('/upload', multer({ storage }).single('image_file'), (req, res) => {
    res.json({ key: (req.file as Express.MulterS3.File).key });
  });
} else {
  throw new Error(`unknown peer ${process.argv[2]}`);
}

const server = app.listen(0, '127.0.0.1', () => {
  server.requestTimeout = 0;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
});
