import { afterEach, describe, expect, it, vi } from 'vitest';
import { raceDeadline } from '../src/deadline.js';

describe('raceDeadline: the keychain\'s and verify\'s deadline', () => {
  afterEach(() => vi.useRealTimers());
  it('the work\'s answer when it comes first; no timer left behind', async () => {
    vi.useFakeTimers();
    const onExpiry = vi.fn(() => new Error('late'));
    await expect(raceDeadline(Promise.resolve(7), 1000, onExpiry)).resolves.toBe(7);
    expect(vi.getTimerCount()).toBe(0);
    expect(onExpiry).not.toHaveBeenCalled();
  });
  it('the work\'s own failure when it comes first', async () => {
    vi.useFakeTimers();
    await expect(raceDeadline(Promise.reject(new Error('refused')), 1000, () => new Error('late'))).rejects.toThrow('refused');
    expect(vi.getTimerCount()).toBe(0);
  });
  it('at the deadline: onExpiry runs once (the cleanup) and its error is the answer; a late answer changes nothing', async () => {
    vi.useFakeTimers();
    let settle!: (v: number) => void;
    const work = new Promise<number>((r) => (settle = r));
    const onExpiry = vi.fn(() => Object.assign(new Error('no answer within 1000 ms'), { code: 'X' }));
    const raced = raceDeadline(work, 1000, onExpiry);
    const seen = expect(raced).rejects.toMatchObject({ message: 'no answer within 1000 ms', code: 'X' });
    await vi.advanceTimersByTimeAsync(999);
    expect(onExpiry).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await seen;
    settle(7);
    expect(onExpiry).toHaveBeenCalledTimes(1);
  });
});
