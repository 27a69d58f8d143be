/**
 * Exact power of the partial-correlation t test against test/reference/power.json (test/reference/power.R):
 * Hotelling's density with hypergeo's 2F1 integrated in R, cross-checked there against the noncentral-t mixture
 * (they agree to ~3e-13). pwr::pwr.r.test(n = n − k, r) — Fisher-z approximation — is recorded to show its error.
 * R is never needed to run these tests.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  correlationDensity,
  criticalR,
  hyp2f1HalfHalf,
  minimumDetectableR,
  partialCorrelationPower,
  requiredN,
} from '../../src/stats/power';
import { integrate } from '../../src/stats/bayes';
import { normalCdf, type Alternative } from '../../src/stats/distributions';

const ref = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../reference/power.json'), 'utf8'));
const alt = (a: string): Alternative => (a === 'two.sided' ? 'two-sided' : (a as Alternative));

describe('density of r (Hotelling 1953)', () => {
  test.each([[0, 4], [0.5, 5], [0.9, 8], [0.99, 10], [-0.7, 50], [0.3, 113], [0.2, 2000]])('integrates to 1: ρ = %p, N = %p', (rho, N) => {
    const mass = integrate((r) => correlationDensity(r, rho, N), -1, 1, { relTol: 1e-13 }).value;
    expect(Math.abs(mass - 1)).toBeLessThan(1e-10);
  });
  test('ρ = 0: (1 − r²)^{(N−4)/2} / B(½, (N−2)/2)', () => {
    // N = 6: B(1/2, 2) = 4/3
    expect(correlationDensity(0.3, 0, 6)).toBeCloseTo((1 - 0.09) / (4 / 3), 13);
  });
  test('₂F₁ series and Euler integral agree at the switch (z = 0.9)', () => {
    for (const N of [3, 10, 113, 5000]) {
      const below = hyp2f1HalfHalf(N, 0.9);
      const above = hyp2f1HalfHalf(N, 0.9 + 1e-12);
      expect(Math.abs(above - below) / below).toBeLessThan(1e-11);
    }
  });
});

describe('criticalR', () => {
  test('t = r·sqrt(df/(1 − r²)) at r_c is the t quantile', () => {
    const rc = criticalR(117, 4, 0.05);
    const df = 111;
    expect(rc * Math.sqrt(df / (1 - rc * rc))).toBeCloseTo(1.981566, 5);
  });
});

describe('partialCorrelationPower vs exact R values (1e-6)', () => {
  for (const c of ref.power as Array<{ n: number; k: number; r: number; alpha: number; alternative: string; power: number; power_nct: number; pwr: number | null }>) {
    test(`n = ${c.n}, k = ${c.k}, ρ = ${c.r}, α = ${c.alpha}, ${c.alternative}`, () => {
      const p = partialCorrelationPower({ n: c.n, k: c.k, r: c.r, alpha: c.alpha, alternative: alt(c.alternative) });
      expect(Math.abs(p - c.power)).toBeLessThan(1e-6);
      expect(Math.abs(p - c.power_nct)).toBeLessThan(1e-9); // in fact ~1e-12
      if (c.pwr !== null) {
        // pwr's Fisher-z approximation differs, by a small but visible amount (4e-6 … 5e-3 in these cases)
        expect(Math.abs(p - c.pwr)).toBeGreaterThan(1e-6);
        expect(Math.abs(p - c.pwr)).toBeLessThan(0.006);
      }
    });
  }
  test('ρ = 0 gives α exactly (the t test is exact)', () => {
    for (const [n, k, alpha] of [[117, 4, 0.05], [10, 3, 0.01], [1000, 0, 0.1]]) {
      expect(Math.abs(partialCorrelationPower({ n, k, r: 0, alpha }) - alpha)).toBeLessThan(1e-12);
    }
  });
  test('invalid input throws RangeError', () => {
    expect(() => partialCorrelationPower({ n: 6, k: 4, r: 0.3 })).toThrow(RangeError); // df = 0
    expect(() => partialCorrelationPower({ n: 50, k: 1, r: 1 })).toThrow(RangeError);
  });
});

describe('minimumDetectableR (root of the exact power, 1e-5)', () => {
  for (const c of ref.minimum_r as Array<{ n: number; k: number; power: number; alpha: number; alternative: string; r: number; pwr: number }>) {
    test(`n = ${c.n}, k = ${c.k}, power ${c.power}, ${c.alternative}`, () => {
      const r = minimumDetectableR({ n: c.n, k: c.k, power: c.power, alpha: c.alpha, alternative: alt(c.alternative) });
      expect(Math.abs(r - c.r)).toBeLessThan(1e-5);
      expect(Math.abs(r - c.r)).toBeLessThan(1e-9); // in fact
      // pwr's root lies 1e-4 … 2e-3 away
      expect(Math.abs(r - c.pwr)).toBeGreaterThan(1e-5);
      expect(Math.abs(r - c.pwr)).toBeLessThan(0.003);
    });
  }
  test('"less" returns the negative root', () => {
    const g = minimumDetectableR({ n: 117, k: 4, power: 0.8, alternative: 'greater' });
    expect(minimumDetectableR({ n: 117, k: 4, power: 0.8, alternative: 'less' })).toBeCloseTo(-g, 10);
  });
  test('very small samples still find a root', () => {
    const r = minimumDetectableR({ n: 5, k: 0, power: 0.9 });
    expect(r).toBeGreaterThan(0.9);
    expect(partialCorrelationPower({ n: 5, k: 0, r })).toBeCloseTo(0.9, 8);
  });
  test('power ≤ α is rejected', () => {
    expect(() => minimumDetectableR({ n: 50, k: 0, power: 0.04 })).toThrow(RangeError);
  });
});

describe('requiredN (smallest integer n)', () => {
  for (const c of ref.required_n as Array<{ r: number; k: number; power: number; alpha: number; alternative: string; n: number; pwr_n: number; pwr_n_ceiling: number }>) {
    test(`r = ${c.r}, k = ${c.k}, power ${c.power}, ${c.alternative}`, () => {
      expect(requiredN({ r: c.r, k: c.k, power: c.power, alpha: c.alpha, alternative: alt(c.alternative) })).toBe(c.n);
    });
  }
  test('r = .18, k = 4, 80%: exact 243 where ceiling(pwr.r.test n) + k gives 244', () => {
    const c = ref.required_n[0];
    expect(c.n).toBe(243);
    expect(c.pwr_n_ceiling).toBe(244);
  });
  test('the sign of r must match a one-sided alternative', () => {
    expect(() => requiredN({ r: -0.2, k: 0, power: 0.8, alternative: 'greater' })).toThrow(RangeError);
  });
});

describe('large n: no cost in n, and the exact integral meets the normal limit of Fisher z', () => {
  // log Γ(m)/Γ(m + ½) switches from the recurrence to its asymptotic series at m = 1000 (N = 1001): the density
  // still integrates to 1 on both sides of the switch and far beyond it.
  test.each([[0.3, 1000], [0.3, 1001], [0.3, 1002], [0.05, 1e6], [0.001, 1e9]])('integrates to 1: ρ = %p, N = %p', (rho, N) => {
    const sd = (1 - rho * rho) / Math.sqrt(N - 1);
    const mass = integrate((r) => correlationDensity(r, rho, N), rho - 12 * sd, rho + 12 * sd, { relTol: 1e-13 }).value;
    expect(Math.abs(mass - 1)).toBeLessThan(1e-10);
  });

  /*
   * Fisher's z = atanh r is normal in the limit, with mean atanh ρ + ρ/(2(N − 1)) and variance 1/(N − 3) (Fisher 1921;
   * pwr.r.test's formula, with the exact t critical value at df = n − 2 − k); its error in the power is O(1/N). The
   * exact integral, which runs at any n, must approach it: within 1e-6 at N = 1e5 and 1e-9 from N = 1e8 on.
   */
  test.each([
    [1e5, 0, 0.009, 1e-6],
    [1e8, 3, 0.0003, 1e-9],
    [1e9, 0, 0.0001, 1e-9],
    [1e9, 7, -0.00008, 1e-9],
    [1e12, 0, 3e-6, 1e-9],
    [2 ** 50, 2, 1e-7, 1e-9],
  ])('n = %p, k = %p, ρ = %p: exact and normal limit agree to %p', (n, k, rho, tol) => {
    const N = n - k;
    const rc = criticalR(n, k);
    const s = Math.sqrt(N - 3);
    const mean = Math.atanh(rho) + rho / (2 * (N - 1));
    const limit = normalCdf((mean - Math.atanh(rc)) * s) + normalCdf((-mean - Math.atanh(rc)) * s);
    const exact = partialCorrelationPower({ n, k, r: rho });
    expect(exact).toBeGreaterThan(0.2);
    expect(exact).toBeLessThan(0.999);
    expect(Math.abs(exact - limit)).toBeLessThan(tol);
  });

  test('requiredN and minimumDetectableR at n in the billions (the search costs no more than at n = 100)', () => {
    // Fisher z limit: n ≈ ((z_.975 + z_.8)/atanh ρ)² + 3 = (2.8015852/1e-4)² + 3 = 784,888,773 (hand); exact 784,886,048.
    const n = requiredN({ r: 1e-4, k: 0, power: 0.8 });
    expect(Math.abs(n - 784_886_048)).toBeLessThanOrEqual(1);
    expect(partialCorrelationPower({ n, k: 0, r: 1e-4 })).toBeGreaterThanOrEqual(0.8);
    expect(partialCorrelationPower({ n: n - 1, k: 0, r: 1e-4 })).toBeLessThan(0.8);
    // ρ ≈ 2.8015852/sqrt(1e9 − 3) = 8.8594e-5.
    expect(minimumDetectableR({ n: 1e9, k: 0, power: 0.8 })).toBeCloseTo(8.8594e-5, 8);
  });
});

