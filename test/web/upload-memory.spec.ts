import { expect } from 'chai';
import { PartBudget, PartBuffers } from '../../web/src/s3/upload-memory';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PartBudget: upload memory bounded for the whole process', () => {
  it('lets `streams` uploads read at once; the next waits for a turn, in arrival order', async () => {
    const budget = new PartBudget(8, 4, 2);
    const order: number[] = [];
    const releases = await Promise.all([budget.admit(), budget.admit()]);
    const third = budget.admit().then((release) => (order.push(3), release));
    const fourth = budget.admit().then((release) => (order.push(4), release));
    await tick();
    expect(order).to.deep.equal([]);
    releases[0]!();
    await tick();
    expect(order).to.deep.equal([3]);
    releases[1]!();
    await tick();
    expect(order).to.deep.equal([3, 4]);
    (await third)();
    (await fourth)();
  });

  it('a waiting upload whose client leaves gives its turn up, and the turn goes to the next', async () => {
    const budget = new PartBudget(8, 4, 1);
    const first = await budget.admit();
    const leaving = new AbortController();
    const gaveUp = budget.admit(leaving.signal).then(
      () => 'admitted',
      (err: Error) => err.message,
    );
    const next = budget.admit();
    leaving.abort(new Error('client gone'));
    expect(await gaveUp).to.equal('client gone');
    first();
    (await next)();
  });

  it('a lone upload gets its full parallelism; uploads streaming together share the parts in flight', async () => {
    const budget = new PartBudget(8, 4, 16);
    const one = await budget.admit();
    expect(budget.queueSize()).to.equal(4);
    const more = await Promise.all(Array.from({ length: 7 }, () => budget.admit()));
    expect(budget.queueSize()).to.equal(1);
    for (const release of [one, ...more]) release();
  });

  it('never has more parts in flight than the budget', async () => {
    const budget = new PartBudget(3, 4, 4);
    let inFlight = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        budget.run(async () => {
          most = Math.max(most, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 2));
          inFlight--;
        }),
      ),
    );
    expect(most).to.equal(3);
  });
});

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
