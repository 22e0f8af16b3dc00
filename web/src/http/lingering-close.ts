/**
 * Closing a connection whose request body we will not read (an upload over the limit, a stalled or too slow
 * body) without losing the answer. Node closes a `Connection: close` socket as soon as the answer is written;
 * if the client is still sending, the bytes that arrive after that make the kernel answer with a reset, and a
 * client still busy writing (Node's fetch, a browser) reports a network error instead of the status we sent.
 * So, as nginx's lingering close does: send the answer, shut our side, read and discard what the client keeps
 * sending, and close once it stops, or after a bounded time or byte count.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface LingerLimits {
  /** The longest the discarded body is read after the answer. */
  ms: number;
  /** The most bytes read and discarded after the answer (checked every 50 ms, so a fast client gets a little more). */
  bytes: number;
}

/** nginx's lingering_time is 30 s; 10 s and 64 MiB let a client on a fast link see its answer, and cost little. */
export const DEFAULT_LINGER: LingerLimits = { ms: 10_000, bytes: 64 * 1024 * 1024 };

/**
 * Answers on this response close the connection (`Connection: close`), lingering as described above. Call
 * it before the answer is sent.
 */
export function closeAfterAnswer(req: IncomingMessage, res: ServerResponse, limits: LingerLimits = DEFAULT_LINGER): void {
  res.setHeader('Connection', 'close');
  const socket = req.socket as Socket & { destroySoon?: () => void };
  if (!socket || req.complete) return;
  // Node's server calls destroySoon() once a `Connection: close` answer is written; this socket lingers instead.
  socket.destroySoon = () => {
    socket.end(); // our side is done: the client reads the answer, then the end of the stream
    if (req.complete) return void socket.once('finish', () => socket.destroy());
    // Node's parser reads and drops the rest of the body (no 'data' events on a dumped request): watch the socket.
    const readBefore = socket.bytesRead;
    const deadline = Date.now() + limits.ms;
    const close = () => {
      clearInterval(watch);
      socket.destroy();
    };
    const watch = setInterval(() => {
      if (req.complete || socket.bytesRead - readBefore > limits.bytes || Date.now() >= deadline) close();
    }, 50);
    req.resume();
    socket.once('end', close); // the client stopped sending
    socket.once('close', () => clearInterval(watch));
  };
}
