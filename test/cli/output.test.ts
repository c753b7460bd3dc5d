// bufferedWriter: chunks of ~64 KB, and it waits for a slow reader instead of queueing the
// whole report in memory (a pipe to jq or less is asynchronous in Node).
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bufferedWriter } from '../../src/cli/output.js';

/** A reader that takes one chunk at a time, only when `release` is called. */
function slowReader() {
  const got: string[] = [];
  let pending: (() => void) | undefined;
  const stream = new Writable({
    highWaterMark: 16 * 1024,
    decodeStrings: false,
    write(chunk: string, _enc, cb) {
      got.push(chunk);
      pending = cb;
    },
  });
  const release = () => {
    const cb = pending;
    pending = undefined;
    cb?.();
  };
  return { stream, got, release };
}

describe('bufferedWriter', () => {
  it('writes in chunks of at least 64 KB, the rest on flush, every byte in order', async () => {
    const r = slowReader();
    const out = bufferedWriter(r.stream);
    const line = 'x'.repeat(1000) + '\n';
    let waits = 0;
    for (let i = 0; i < 200; i++) {
      const full = out.write(line);
      if (full) {
        waits++;
        // The reader has not taken the chunk: nothing more is written until it does.
        expect(r.stream.writableLength).toBeGreaterThan(0);
        setImmediate(r.release);
        await full;
      }
    }
    const last = out.flush();
    setImmediate(r.release);
    if (last) await last;
    expect(waits).toBeGreaterThan(0);
    expect(r.got.join('')).toBe(line.repeat(200));
    expect(r.got.slice(0, -1).every((c) => c.length >= 64 * 1024)).toBe(true);
  });

  it('never queues more than one chunk when the caller waits', async () => {
    const r = slowReader();
    const out = bufferedWriter(r.stream);
    let most = 0;
    for (let i = 0; i < 2000; i++) {
      const full = out.write('y'.repeat(500));
      most = Math.max(most, r.stream.writableLength);
      if (full) {
        setImmediate(r.release);
        await full;
      }
    }
    expect(most).toBeLessThan(2 * 64 * 1024);
  });

  it('does not wait forever on a stream that is gone (| head closed it)', async () => {
    const r = slowReader();
    const out = bufferedWriter(r.stream);
    const full = out.write('z'.repeat(70 * 1024));
    expect(full).toBeInstanceOf(Promise);
    r.stream.destroy();
    await full;
    // Later writes are dropped quietly.
    expect(out.write('z'.repeat(70 * 1024))).toBeUndefined();
    expect(out.flush()).toBeUndefined();
  });
});
