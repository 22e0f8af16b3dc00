import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

export interface S3Settings {
  region: string;
  endpoint?: string | undefined;
  forcePathStyle: boolean;
  /** A connection that stays silent this long is destroyed (a hung S3 must not keep sockets forever). */
  socketTimeoutMs?: number;
  /** Concurrent sockets to S3: upload part queues of concurrent requests share them. */
  maxSockets?: number;
}

/**
 * One S3 client per process, with keep-alive sockets so multipart parts reuse connections, and timeouts on
 * connecting and on silence, so no socket stays hung. (Each call's overall deadline is set where it is sent,
 * in bucket.ts.) Credentials come from the SDK's default provider chain, never from here.
 */
export function createS3Client(settings: S3Settings): S3Client {
  const maxSockets = settings.maxSockets ?? 64;
  const socketTimeout = settings.socketTimeoutMs ?? 10_000;
  const client = new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    // Only checksum when an operation demands it or a call asks for it (image uploads ask for CRC32; their
    // bodies are buffers, so the checksum travels in a header). The SDK's default (WHEN_SUPPORTED) would send
    // streamed bodies with aws-chunked framing, which S3-compatible servers such as s3rver store verbatim:
    // silently corrupted objects. Against AWS and LocalStack this setting is harmless.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
      connectionTimeout: Math.min(3_000, socketTimeout),
      socketTimeout,
    }),
  });
  sendChecksummedPayloadsUnsigned(client);
  return client;
}

const CHECKSUM_HEADER = /^x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)$/i;

/**
 * A body that carries a checksum S3 verifies (x-amz-checksum-crc32, computed by the SDK, itself a signed
 * header) is sent as UNSIGNED-PAYLOAD instead of being hashed once more with SHA-256 for the signature. S3
 * still checks every byte (and TLS does, against AWS); the upload path saves a SHA-256 of every byte, three
 * times the cost of the CRC32 (docs/benchmarks.md). AWS's own CRT transfer client sends parts the same way.
 */
function sendChecksummedPayloadsUnsigned(client: S3Client): void {
  client.middlewareStack.add(
    (next) => (args) => {
      const headers = (args.request as { headers?: Record<string, string> }).headers;
      if (headers && Object.keys(headers).some((name) => CHECKSUM_HEADER.test(name))) headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
      return next(args);
    },
    // After the SDK's checksum (build step, normal priority), before signing (finalizeRequest step).
    { step: 'build', priority: 'low', name: 'sendChecksummedPayloadsUnsigned' },
  );
}
