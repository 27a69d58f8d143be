/**
 * Seeded pseudo-random numbers, identical on every machine: Mersenne Twister MT19937
 * (Matsumoto & Nishimura 1998, via @stdlib/random-base-mt19937), uniform on [0, 1) from its
 * 53-bit `normalized()`, and standard normals by the Box–Muller transform.
 */

export interface Random {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Integer uniform on 0 … n − 1. */
  int(n: number): number;
  /** Standard normal. */
  normal(): number;
  /** Chi-square with `df` degrees of freedom (@stdlib's gamma sampler, Marsaglia & Tsang 2000, driven by this generator's uniforms). */
  chisquare(df: number): number;
}

export function createRandom(seed: number): Random {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in 0 … 4294967295, got ${seed}`);
  }
  // mt19937 rejects seed 0; shift by one so that every 32-bit seed the user can type is valid.
  // Required here, not at start-up: only the bootstrap and simulate draw random numbers.
  const mt19937 = require('@stdlib/random-base-mt19937') as { factory(options: { seed: number }): unknown };
  const gen = mt19937.factory({ seed: (seed % 0xffffffff) + 1 }) as unknown as { normalized(): number };
  let spare = NaN;
  let chisquare: ((df: number) => number) | undefined;
  return {
    uniform: () => gen.normalized(),
    int: (n: number) => Math.floor(gen.normalized() * n),
    normal() {
      if (!Number.isNaN(spare)) {
        const s = spare;
        spare = NaN;
        return s;
      }
      // Box–Muller: two uniforms give two independent standard normals; 1 − u keeps log's argument > 0.
      const u = 1 - gen.normalized();
      const v = gen.normalized();
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    chisquare(df: number) {
      // Loaded on first use: only multiple imputation draws chi-square variates.
      chisquare ??= (require('@stdlib/random-base-chisquare') as { factory(options: { prng: () => number }): (df: number) => number }).factory({
        prng: () => gen.normalized(),
      });
      return chisquare(df);
    },
  };
}
