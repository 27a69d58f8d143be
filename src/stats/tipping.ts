/**
 * Tipping points of a delta-adjustment sensitivity analysis (van Buuren 2018, *Flexible Imputation of Missing
 * Data*, 2nd ed., §9.2; Ratitch, O'Kelly & Tosiello 2013, Pharm Stat 12:337): the smallest shift |δ| in each
 * direction at which the conclusion changes — the interval's relation to 0 (above it, below it, or containing it)
 * differs from the relation at δ = 0.
 *
 * Search: from 0 outwards in steps of `step` up to ±`limit`; at the first step whose relation differs, bisect the
 * bracket until it is narrower than `tolerance` and return its outer end (the smallest |δ| seen to change the
 * conclusion, within `tolerance` of the crossing). A change and change back within one step is not seen: the
 * step bounds the resolution of that, and is reported beside the result.
 */
export type Relation = 'above' | 'below' | 'contains';

export function relationToZero(ci: readonly [number, number]): Relation {
  if (ci[0] > 0) return 'above';
  if (ci[1] < 0) return 'below';
  return 'contains';
}

export interface TippingPoints {
  /** Relation of the interval to 0 without a shift. */
  atZero: Relation;
  /** Smallest δ > 0 that changes it, or null when none does within the limit. */
  up: { delta: number; relation: Relation } | null;
  /** Largest δ < 0 (smallest |δ|) that changes it, or null. */
  down: { delta: number; relation: Relation } | null;
  limit: number;
  step: number;
  tolerance: number;
}

export function tippingPoints(
  intervalAt: (delta: number) => readonly [number, number],
  options: { limit?: number; step?: number; tolerance?: number } = {},
): TippingPoints {
  const limit = options.limit ?? 3;
  const step = options.step ?? 0.1;
  const tolerance = options.tolerance ?? 0.01;
  const atZero = relationToZero(intervalAt(0));
  const search = (sign: 1 | -1): { delta: number; relation: Relation } | null => {
    const steps = Math.round(limit / step);
    let inner = 0;
    for (let i = 1; i <= steps; i++) {
      let outer = sign * i * step;
      let relation = relationToZero(intervalAt(outer));
      if (relation === atZero) {
        inner = outer;
        continue;
      }
      while (Math.abs(outer - inner) > tolerance) {
        const middle = (inner + outer) / 2;
        const r = relationToZero(intervalAt(middle));
        if (r === atZero) inner = middle;
        else {
          outer = middle;
          relation = r;
        }
      }
      return { delta: outer, relation };
    }
    return null;
  };
  return { atZero, up: search(1), down: search(-1), limit, step, tolerance };
}
