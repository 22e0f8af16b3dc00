/**
 * Runs s3rver in a process of its own so the S3 server never competes with the app's event loop
 * (and so the launcher can run it with --openssl-legacy-provider, which its list pagination needs).
 * Reports `{ port }` to the parent over IPC, and exits when the parent goes away.
 */
import { unlink } from 'node:fs/promises';
import S3rver from 's3rver';

/**
 * s3rver deletes a key's directory once its last object is gone, without a lock: a PutObject into that directory
 * between its mkdir and its open then fails on a write stream nobody listens to, and the whole server crashes
 * (an upload racing the delete of an item's previous image does it within a few tries). Empty directories are
 * invisible to listings, so deletes here only remove the object's files and leave the directory in place.
 */
function keepDirectoriesOnDelete(): void {
  type Store = { getResourcePath(bucket: string, key: string, resource: string): string };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- s3rver ships no types for its store
  const FilesystemStore = require('s3rver/lib/stores/filesystem') as { prototype: Store & { deleteObject: unknown } };
  FilesystemStore.prototype.deleteObject = async function (this: Store, bucket: string, key: string) {
    const files = ['object', 'object.md5', 'metadata.json'].map((resource) => this.getResourcePath(bucket, key, resource));
    await Promise.all(
      files.map((file) =>
        unlink(file).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        }),
      ),
    );
  };
}

async function run() {
  keepDirectoriesOnDelete();
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
