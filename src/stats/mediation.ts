/**
 * Simple mediation x → m → y with covariates Z (Baron & Kenny 1986; Hayes 2022, *Introduction to Mediation,
 * Moderation, and Conditional Process Analysis*, 3rd ed., PROCESS model 4), every path by OLS on the same rows:
 *   a:  m = i₁ + a·x + Zγ₁ + e₁          c:  y = i₃ + c·x + Zγ₃ + e₃
 *   b, c′:  y = i₂ + c′·x + b·m + Zγ₂ + e₂
 * so that the total effect is exactly c = c′ + a·b (an identity of least squares on one sample). The indirect
 * effect is a·b. The Sobel (1982) test is its first-order delta-method normal test:
 *   SE = √(b²·SE_a² + a²·SE_b²),  z = a·b / SE,  p = 2Φ(−|z|)
 * — a normal-theory approximation the bootstrap interval should be preferred to (Hayes 2022, §4.4).
 */
import { normalPValue } from './distributions';
import type { CoMoments } from './moments';
import { fitOls, type OlsTerm } from './ols';
import { partialSlope, PartialWorkspace } from './partial';

export interface MediationPaths {
  n: number;
  a: OlsTerm;
  b: OlsTerm;
  c: OlsTerm;
  cPrime: OlsTerm;
  indirect: number;
  sobel: { se: number; z: number; p: number };
  /** Residual df of each path's lm: n − rank([1, x, Z]) for a and c, n − rank([1, x, m, Z]) for b and c′. */
  df: { a: number; b: number; c: number; cPrime: number };
}

/**
 * The paths by `lm` (stats/ols.ts) on complete rows: `covariates` are model-matrix columns already coded (dummies
 * named as R names them), without the intercept. Throws when x, m or a covariate is aliased in a model.
 */
export function mediationPaths(
  x: Float64Array,
  m: Float64Array,
  y: Float64Array,
  covariates: Float64Array[],
  covariateNames: string[],
  ciLevel = 0.95,
): MediationPaths {
  const one = new Float64Array(x.length).fill(1);
  const names = ['(Intercept)', 'x', ...covariateNames];
  const fit = (columns: Float64Array[], columnNames: string[], outcome: Float64Array, term: string): { term: OlsTerm; df: number } => {
    const model = fitOls(columns, columnNames, outcome, { ciLevel });
    const found = model.coefficients.find((t) => t.term === term)!;
    if (found.aliased || found.estimate === null || found.se === null) throw new RangeError(`${term} is aliased in the model for the ${outcome === m ? 'mediator' : 'outcome'}`);
    return { term: found, df: model.dfResidual };
  };
  const a = fit([one, x, ...covariates], names, m, 'x');
  const c = fit([one, x, ...covariates], names, y, 'x');
  const withM = [one, x, m, ...covariates];
  const withMNames = ['(Intercept)', 'x', 'm', ...covariateNames];
  const b = fit(withM, withMNames, y, 'm');
  const cPrime = fit(withM, withMNames, y, 'x');
  const ab = a.term.estimate! * b.term.estimate!;
  const se = Math.sqrt(b.term.estimate! ** 2 * a.term.se! ** 2 + a.term.estimate! ** 2 * b.term.se! ** 2);
  const z = ab / se;
  return {
    n: x.length,
    a: a.term,
    b: b.term,
    c: c.term,
    cPrime: cPrime.term,
    indirect: ab,
    sobel: { se, z, p: normalPValue(z) },
    df: { a: a.df, b: b.df, c: c.df, cPrime: cPrime.df },
  };
}

/**
 * The indirect effect a·b from the co-moments of [x, m, y, Z…] (indices), for the bootstrap's inner loop: a is the
 * slope of m on x given Z, b the slope of y on m given x and Z (`partialSlope`). Null when either is undefined.
 */
export function indirectEffectStatistic(x: number, m: number, y: number, z: number[]): (moments: CoMoments) => number | null {
  const ws = new PartialWorkspace();
  const zx = [...z, x];
  return (moments) => {
    const a = partialSlope(moments, x, m, z, ws);
    if (a === null) return null;
    const b = partialSlope(moments, m, y, zx, ws);
    return b === null ? null : a * b;
  };
}
