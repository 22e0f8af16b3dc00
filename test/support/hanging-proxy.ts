/**
 * A TCP proxy in front of an S3 server that can be told to hang: it keeps accepting connections and reading
 * requests but never answers, which is how a wedged S3 endpoint (or a black-holing network) looks to the app.
 */
import net from 'node:net';

export interface HangingProxy {
  endpoint: string;
  /** From now on nothing is answered, on new connections and on open ones. */
  hang(): void;
  /** New connections are forwarded again (hung ones stay hung: the app must give up on them by itself). */
  recover(): void;
  /** Connections accepted while hanging. */
  readonly hungConnections: number;
  close(): Promise<void>;
}

export async function startHangingProxy(target: string): Promise<HangingProxy> {
  const { hostname, port } = new URL(target);
  let hanging = false;
  let hungConnections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (hanging) {
      hungConnections++;
      client.resume(); // read and drop
      return;
    }
    const upstream = net.connect(Number(port), hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('data', (chunk: Buffer) => {
      if (!hanging) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!hanging) client.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: listening } = server.address() as net.AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${listening}`,
    hang: () => (hanging = true),
    recover: () => (hanging = false),
    get hungConnections() {
      return hungConnections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
