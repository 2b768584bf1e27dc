import type { Random } from './clock.js';

/**
 * A deterministic {@link Random} (the sfc32 generator) for tests and reproducible jitter: the same seed
 * always yields the same sequence.
 */
export function seededRandom(seed: number): Random {
  if (!Number.isFinite(seed))
    throw new RangeError(`seededRandom: seed must be a finite number, got ${seed}`);
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const step = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) step(); // warm up so nearby seeds diverge
  return { next: step };
}
