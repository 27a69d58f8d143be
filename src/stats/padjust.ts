/**
 * Multiplicity adjustment of p-values, exactly as R's `stats::p.adjust` (R 4.2, src/library/stats/R/p.adjust.R),
 * including its order of floating-point operations. m is the number of p-values.
 */

export const P_ADJUST_METHODS = ['none', 'holm', 'bonferroni', 'bh', 'by'] as const;

export type PAdjustMethod = (typeof P_ADJUST_METHODS)[number];

/**
 * - bonferroni: min(1, m·p).
 * - holm (Holm 1979 Scand J Stat 6:65): with p sorted ascending, min(1, cummax((m − i + 1)·p₍ᵢ₎)).
 * - bh (Benjamini & Hochberg 1995 JRSS B 57:289, R's "BH"): sorted descending with i = m … 1,
 *   min(1, cummin(m / i · p₍ᵢ₎)).
 * - by (Benjamini & Yekutieli 2001 Ann Stat 29:1165, R's "BY"): as bh times q = Σ_{j=1}^{m} 1/j.
 * Results are returned in the input order. Every p must lie in [0, 1]; use `pAdjustWithMissing`
 * for R's handling of NA.
 */
export function pAdjust(p: number[], method: PAdjustMethod): number[] {
  for (const v of p) {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`p-values must lie in [0, 1], got ${v}`);
  }
  const m = p.length;
  // R: `if (n <= 1) return(p0)` — a single p-value is never adjusted, whatever the method.
  if (m <= 1 || method === 'none') return p.slice();
  switch (method) {
    case 'bonferroni':
      return p.map((v) => Math.min(1, m * v));
    case 'holm': {
      const o = order(p, false);
      const out = new Array<number>(m);
      let running = -Infinity;
      for (let i = 1; i <= m; i++) {
        running = Math.max(running, (m - i + 1) * p[o[i - 1]]);
        out[o[i - 1]] = Math.min(1, running);
      }
      return out;
    }
    case 'bh':
    case 'by': {
      let q = 1;
      if (method === 'by') {
        q = 0;
        for (let j = 1; j <= m; j++) q += 1 / j;
      }
      const o = order(p, true);
      const out = new Array<number>(m);
      let running = Infinity;
      // R: i <- lp:1L, so the largest p (first in decreasing order) has i = m; `q * n/i * p` left to right.
      for (let pos = 0; pos < m; pos++) {
        const i = m - pos;
        const v = method === 'by' ? ((q * m) / i) * p[o[pos]] : (m / i) * p[o[pos]];
        running = Math.min(running, v);
        out[o[pos]] = Math.min(1, running);
      }
      return out;
    }
    default:
      throw new RangeError(`unknown p-value adjustment method: ${String(method)}`);
  }
}

/**
 * R's p.adjust with NA: missing p-values (null) stay missing and do not count in m.
 */
export function pAdjustWithMissing(p: (number | null)[], method: PAdjustMethod): (number | null)[] {
  const present: number[] = [];
  for (const v of p) if (v !== null) present.push(v);
  const adjusted = pAdjust(present, method);
  let next = 0;
  return p.map((v) => (v === null ? null : adjusted[next++]));
}

/** Stable sort order (R's `order`, whose ties keep their input order; ties cannot change the result here). */
function order(p: number[], decreasing: boolean): number[] {
  const idx = p.map((_, i) => i);
  idx.sort((a, b) => (decreasing ? p[b] - p[a] : p[a] - p[b]) || a - b);
  return idx;
}
