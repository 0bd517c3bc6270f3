import { describe, expect, it } from 'vitest';
import { cryptoRandom } from '../random.js';
import { AnswerTiming, MAX_PAD_MS } from './answer-timing.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function elapsed(fn: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

describe('reset answer timing', () => {
  it('answers at once while no writing path has been timed', async () => {
    const timing = new AnswerTiming(cryptoRandom);
    expect(await elapsed(() => timing.padNonWrite(timing.start()))).toBeLessThan(15);
  });

  it('makes a path that wrote nothing last as long as the writing path did', async () => {
    const timing = new AnswerTiming(cryptoRandom);
    const write = timing.start();
    await sleep(60);
    timing.recordWrite(write);
    expect(await elapsed(() => timing.padNonWrite(timing.start()))).toBeGreaterThanOrEqual(55);
  });

  it('counts the time the other path already spent', async () => {
    const timing = new AnswerTiming(cryptoRandom);
    const write = timing.start();
    await sleep(60);
    timing.recordWrite(write);
    const other = timing.start();
    await sleep(50);
    expect(await elapsed(() => timing.padNonWrite(other))).toBeLessThan(30);
  });

  it('pads by at most MAX_PAD_MS, however long a stalled write took', async () => {
    let now = 0;
    const timing = new AnswerTiming(cryptoRandom, () => now);
    const write = timing.start();
    now += 60_000;
    timing.recordWrite(write);
    const started = performance.now();
    const padded = timing.padNonWrite(timing.start());
    await padded;
    expect(performance.now() - started).toBeLessThan(MAX_PAD_MS + 500);
  });
});
