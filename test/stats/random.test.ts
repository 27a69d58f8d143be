/**
 * createRandom: MT19937 and the draws made from it, checked against the generator's published outputs.
 * Source: the C++ standard ([rand.predef], ISO/IEC 14882:2011 26.5.5) fixes std::mt19937 seeded with 5489: its
 * first output is 3499211612 and its 10000th is 4123659995. createRandom(s) seeds MT19937 with s + 1, so
 * createRandom(5488) is that stream. uniform() is MT's 53-bit genrand_res53 (Matsumoto & Nishimura's
 * mt19937ar.c): (a >>> 5, b >>> 6) of two outputs → (a·2²⁶ + b) / 2⁵³.
 */
import { createRandom } from '../../src/stats/random';

const TWO_26 = 2 ** 26;
const TWO_53 = 2 ** 53;

test('uniform() is genrand_res53 of the published MT19937 stream (seed 5489)', () => {
  const rng = createRandom(5488);
  // First two outputs 3499211612 and 581869302: (3499211612 >>> 5, 581869302 >>> 6) = (109350362, 9091707).
  expect(rng.uniform()).toBe((109350362 * TWO_26 + 9091707) / TWO_53);
  // The 10000th output is the second half of the 5000th uniform: its low 26 bits are 4123659995 >>> 6.
  let u = 0;
  for (let i = 2; i <= 5000; i++) u = rng.uniform();
  expect((u * TWO_53) % TWO_26).toBe(4123659995 >>> 6);
});

test('int(n) is floor(n·uniform), normal() is Box–Muller on two uniforms (cos, then the sin it kept)', () => {
  const a = createRandom(42);
  const b = createRandom(42);
  const u = b.uniform();
  expect(a.int(10)).toBe(Math.floor(10 * u));
  const [u1, u2] = [b.uniform(), b.uniform()];
  const radius = Math.sqrt(-2 * Math.log(1 - u1));
  expect(a.normal()).toBe(radius * Math.cos(2 * Math.PI * u2));
  expect(a.normal()).toBe(radius * Math.sin(2 * Math.PI * u2));
  // The next normal draws two new uniforms.
  const [u3, u4] = [b.uniform(), b.uniform()];
  expect(a.normal()).toBe(Math.sqrt(-2 * Math.log(1 - u3)) * Math.cos(2 * Math.PI * u4));
});

test('same seed, same stream; different seeds, different streams; seeds outside 0 … 2³² − 1 rejected', () => {
  const draws = (seed: number) => {
    const rng = createRandom(seed);
    return Array.from({ length: 5 }, () => rng.uniform());
  };
  expect(draws(7)).toEqual(draws(7));
  expect(draws(7)).not.toEqual(draws(8));
  expect(draws(0)).not.toEqual(draws(1));
  for (const bad of [-1, 1.5, 2 ** 32, NaN]) expect(() => createRandom(bad)).toThrow(RangeError);
});
