/**
 * Seeded pseudo-random numbers, identical on every machine: Mersenne Twister MT19937
 * (Matsumoto & Nishimura 1998, via @stdlib/random-base-mt19937), uniform on [0, 1) from two of its 32-bit
 * outputs (genrand_res53, below), and standard normals by the Box–Muller transform.
 */
import mt19937 from '@stdlib/random-base-mt19937';
import chisquareSampler from '@stdlib/random-base-chisquare';

/** 2²⁶ and 2⁻⁵³ of genrand_res53. */
const TWO_26 = 67108864;
const TWO_MINUS_53 = 1 / 9007199254740992;

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
  const next = mt19937.factory({ seed: (seed % 0xffffffff) + 1 });
  // genrand_res53 of Matsumoto & Nishimura's mt19937ar.c, (a >>> 5, b >>> 6) → (a·2²⁶ + b) / 2⁵³: what @stdlib's
  // generator calls normalized() (lib/factory.js), a method its type declarations leave out.
  const uniform = (): number => ((next() >>> 5) * TWO_26 + (next() >>> 6)) * TWO_MINUS_53;
  let spare = NaN;
  let chisquare: ((df: number) => number) | undefined;
  return {
    uniform,
    int: (n: number) => Math.floor(uniform() * n),
    normal() {
      if (!Number.isNaN(spare)) {
        const s = spare;
        spare = NaN;
        return s;
      }
      // Box–Muller: two uniforms give two independent standard normals; 1 − u keeps log's argument > 0.
      const u = 1 - uniform();
      const v = uniform();
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    chisquare(df: number) {
      // @stdlib's sampler, driven by these uniforms, is made at the first chi-square draw, not before: making it
      // takes a uniform, and a stream without chi-square draws (the bootstrap's) must not lose one.
      chisquare ??= chisquareSampler.factory({ prng: uniform });
      return chisquare(df);
    },
  };
}
