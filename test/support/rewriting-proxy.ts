/**
 * An HTTP proxy in front of an S3 server that lets a test answer or alter some requests: an S3 that misbehaves
 * in one precise way (refuses a feature, stores less than it was sent), with the real server behind it for
 * everything else.
 */
import http from 'node:http';

export type Rewrite = (req: http.IncomingMessage, body: Buffer) => { answer: { status: number; body: string } } | { forward: Buffer };

export interface RewritingProxy {
  endpoint: string;
  close(): Promise<void>;
}

export async function startRewritingProxy(target: string, rewrite: Rewrite): Promise<RewritingProxy> {
  const upstream = new URL(target);
  const server = http.createServer(async (req, res) => {
    const decision = rewrite(req, Buffer.concat(await req.toArray()));
    if ('answer' in decision) {
      res.writeHead(decision.answer.status, { 'Content-Type': 'application/xml' }).end(decision.answer.body);
      return;
    }
    const headers = { ...req.headers, 'content-length': String(decision.forward.length) };
    const forwarded = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    forwarded.end(decision.forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
