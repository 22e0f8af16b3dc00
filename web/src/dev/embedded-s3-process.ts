/**
 * Runs s3rver in a process of its own so the S3 server never competes with the app's event loop
 * (and so the launcher can run it with --openssl-legacy-provider, which its list pagination needs).
 * Reports `{ port }` to the parent over IPC, and exits when the parent goes away.
 */
import S3rver from 's3rver';

async function run() {
  const server = new S3rver({
    address: process.env.EMBEDDED_S3_ADDRESS ?? '127.0.0.1',
    port: Number(process.env.EMBEDDED_S3_PORT ?? 4566),
    directory: process.env.EMBEDDED_S3_DIR ?? '.data/s3',
    silent: true,
  });
  const address = await server.run();
  process.send?.({ port: address.port });
  const stop = () => void server.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', () => undefined); // the parent decides when we stop, after the app has drained
  process.on('disconnect', stop);
}

run().catch((err: unknown) => {
  console.error(`embedded S3 failed to start: ${(err as Error).message}`);
  process.exit(1);
});
