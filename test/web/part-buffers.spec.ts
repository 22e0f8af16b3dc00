import { expect } from 'chai';
import { PartBuffers } from '../../web/src/s3/part-buffers';

const PART = 1024;

/** Hands part `n`, whose body is `body`, to `parts`; the test settles its request by hand. */
function handOut(parts: PartBuffers, n: number, body: Buffer) {
  let settle!: (ok: boolean) => void;
  const request = new Promise<string>((resolve, reject) => (settle = (ok) => (ok ? resolve('stored') : reject(new Error('refused')))));
  return { sent: parts.send(n, body, () => request), settle };
}

/** The buffer lib-storage assembles for a part: the part, then the first bytes of the next one carried over. */
const assembled = (carried = 100) => Buffer.alloc(PART + carried, 7);
const freed = (view: Buffer) => view.buffer.byteLength === 0;
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PartBuffers: a part buffer is freed as soon as nothing needs it', () => {
  it('frees part k once S3 has stored it and part k+1 has been handed out', async () => {
    const parts = new PartBuffers(PART);
    const one = assembled();
    const first = handOut(parts, 1, one.subarray(0, PART));
    first.settle(true);
    expect(await first.sent).to.equal('stored');
    expect(freed(one), 'part 2 may still be carried in it').to.equal(false);

    const second = handOut(parts, 2, assembled().subarray(0, PART));
    expect(freed(one)).to.equal(true);
    second.settle(true);
    await second.sent;
  });

  it('frees a part handed out after the next one as soon as it is stored', async () => {
    const parts = new PartBuffers(PART);
    const one = assembled();
    const first = handOut(parts, 1, one.subarray(0, PART));
    const second = handOut(parts, 2, assembled().subarray(0, PART));
    await tick();
    expect(freed(one)).to.equal(false);
    first.settle(true);
    await first.sent;
    expect(freed(one)).to.equal(true);
    second.settle(true);
    await second.sent;
  });

  it('keeps a buffer while the last part, the bytes carried in it, is still being sent', async () => {
    const parts = new PartBuffers(PART);
    const one = assembled();
    const first = handOut(parts, 1, one.subarray(0, PART));
    const last = handOut(parts, 2, one.subarray(PART));
    first.settle(true);
    await first.sent;
    expect(freed(one)).to.equal(false);
    last.settle(true);
    await last.sent;
    expect(freed(one), 'both parts stored, no part after them').to.equal(true);
  });

  it('leaves a part S3 refused to the garbage collector', async () => {
    const parts = new PartBuffers(PART);
    const one = assembled();
    const first = handOut(parts, 1, one.subarray(0, PART));
    first.settle(false);
    await first.sent.catch(() => undefined);
    const second = handOut(parts, 2, assembled().subarray(0, PART));
    expect(freed(one)).to.equal(false);
    second.settle(true);
    await second.sent;
  });

  it('never frees a buffer that holds two parts or more (a body given whole, whose later parts are not sent yet)', async () => {
    const parts = new PartBuffers(PART);
    const whole = Buffer.alloc(3 * PART, 1);
    for (const n of [1, 2]) {
      const part = handOut(parts, n, whole.subarray((n - 1) * PART, n * PART));
      part.settle(true);
      await part.sent;
    }
    expect(freed(whole)).to.equal(false);
  });
});
