// Random bytes for values made on every signing (a log id and a salt), drawn from the kernel a
// pool at a time: each draw is a system call (measured: 25 µs for the two a signing needs, one
// by one, on this machine), and most of that is the call, not the bytes. Every byte is handed
// out once and overwritten on the next refill.
import { randomFillSync } from 'node:crypto';

export function pooledRandomBytes(poolSize = 4096): (bytes: number) => Buffer {
  const pool = Buffer.alloc(poolSize);
  let offset = pool.length;
  return (bytes) => {
    if (bytes > pool.length) throw new RangeError(`at most ${pool.length} bytes at a time`);
    if (offset + bytes > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    // A copy: the pool's bytes are overwritten on the next refill.
    const out = Buffer.from(pool.subarray(offset, offset + bytes));
    offset += bytes;
    return out;
  };
}
