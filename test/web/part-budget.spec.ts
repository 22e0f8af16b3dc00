import { expect } from 'chai';
import { PartBudget } from '../../web/src/s3/part-budget';

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
