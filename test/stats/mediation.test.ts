/**
 * Mediation against R (test/reference/mediation.R → mediation.json) on the shared sat_act data: ACT → SATV → SATQ,
 * adjusted for age, education and sex (sexmale), 687 complete rows. Paths equal lm to 1e-10, Sobel its formula,
 * c = c′ + a·b exactly; the bootstrap intervals of a·b (20,000 resamples) agree with boot's to Monte-Carlo error.
 */
import { bootstrapPartial } from '../../src/stats/bootstrap';
import { indirectEffectStatistic, mediationPaths } from '../../src/stats/mediation';
import { expectClose, readProjectReference, readReferenceCsv } from '../helpers/reference';

const ref = readProjectReference('mediation.json');
const table = readReferenceCsv('sat_act.csv');
const col = (name: string) => table.header.indexOf(name);
const needed = ['ACT', 'SATV', 'SATQ', 'age', 'education', 'sex'].map(col);
const rows = table.rows.filter((r) => needed.every((j) => r[j] !== null));
const num = (name: string) => Float64Array.from(rows, (r) => Number(r[col(name)]));
const x = num('ACT');
const m = num('SATV');
const y = num('SATQ');
const covariates = [num('age'), num('education'), Float64Array.from(rows, (r) => (r[col('sex')] === 'male' ? 1 : 0))];
const names = ['age', 'education', 'sexmale'];

test('paths a, b, c, c′ equal lm; indirect and Sobel their formulas; c = c′ + a·b', () => {
  const paths = mediationPaths(x, m, y, covariates, names);
  expect(paths.n).toBe(ref.n);
  for (const [mine, theirs] of [
    [paths.a, ref.a],
    [paths.b, ref.b],
    [paths.c, ref.c],
    [paths.cPrime, ref.c_prime],
  ] as const) {
    expectClose(mine.estimate, theirs.estimate);
    expectClose(mine.se, theirs.se);
    expectClose(mine.t, theirs.t);
    expectClose(mine.p, theirs.p);
    expectClose(mine.ci![0], theirs.ci[0]);
    expectClose(mine.ci![1], theirs.ci[1]);
  }
  expectClose(paths.indirect, ref.indirect);
  expectClose(paths.sobel.se, ref.sobel.se);
  expectClose(paths.sobel.z, ref.sobel.z);
  expectClose(paths.sobel.p, ref.sobel.p);
  expectClose(paths.c.estimate!, paths.cPrime.estimate! + paths.indirect);
});

test('the bootstrap of a·b agrees with boot (percentile, BCa with jackknife acceleration) to Monte-Carlo error', () => {
  const statistic = indirectEffectStatistic(0, 1, 2, [3, 4, 5]);
  const boot = bootstrapPartial([x, m, y, ...covariates], 0, 2, [], { resamples: 20000, seed: 1, statistic });
  expectClose(boot.estimate, ref.indirect, 1e-9);
  // Each 2.5% / 97.5% endpoint of a 20,000-resample bootstrap has a Monte-Carlo SD of about
  // √(.025·.975/20000)/φ(1.96)·SE_boot ≈ 0.019·SE_boot; two independent runs differ by √2 times that, 0.027·SE_boot.
  // Allowed: 4 SD, 0.11·SE_boot (SE_boot = 0.70 here, so ±0.077 on intervals about [4.8, 7.6]).
  const tolerance = 0.11 * ref.boot.se;
  expect(Math.abs(boot.percentile![0] - ref.boot.percentile[0])).toBeLessThan(tolerance);
  expect(Math.abs(boot.percentile![1] - ref.boot.percentile[1])).toBeLessThan(tolerance);
  expect(Math.abs(boot.bca![0] - ref.boot.bca[0])).toBeLessThan(tolerance);
  expect(Math.abs(boot.bca![1] - ref.boot.bca[1])).toBeLessThan(tolerance);
});
